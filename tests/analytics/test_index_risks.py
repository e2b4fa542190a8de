"""Each named risk rule firing, not firing, and staying silent without data."""

from __future__ import annotations

import pytest

from execution2.analytics.index import (
    RISK_KEYS,
    IndexInputs,
    InitiativeFacts,
    NetworkPart,
    PlanPart,
    SurveyPart,
    UnitEI,
    assess_risks,
)
from execution2.analytics.index import risks as rules


def initiative(key: str, **facts: object) -> InitiativeFacts:
    return InitiativeFacts(key, f"Initiative {key}", **facts)  # type: ignore[arg-type]


def survey(**changes: object) -> SurveyPart:
    values: dict[str, object] = {"scores": {"buy_in": 70.0}, "n": {"buy_in": 30}}
    values.update(changes)
    return SurveyPart(**values)  # type: ignore[arg-type]


# --- marketing trap ---


def test_marketing_trap_fires_on_a_narrow_initiative_and_names_it() -> None:
    plan = PlanPart(
        initiatives=(
            initiative("broad", participants=12, breadth=0.9, top_share=0.3),
            initiative("narrow", participants=8, breadth=0.3, top_share=0.45, top_unit="Marketing"),
        )
    )
    risk = rules.marketing_trap(IndexInputs(plan=plan))
    assert risk.fired
    assert risk.severity == "high"  # half of the initiatives
    assert risk.subjects == ("narrow",)
    assert risk.evidence["trapped"] == 1
    assert risk.evidence["initiatives"] == 2
    assert risk.evidence["trapped_initiatives"][0]["top_unit"] == "Marketing"


def test_marketing_trap_fires_when_more_than_half_sit_in_one_unit_despite_breadth() -> None:
    plan = PlanPart(
        initiatives=(
            initiative("a", participants=10, breadth=0.7, top_share=0.6),
            initiative("b", participants=10, breadth=0.9, top_share=0.2),
            initiative("c", participants=10, breadth=0.8, top_share=0.3),
        )
    )
    risk = rules.marketing_trap(IndexInputs(plan=plan))
    assert risk.fired
    assert risk.severity == "medium"
    assert risk.subjects == ("a",)


def test_marketing_trap_does_not_fire_on_broad_initiatives_at_the_thresholds() -> None:
    plan = PlanPart(initiatives=(initiative("a", participants=10, breadth=0.5, top_share=0.5),))
    risk = rules.marketing_trap(IndexInputs(plan=plan))
    assert risk.assessed
    assert not risk.fired
    assert risk.severity == ""


def test_marketing_trap_is_not_assessed_without_participants() -> None:
    plan = PlanPart(initiatives=(initiative("a", participants=0, breadth=None),))
    risk = rules.marketing_trap(IndexInputs(plan=plan))
    assert not risk.assessed
    assert not risk.fired


# --- silos ---


def test_silos_fire_on_high_unit_modularity() -> None:
    risk = rules.silos(IndexInputs(network=NetworkPart(unit_modularity=0.62)))
    assert risk.fired
    assert risk.severity == "medium"
    assert risk.evidence["unit_modularity"] == 0.62


def test_silos_fire_on_a_walled_unit_and_both_signs_make_it_high() -> None:
    network = NetworkPart(
        unit_modularity=0.55,
        unit_ei=(
            UnitEI("Finance", -0.9, 12),
            UnitEI("Sales", -0.2, 40),
            UnitEI("Legal", -1.0, 3),  # too small to judge (and to name)
        ),
    )
    risk = rules.silos(IndexInputs(network=network))
    assert risk.fired
    assert risk.severity == "high"
    assert risk.subjects == ("Finance",)
    assert risk.evidence["units_measured"] == 2


def test_silos_do_not_fire_on_an_open_network() -> None:
    network = NetworkPart(unit_modularity=0.35, unit_ei=(UnitEI("Finance", -0.5, 12),))
    risk = rules.silos(IndexInputs(network=network))
    assert risk.assessed
    assert not risk.fired


def test_silos_are_not_assessed_without_network_data() -> None:
    assert not rules.silos(IndexInputs(network=NetworkPart(people=10))).assessed


# --- low buy-in ---


@pytest.mark.parametrize(
    ("score", "fired", "severity"),
    [(45.0, True, "high"), (55.0, True, "medium"), (60.0, False, ""), (80.0, False, "")],
)
def test_low_buy_in_fires_under_60_and_is_high_under_50(
    score: float, fired: bool, severity: str
) -> None:
    risk = rules.low_buy_in(IndexInputs(survey=survey(scores={"buy_in": score})))
    assert risk.fired is fired
    assert risk.severity == severity
    assert risk.evidence == {"buy_in": score, "n": 30, "threshold": 60.0}


def test_low_buy_in_is_not_assessed_without_buy_in_answers() -> None:
    assert not rules.low_buy_in(IndexInputs(survey=survey(scores={}, n={}))).assessed


# --- low response rate ---


def test_low_response_rate_fires_under_half() -> None:
    risk = rules.low_response_rate(IndexInputs(survey=survey(invited=100, responded=42)))
    assert risk.fired
    assert risk.severity == "medium"
    assert risk.evidence["rate"] == 0.42
    assert "42 of 100" in risk.summary


def test_low_response_rate_is_high_under_30_percent_using_the_largest_scale_n() -> None:
    risk = rules.low_response_rate(IndexInputs(survey=survey(invited=200)))
    assert risk.fired
    assert risk.severity == "high"
    assert risk.evidence["responded"] == 30


def test_low_response_rate_does_not_fire_at_half_or_more() -> None:
    risk = rules.low_response_rate(IndexInputs(survey=survey(invited=60)))
    assert risk.assessed
    assert not risk.fired


def test_low_response_rate_is_not_assessed_without_invitations() -> None:
    assert not rules.low_response_rate(IndexInputs(survey=survey())).assessed


# --- unreliable scale ---


def test_unreliable_scale_fires_on_alpha_under_0_7_and_names_the_scales() -> None:
    inputs = IndexInputs(
        survey=survey(alpha={"leadership": 0.82, "conflict": 0.64, "motivation": 0.45})
    )
    risk = rules.unreliable_scale(inputs)
    assert risk.fired
    assert risk.severity == "high"
    assert risk.subjects == ("motivation", "conflict")
    assert [u["scale"] for u in risk.evidence["unreliable"]] == ["motivation", "conflict"]


def test_unreliable_scale_does_not_fire_when_every_alpha_is_0_7_or_more() -> None:
    risk = rules.unreliable_scale(IndexInputs(survey=survey(alpha={"leadership": 0.7})))
    assert risk.assessed
    assert not risk.fired


def test_unreliable_scale_is_not_assessed_without_alpha() -> None:
    risk = rules.unreliable_scale(IndexInputs(survey=survey(alpha={"leadership": float("nan")})))
    assert not risk.assessed


# --- leadership reach ---


def test_leadership_reach_fires_when_the_front_line_is_many_hops_away() -> None:
    risk = rules.leadership_reach(IndexInputs(network=NetworkPart(reach_p90=5.0, reach_share=0.95)))
    assert risk.fired
    assert risk.severity == "medium"
    assert risk.evidence["reach_p90"] == 5.0


def test_leadership_reach_fires_high_when_few_are_reached_or_involved() -> None:
    inputs = IndexInputs(
        network=NetworkPart(reach_p90=3.0, reach_share=0.7),
        plan=PlanPart(involved_share=0.1),
    )
    risk = rules.leadership_reach(inputs)
    assert risk.fired
    assert risk.severity == "high"
    assert "70%" in risk.summary
    assert "10%" in risk.summary


def test_leadership_reach_does_not_fire_when_leadership_is_close() -> None:
    inputs = IndexInputs(
        network=NetworkPart(reach_p90=4.0, reach_share=0.95), plan=PlanPart(involved_share=0.6)
    )
    risk = rules.leadership_reach(inputs)
    assert risk.assessed
    assert not risk.fired


def test_leadership_reach_is_not_assessed_without_reach_or_involvement() -> None:
    assert not rules.leadership_reach(IndexInputs(network=NetworkPart(people=5))).assessed


# --- overspending ---


def test_overspending_fires_on_more_than_10_percent_over_plan_to_date() -> None:
    plan = PlanPart(
        initiatives=(
            initiative("over", planned_to_date=100_000.0, actual_to_date=125_000.0),
            initiative("fine", planned_to_date=400_000.0, actual_to_date=380_000.0),
            initiative("unplanned", planned_to_date=0.0, actual_to_date=5_000.0),
        )
    )
    risk = rules.overspending(IndexInputs(plan=plan))
    assert risk.fired
    assert risk.subjects == ("over", "unplanned")
    # Portfolio: 510,000 spent against 500,000 planned: +2%, so not high.
    assert risk.severity == "medium"
    assert risk.evidence["portfolio_variance_share"] == 0.02
    assert risk.evidence["overspending"][0]["variance_share"] == 0.25


def test_overspending_is_high_when_the_portfolio_is_over_by_more_than_10_percent() -> None:
    plan = PlanPart(initiatives=(initiative("a", planned_to_date=100.0, actual_to_date=150.0),))
    assert rules.overspending(IndexInputs(plan=plan)).severity == "high"


def test_overspending_does_not_fire_at_10_percent_over() -> None:
    plan = PlanPart(initiatives=(initiative("a", planned_to_date=100.0, actual_to_date=110.0),))
    risk = rules.overspending(IndexInputs(plan=plan))
    assert risk.assessed
    assert not risk.fired


def test_overspending_is_not_assessed_without_spend() -> None:
    plan = PlanPart(initiatives=(initiative("a", planned_to_date=100.0),))
    assert not rules.overspending(IndexInputs(plan=plan)).assessed


# --- all rules ---


def test_assess_risks_runs_every_rule_fired_high_first_then_medium_cleared_unassessed() -> None:
    inputs = IndexInputs(
        survey=survey(scores={"buy_in": 55.0}, invited=40, alpha={"leadership": 0.8}),
        network=NetworkPart(unit_modularity=0.7, unit_ei=(UnitEI("Ops", -0.95, 20),)),
    )
    risks = assess_risks(inputs)
    assert sorted(r.key for r in risks) == sorted(RISK_KEYS)
    assert [(r.key, r.severity) for r in risks if r.fired] == [
        ("silos", "high"),
        ("low_buy_in", "medium"),
    ]
    states = [(r.fired, r.assessed) for r in risks]
    assert states == sorted(states, key=lambda s: (not s[0], not s[1]))
    assert all(isinstance(r.summary, str) and r.summary for r in risks)
