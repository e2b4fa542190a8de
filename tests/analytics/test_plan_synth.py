"""The synthetic plan: reproducible, shaped as the demo promises."""

from __future__ import annotations

import datetime
import functools

import numpy as np

from execution2.analytics.plan import breadth_by_group
from execution2.analytics.synth import generate_organization
from execution2.analytics.synth.plan import DONE, PROPOSED, SyntheticPlan, generate_plan

AS_OF = datetime.date(2026, 6, 1)


@functools.cache
def plan(seed: int = 7) -> SyntheticPlan:
    return generate_plan(generate_organization(people=300, seed=seed), seed=seed, as_of=AS_OF)


def test_the_same_seed_gives_the_same_plan() -> None:
    again = generate_plan(generate_organization(people=300, seed=7), seed=7, as_of=AS_OF)
    assert again.initiatives == plan().initiatives
    assert np.array_equal(again.assignments.owner, plan().assignments.owner)
    assert np.array_equal(again.checkins.time, plan().checkins.time)


def test_the_plan_has_the_promised_shape() -> None:
    p = plan()
    assert 3 <= len(p.opportunities) <= 5
    assert 10 <= len(p.initiatives) <= 20
    assert len(p.assignments.owner) == 4 * 300
    statuses = np.bincount(p.assignments.status, minlength=5)
    assert statuses[DONE] > 0
    assert statuses[PROPOSED] > 0  # some never acknowledged
    assert len(p.checkins.assignment) > len(p.assignments.owner)
    assert len(p.blockers.assignment) > 0
    assert len(p.recognitions.giver) > 0
    assert not np.any(p.recognitions.giver == p.recognitions.receiver)


def test_one_initiative_is_run_by_marketing_alone_and_one_overspends() -> None:
    p = plan()
    traps = [i for i in p.initiatives if i.marketing_trap]
    assert len(traps) == 1
    assert traps[0].units == ("Marketing",)
    assert sum(i.overspends for i in p.initiatives) == 1
    company = generate_organization(people=300, seed=7)
    tops = sorted({person.unit_path.split(" / ")[0] for person in company.people})
    unit_of = np.array([tops.index(person.unit_path.split(" / ")[0]) for person in company.people])
    a = p.assignments
    people = np.concatenate([a.owner, a.delegator])
    group = np.concatenate([a.initiative, a.initiative])
    pairs = np.unique(np.stack([group, people]), axis=1)
    breadths = breadth_by_group(pairs[0], unit_of[pairs[1]], len(p.initiatives))
    flagged = [n for n, b in enumerate(breadths) if b.marketing_trap]
    assert flagged == [p.initiatives.index(traps[0])]


def test_check_ins_never_come_before_acknowledgement_or_after_today() -> None:
    p = plan()
    c, a = p.checkins, p.assignments
    assert np.all(c.time >= a.acknowledged[c.assignment] - 1e-6)
    now = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC).timestamp()
    assert np.all(c.time <= now + 1e-6)
    assert np.all((c.confidence >= 0) & (c.confidence <= 10))


def test_operations_managers_delegate_with_fewer_instructions_and_due_dates_and_later() -> None:
    """The weak delegation division of the demo's story shows in its assignments too."""
    company = generate_organization(people=600, seed=7)
    p = generate_plan(company, seed=7, as_of=AS_OF)
    a = p.assignments
    division = np.array(
        [person.unit_path.split(" / ")[0] == "Operations" for person in company.people]
    )
    weak = division[a.delegator]
    assert weak.sum() > 50
    assert (~weak).sum() > 500

    def rates(rows: np.ndarray) -> tuple[float, float, float]:
        instructed = float(a.instructed[rows].mean())
        dated = float((~np.isnan(a.due[rows])).mean())
        delay = np.nanmedian(a.acknowledged[rows] - a.created[rows]) / 86400
        return instructed, dated, float(delay)

    weak_instructed, weak_dated, weak_delay = rates(weak)
    other_instructed, other_dated, other_delay = rates(~weak)
    assert weak_instructed < other_instructed - 0.15
    assert weak_dated < other_dated - 0.15
    assert weak_delay > 1.5 * other_delay
