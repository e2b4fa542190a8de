"""The synthetic organization: deterministic, exact, and shaped like a real company."""

from __future__ import annotations

import collections
import datetime
import functools
import importlib
import os
import statistics
import subprocess
import sys

import numpy as np
import pytest

from execution2.analytics.synth import (
    SyntheticOrganization,
    SyntheticPerson,
    generate_organization,
    stream,
)
from execution2.analytics.synth.names import ascii_slug
from execution2.analytics.synth.places import OFFICES

SIZES = (200, 2_000, 20_000)


@functools.cache
def org(people: int, seed: int = 7) -> SyntheticOrganization:
    return generate_organization(people=people, seed=seed)


def spans(company: SyntheticOrganization) -> list[int]:
    return list(collections.Counter(p.manager_id for p in company.people if p.manager_id).values())


def depth(company: SyntheticOrganization) -> int:
    return max(p.level for p in company.people) + 1


def by_id(company: SyntheticOrganization) -> dict[str, SyntheticPerson]:
    return {p.external_id: p for p in company.people}


# --- determinism ---------------------------------------------------------------------------


def test_the_same_seed_and_size_give_an_identical_organization() -> None:
    first = generate_organization(people=2_000, seed=11)
    second = generate_organization(people=2_000, seed=11)
    assert first == second
    assert repr(first) == repr(second)


def test_another_seed_gives_another_company() -> None:
    a, b = org(2_000, seed=1), org(2_000, seed=2)
    assert a.seed == 1
    assert b.seed == 2
    assert a.people != b.people
    assert [p.name for p in a.people[:50]] != [p.name for p in b.people[:50]]


def test_the_default_reference_date_is_fixed_not_today() -> None:
    assert generate_organization(people=60, seed=5) == generate_organization(
        people=60, seed=5, as_of=datetime.date(2026, 1, 1)
    )


def test_named_streams_are_reproducible_and_independent_of_each_other() -> None:
    assert stream(7, "survey", "answers").random(5).tolist() == (
        stream(7, "survey", "answers").random(5).tolist()
    )
    assert not np.array_equal(stream(7, "survey").random(5), stream(7, "network").random(5))
    assert not np.array_equal(stream(7, "survey").random(5), stream(8, "survey").random(5))


def test_the_output_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import hashlib;"
        "from execution2.analytics.synth import generate_organization as g;"
        "print(hashlib.sha256(repr(g(people=300, seed=4)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


# --- size and tree -------------------------------------------------------------------------


@pytest.mark.parametrize("people", [30, 31, 97, 200, 1_234, 2_000])
def test_it_returns_exactly_the_requested_number_of_people(people: int) -> None:
    assert len(org(people).people) == people


@pytest.mark.parametrize("people", [29, 1_000_001])
def test_it_rejects_sizes_outside_the_supported_range(people: int) -> None:
    with pytest.raises(ValueError, match="people must be between"):
        generate_organization(people=people)


def test_it_rejects_a_negative_seed() -> None:
    with pytest.raises(ValueError, match="seed"):
        generate_organization(seed=-1)


@pytest.mark.parametrize("people", SIZES)
def test_there_is_a_single_chief_executive_heading_the_executive_office(people: int) -> None:
    ceos = [p for p in org(people).people if p.manager_id is None]
    assert len(ceos) == 1
    ceo = ceos[0]
    assert ceo is org(people).people[0]
    assert ceo.external_id == "E000001"
    assert (ceo.level, ceo.title, ceo.unit_path) == (
        0,
        "Chief Executive Officer",
        "Executive Office",
    )
    assert [p for p in org(people).people if p.unit_path == "Executive Office"] == [ceo]


@pytest.mark.parametrize("people", SIZES)
def test_every_manager_comes_before_their_reports_so_there_are_no_cycles(people: int) -> None:
    position = {p.external_id: i for i, p in enumerate(org(people).people)}
    for person in org(people).people[1:]:
        assert person.manager_id is not None
        assert position[person.manager_id] < position[person.external_id]


@pytest.mark.parametrize("people", SIZES)
def test_levels_count_down_the_reporting_line(people: int) -> None:
    people_by_id = by_id(org(people))
    for person in org(people).people[1:]:
        assert person.manager_id is not None
        assert person.level == people_by_id[person.manager_id].level + 1


@pytest.mark.parametrize("people", SIZES)
def test_spans_of_control_stay_between_3_and_12_with_a_realistic_median(people: int) -> None:
    counts = spans(org(people))
    assert min(counts) >= 3
    assert max(counts) <= 12
    assert 4 <= statistics.median(counts) <= 9
    assert len(set(counts)) >= 6  # a spread, not one uniform span


@pytest.mark.parametrize("people", SIZES)
def test_the_company_is_4_to_7_levels_deep(people: int) -> None:
    assert 4 <= depth(org(people)) <= 7


def test_depth_grows_with_size() -> None:
    assert depth(org(100)) == 4
    assert depth(org(200)) <= depth(org(2_000)) <= depth(org(20_000))
    assert depth(org(2_000)) < depth(org(20_000))


def test_a_company_of_100_000_keeps_its_spans_and_is_6_or_7_levels_deep() -> None:
    company = org(100_000)
    assert len(company.people) == 100_000
    counts = spans(company)
    assert min(counts) >= 3
    assert max(counts) <= 12
    assert 4 <= statistics.median(counts) <= 9
    assert 6 <= depth(company) <= 7
    assert len({p.email for p in company.people}) == 100_000


def test_individual_contributors_are_the_leaves() -> None:
    company = org(2_000)
    managers = {p.manager_id for p in company.people}
    leaves = [p for p in company.people if p.external_id not in managers]
    assert leaves
    assert all(p.level >= 2 for p in leaves)
    assert len(leaves) > 0.75 * len(company.people)


# --- functions and units -------------------------------------------------------------------


@pytest.mark.parametrize("people", [30, *SIZES, 100_000])
def test_there_are_8_to_12_functions_each_led_by_an_executive_reporting_to_the_ceo(
    people: int,
) -> None:
    company = org(people)
    heads = [p for p in company.people if p.level == 1]
    assert 8 <= len(heads) <= 12
    assert all(p.manager_id == "E000001" for p in heads)
    assert all(" / " not in p.unit_path for p in heads)
    assert len({p.unit_path for p in heads}) == len(heads)
    top_units = {p.unit_path.split(" / ")[0] for p in company.people}
    assert top_units == {"Executive Office", *(p.unit_path for p in heads)}


def test_bigger_companies_have_more_functions() -> None:
    def functions(people: int) -> int:
        return sum(p.level == 1 for p in org(people).people)

    assert functions(30) == 8
    assert functions(200) <= functions(2_000) <= functions(20_000)
    assert functions(20_000) > functions(200)


def test_core_functions_are_led_by_the_right_chief() -> None:
    titles = {p.unit_path: p.title for p in org(2_000).people if p.level == 1}
    assert titles["Marketing"] == "Chief Marketing Officer"
    assert titles["Engineering"] == "Chief Technology Officer"
    assert titles["Finance"] == "Chief Financial Officer"
    assert titles["People"] == "Chief People Officer"
    assert {"Sales", "Product", "Operations", "Customer Support"} <= titles.keys()


def test_functions_have_sub_units_and_big_ones_are_bigger() -> None:
    company = org(2_000)
    headcount = collections.Counter(p.unit_path.split(" / ")[0] for p in company.people)
    sub_units = collections.defaultdict(set)
    for p in company.people:
        parts = p.unit_path.split(" / ")
        if len(parts) >= 2:
            sub_units[parts[0]].add(parts[1])
    for function in headcount:
        if function != "Executive Office":
            assert len(sub_units[function]) >= 2, function
    assert headcount["Engineering"] > headcount["Finance"]
    assert headcount["Sales"] > headcount["People"]


def test_big_companies_nest_units_three_deep() -> None:
    paths = {p.unit_path for p in org(20_000).people}
    assert any(path.count(" / ") == 2 for path in paths)
    assert all(path.count(" / ") <= 2 for path in paths)


@pytest.mark.parametrize("people", SIZES)
def test_a_manager_sits_in_the_same_unit_or_a_parent_unit(people: int) -> None:
    people_by_id = by_id(org(people))
    for person in org(people).people:
        if person.level < 2:
            continue  # function heads report to the CEO in the Executive Office
        assert person.manager_id is not None
        above = people_by_id[person.manager_id].unit_path
        assert person.unit_path == above or person.unit_path.startswith(above + " / ")


@pytest.mark.parametrize("people", SIZES)
def test_unit_paths_are_well_formed_and_every_parent_unit_has_people(people: int) -> None:
    paths = {p.unit_path for p in org(people).people}
    for path in paths:
        segments = path.split(" / ")
        assert all(s and s == s.strip() and "/" not in s for s in segments), path
        assert all(" / ".join(segments[:i]) in paths for i in range(1, len(segments)))


# --- people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [*SIZES])
def test_ids_and_emails_are_unique_and_emails_ascii(people: int) -> None:
    company = org(people)
    assert len({p.external_id for p in company.people}) == people
    emails = [p.email for p in company.people]
    assert len(set(emails)) == people
    assert all(e.isascii() and e == e.lower() for e in emails)
    assert all(e.endswith("@" + company.domain) for e in emails)
    assert company.domain.endswith(".example")


def test_emails_are_derived_from_names() -> None:
    for person in org(2_000).people:
        local = person.email.split("@")[0].rstrip("0123456789")
        first, last = local.split(".")
        assert ascii_slug(person.name).startswith(first + last), (person.name, person.email)


def test_accented_names_occur() -> None:
    names = [p.name for p in org(2_000).people]
    accented = [n for n in names if not n.isascii()]
    assert len(accented) > 0.02 * len(names)
    assert any(c in "".join(accented) for c in "éèüöäñçãóá")


def test_names_match_the_locale_of_the_office() -> None:
    locale_of = {o.city: o.locale for o in OFFICES}
    names_by_city = collections.defaultdict(list)
    for person in org(20_000, seed=3).people:
        names_by_city[person.location].append(person.name)
    assert len(names_by_city) >= 5
    for city, names in names_by_city.items():
        provider = importlib.import_module(f"faker.providers.person.{locale_of[city]}").Provider
        first_words = {str(n).split(" ")[0] for n in provider.first_names}
        share = sum(n.split(" ")[0] in first_words for n in names) / len(names)
        assert share > 0.75, (city, share)


def test_headquarters_is_the_largest_office_and_teams_tend_to_share_one() -> None:
    company = org(20_000)
    offices = collections.Counter(p.location for p in company.people)
    assert offices.most_common(1)[0][0] == company.people[0].location
    assert set(offices) <= {o.city for o in OFFICES}
    people_by_id = by_id(company)
    pairs = [(p, people_by_id[p.manager_id]) for p in company.people if p.manager_id]
    together = sum(p.location == manager.location for p, manager in pairs)
    assert together / len(pairs) > 0.7


def test_start_dates_fall_before_the_reference_date_and_executives_stay_longer() -> None:
    as_of = datetime.date(2030, 6, 30)
    company = generate_organization(people=2_000, seed=7, as_of=as_of)
    assert all(p.start_date < as_of for p in company.people)
    assert max(p.start_date for p in company.people) > datetime.date(2029, 1, 1)

    def median_tenure(level_filter: set[int]) -> float:
        return statistics.median(
            (as_of - p.start_date).days for p in company.people if p.level in level_filter
        )

    assert median_tenure({0, 1}) > median_tenure({4, 5, 6})


def test_titles_fit_level_and_unit() -> None:
    company = org(20_000)
    managers = {p.manager_id for p in company.people}
    for person in company.people:
        if person.level >= 2 and person.external_id in managers:
            leaf = person.unit_path.split(" / ")[-1]
            assert leaf in person.title, (person.title, person.unit_path)
    titles = collections.Counter(p.title for p in company.people)
    assert titles["Chief Executive Officer"] == 1
    assert any(t.startswith("VP ") for t in titles)
    assert any(t.startswith("Director, ") for t in titles)
    assert titles["Senior Software Engineer"] > 0


# --- purity --------------------------------------------------------------------------------


def test_the_generator_imports_neither_django_nor_the_django_apps() -> None:
    script = (
        "import sys;"
        "from execution2.analytics.synth import generate_organization;"
        "generate_organization(people=40);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' or"
        " (m.startswith('execution2.') and not m.startswith('execution2.analytics')));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
