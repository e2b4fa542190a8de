"""Instrument quality of a cycle: kept at close, on its page, in `assess report --json`."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from execution2.analytics.assessment.instrument import ATTRIBUTES, built_in_instrument
from execution2.assessments.models import Cycle, Response
from execution2.assessments.services import cycle_create
from execution2.assessments.validity import validity_compute, validity_get
from execution2.cli import cli
from execution2.orgs.models import Unit

pytestmark = pytest.mark.django_db


def pulse_cycle(organization: Any, sizes: dict[str, int], seed: int = 1) -> Cycle:
    """A pulse cycle whose answers follow six correlated factors, buy-in driven mostly by
    delegation; `sizes` is how many respond in each unit."""
    cycle = cycle_create(
        organization=organization,
        name="Pulse",
        kind="pulse",
        opens_on=datetime.date(2026, 3, 2),
        closes_on=datetime.date(2026, 3, 20),
    )
    spec = built_in_instrument()
    rng = np.random.default_rng(seed)
    phi = np.full((6, 6), 0.35)
    np.fill_diagonal(phi, 1.0)
    rows = []
    for path, count in sizes.items():
        unit = Unit.objects.get(organization=organization, path=path)
        latent = rng.multivariate_normal(np.zeros(6), phi, count)
        buy_in = 0.7 * latent[:, 1] + 0.2 * latent[:, 0] + 0.5 * rng.normal(size=count)
        for r in range(count):
            answers = {}
            for scale in spec.scales:
                level = (
                    buy_in[r] if scale.key == "buy_in" else latent[r, ATTRIBUTES.index(scale.key)]
                )
                for item in scale.items:
                    value = 0.75 * level + 0.65 * rng.normal()
                    answers[item.key] = int(np.digitize(value, [-1.5, -0.5, 0.5, 1.5]) + 1)
            rows.append(
                Response(
                    cycle=cycle,
                    rater_group="member",
                    unit=unit,
                    answers=answers,
                    submitted_on=datetime.date(2026, 3, 10),
                )
            )
    Response.objects.bulk_create(rows)
    return cycle


def test_a_six_factor_cycle_fits_and_its_buy_in_is_driven_by_delegation(acme: Any) -> None:
    cycle = pulse_cycle(acme, {"Sales": 200, "Ops": 150})
    assert validity_get(cycle=cycle) is None
    row = validity_compute(cycle=cycle)
    structure = row.data["structure"]
    assert structure["n"] == 350
    assert structure["cfi"] > 0.95
    assert structure["srmr"] < 0.08
    assert not [f for f in structure["flags"] if "HTMT" in f]
    assert structure["comparison"]["delta_df"] == 15
    # Pulse answers come from one rater group: nothing to compare.
    assert structure["invariance"]["rater_groups"] is None
    buy_in = row.data["drivers"]["buy_in"]
    weights = buy_in["organization"]["weights"]
    assert max(weights, key=lambda k: weights[k]["raw"]) == "delegation"
    assert {u["unit"] for u in buy_in["units"]} == {"Sales", "Ops"}
    # No plan, so no delivery drivers, and it says why.
    assert row.data["drivers"]["delivery"]["organization"] is None
    assert "managers" in row.data["drivers"]["delivery"]["reason"]
    assert validity_get(cycle=cycle) == row


def test_a_unit_under_the_threshold_gets_no_drivers(acme: Any) -> None:
    # Sales / Inside has 3 respondents: hidden, and with it its smallest sibling by
    # complementary suppression; neither may appear among the drivers.
    cycle = pulse_cycle(acme, {"Sales": 120, "Sales / Inside": 3, "Ops": 100}, seed=2)
    data = validity_compute(cycle=cycle).data
    from execution2.assessments.results import cycle_result

    result = cycle_result(cycle)
    shown = {
        u.path
        for u in Unit.objects.filter(organization=acme)
        if (g := result.group("unit", u.pk)) is not None and not g.suppressed
    }
    units = {u["unit"] for u in data["drivers"]["buy_in"]["units"]}
    assert "Sales / Inside" not in units
    assert units <= shown


def test_assess_report_json_carries_the_validity_summary(acme: Any) -> None:
    cycle = pulse_cycle(acme, {"Sales": 130, "Ops": 100}, seed=3)
    out = CliRunner().invoke(
        cli, ["assess", "report", "--org", "acme", "--cycle", str(cycle.pk), "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output[out.output.index("{") :])
    validity = data["validity"]
    assert set(validity) >= {"cfi", "tli", "rmsea", "srmr", "htmt", "drivers"}
    assert validity["cfi"] > 0.9
    assert len(validity["htmt"]) == 15
    assert validity["drivers"]["buy_in"]["organization"]["n"] == 230
    # Computed once, kept: the plain report reads the kept analysis.
    plain = CliRunner().invoke(cli, ["assess", "report", "--org", "acme", "--cycle", str(cycle.pk)])
    assert "Instrument quality (n=230): CFI" in plain.output


def test_a_small_cycle_says_why_it_has_no_factor_analysis(acme: Any) -> None:
    cycle = pulse_cycle(acme, {"Sales": 40}, seed=4)
    data = validity_compute(cycle=cycle).data
    assert data["structure"]["reason"] == (
        "only 40 complete responses; a factor analysis needs 200"
    )
    assert data["drivers"]["buy_in"]["organization"] is None


def test_the_quality_page_shows_the_fit_and_admins_can_recompute(
    acme: Any, make_user: Callable[..., Any]
) -> None:
    cycle = pulse_cycle(acme, {"Sales": 200, "Ops": 100}, seed=5)
    executive, admin = Client(), Client()
    executive.force_login(make_user("exec@acme.example", acme, "executive"))
    admin.force_login(make_user("admin@acme.example", acme, "admin"))
    url = reverse("assessments:quality", kwargs={"org_slug": "acme", "cycle_id": cycle.pk})
    before = executive.get(url)
    assert before.status_code == 200
    assert "Not computed for the current answers yet" in before.content.decode()
    assert executive.post(url).status_code == 403
    submitted = admin.post(url)
    assert submitted.status_code == 302
    assert "/jobs/" in submitted["Location"]
    validity_compute(cycle=cycle)
    page = executive.get(url).content.decode()
    assert "Six-factor structure" in page
    assert "What drives plan buy-in" in page
    assert "vega-chart" in page
    cycle_page = executive.get(
        reverse("assessments:cycle", kwargs={"org_slug": "acme", "cycle_id": cycle.pk})
    ).content.decode()
    assert url in cycle_page


def test_gaps_are_weighed_by_importance_only_where_drivers_exist(acme: Any) -> None:
    from execution2.assessments.validity import gap_importance

    cycle = pulse_cycle(acme, {"Sales": 200, "Ops": 100}, seed=6)
    components = [
        {"key": key, "title": key.title(), "gap": 10.0, "missing": False} for key in ATTRIBUTES
    ] + [{"key": "connectedness", "title": "Connectedness", "gap": 30.0, "missing": False}]
    assert gap_importance(cycle=cycle, unit_path=None, components=components)["rows"] == []
    validity_compute(cycle=cycle)
    weighed = gap_importance(cycle=cycle, unit_path=None, components=components)
    assert next(r["key"] for r in weighed["rows"]) == "delegation"
    assert {r["key"] for r in weighed["rows"]} == set(ATTRIBUTES)
    assert "plan buy-in in the organization (n 300" in weighed["basis"]
    small = gap_importance(cycle=cycle, unit_path="Office", components=components)
    assert small["rows"] == []
    assert "too few respondents in Office" in small["reason"]
