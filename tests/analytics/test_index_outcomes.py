"""Outcomes (AUC and suggested weights), the trend over cycles, and the recommendation catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from execution2.analytics.index import (
    COMPONENTS,
    RISK_KEYS,
    CatalogueError,
    IndexInputs,
    Place,
    Priority,
    Risk,
    SurveyPart,
    TrendPoint,
    execution_index,
    gap_places,
    index_trend,
    load_catalogue,
    outcome_auc,
    recommend,
    suggest_weights,
)
from execution2.analytics.index.outcomes import auc_score, delong_variance

# --- AUC ---


def test_perfectly_separated_outcomes_give_an_auc_of_1() -> None:
    result = outcome_auc([80, 90, 40, 50], ["succeeded", "succeeded", "failed", "failed"])
    assert result.auc == 1.0
    assert result.low == result.high == 1.0  # DeLong's variance is zero here


def test_reversed_outcomes_give_an_auc_of_0() -> None:
    assert outcome_auc([40, 50, 80, 90], ["succeeded", "succeeded", "failed", "failed"]).auc == 0


def test_ties_between_classes_count_half() -> None:
    assert outcome_auc([60, 60, 60, 60], ["succeeded", "failed", "succeeded", "failed"]).auc == 0.5


def test_auc_on_a_hand_example_with_partly_left_out() -> None:
    """Successes at 2 and 4, failures at 1 and 3: of the 4 pairs, 3 are ordered -> 0.75.
    The "partly" outcome at 10 is left out and counted."""
    result = outcome_auc(
        [1.0, 2.0, 3.0, 4.0, 10.0], ["failed", "succeeded", "failed", "succeeded", "partly"]
    )
    assert result.auc == 0.75
    assert result.partly == 1
    assert (result.successes, result.failures) == (2, 2)
    assert not result.enough
    assert "at least 20" in result.reason


def test_delong_variance_matches_its_hand_computation() -> None:
    """Successes [2, 4], failures [1, 3]. psi rows (per success): [1, 0], [1, 1].
    V10 = [0.5, 1.0] (var 0.125), V01 = [1.0, 0.5] (var 0.125); var = 0.125/2 + 0.125/2."""
    values = np.array([1.0, 2.0, 3.0, 4.0])
    success = np.array([False, True, False, True])
    assert delong_variance(values, success) == pytest.approx(0.125)
    assert auc_score(values, success) == 0.75


def test_the_auc_interval_is_enough_with_20_outcomes_and_narrows_with_more() -> None:
    rng = np.random.default_rng(3)
    outcomes = ["succeeded" if s else "failed" for s in rng.random(200) < 0.5]
    index = np.array([70.0 if o == "succeeded" else 60.0 for o in outcomes])
    index += rng.normal(0, 8, 200)
    full = outcome_auc(index, outcomes)
    small = outcome_auc(index[:24], outcomes[:24])
    assert full.enough
    assert full.reason == ""
    assert full.low is not None
    assert full.high is not None
    assert small.low is not None
    assert small.high is not None
    assert full.low < full.auc < full.high  # type: ignore[operator]
    assert 0.7 < full.auc < 0.9  # type: ignore[operator]
    assert full.high - full.low < small.high - small.low


def test_an_auc_needs_both_outcomes() -> None:
    result = outcome_auc([50, 60], ["succeeded", "succeeded"])
    assert result.auc is None
    assert "one success and one failure" in result.reason


def test_outcomes_without_an_index_are_left_out_and_unknown_outcomes_refused() -> None:
    result = outcome_auc([float("nan"), 80, 40], ["failed", "succeeded", "failed"])
    assert (result.successes, result.failures) == (1, 1)
    with pytest.raises(ValueError, match="unknown outcomes: won"):
        outcome_auc([1.0], ["won"])


# --- suggested weights ---


def simulated_outcomes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, list[str]]:
    """Nine component scores, only delivery (column 7) related to success."""
    scores = rng.normal(60, 12, (n, len(COMPONENTS)))
    delivery = scores[:, COMPONENTS.index("delivery")]
    p = 1 / (1 + np.exp(-(delivery - 60) / 5))
    outcomes = ["succeeded" if s else "failed" for s in rng.random(n) < p]
    return scores, outcomes


def test_the_weight_suggestion_recovers_the_informative_component() -> None:
    rng = np.random.default_rng(11)
    scores, outcomes = simulated_outcomes(rng, 300)
    scores[rng.random(scores.shape) < 0.05] = np.nan  # some components missing
    suggestion = suggest_weights(scores, outcomes)
    assert suggestion.weights is not None
    assert sum(suggestion.weights.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in suggestion.weights.values())
    assert max(suggestion.weights, key=lambda k: suggestion.weights[k]) == "delivery"  # type: ignore[index]
    assert suggestion.weights["delivery"] > 0.6
    assert suggestion.coefficients["delivery"] > 1.0
    assert suggestion.auc_suggested is not None
    assert suggestion.auc_current is not None
    assert suggestion.auc_suggested > suggestion.auc_current
    assert suggestion.successes + suggestion.failures == 300


def test_no_weights_are_suggested_with_fewer_than_20_outcomes() -> None:
    scores, outcomes = simulated_outcomes(np.random.default_rng(1), 19)
    suggestion = suggest_weights(scores, outcomes)
    assert suggestion.weights is None
    assert "Not enough outcomes" in suggestion.reason


def test_no_weights_are_suggested_with_only_one_kind_of_outcome() -> None:
    scores, _ = simulated_outcomes(np.random.default_rng(1), 40)
    suggestion = suggest_weights(scores, ["succeeded"] * 38 + ["failed"] * 2)
    assert suggestion.weights is None
    assert (suggestion.successes, suggestion.failures) == (38, 2)


def test_partly_outcomes_do_not_count_towards_a_fit() -> None:
    scores, outcomes = simulated_outcomes(np.random.default_rng(1), 30)
    suggestion = suggest_weights(scores, ["partly"] * 15 + outcomes[15:])
    assert suggestion.partly == 15
    assert suggestion.weights is None


def test_no_weights_are_suggested_when_every_component_points_the_wrong_way() -> None:
    rng = np.random.default_rng(2)
    scores = rng.normal(60, 12, (100, len(COMPONENTS)))
    mean = scores.mean(axis=1)
    outcomes = ["succeeded" if m < np.median(mean) else "failed" for m in mean]
    suggestion = suggest_weights(scores, outcomes)
    assert suggestion.weights is None
    assert "No component scored higher" in suggestion.reason


# --- trend ---


def test_the_trend_orders_cycles_and_reports_changes() -> None:
    points = [
        TrendPoint(dt.date(2026, 4, 1), "Spring", 64.0, 62.0, 66.0, 80, {"conflict": 50.0}),
        TrendPoint(dt.date(2025, 10, 1), "Autumn", 58.0, 56.0, 60.0, 75, {"conflict": 45.0}),
        TrendPoint(dt.date(2026, 10, 1), "Next autumn", 65.0, 63.0, 67.0, 70, {"conflict": None}),
    ]
    steps = index_trend(points)
    assert [s.point.label for s in steps] == ["Autumn", "Spring", "Next autumn"]
    assert [s.change for s in steps] == [None, 6.0, 1.0]
    assert [s.clear for s in steps] == [None, True, False]
    assert steps[1].component_changes == {"conflict": 5.0}
    assert steps[2].component_changes == {"conflict": None}


def test_a_trend_point_without_an_index_breaks_the_change() -> None:
    steps = index_trend(
        [TrendPoint(dt.date(2026, 1, 1), "a", None), TrendPoint(dt.date(2026, 2, 1), "b", 60.0)]
    )
    assert steps[1].change is None
    assert steps[1].clear is None
    with pytest.raises(ValueError, match="share a date"):
        index_trend([TrendPoint(dt.date(2026, 1, 1), "a", 1.0)] * 2)


def test_a_trend_point_can_be_taken_from_an_index_result() -> None:
    inputs = IndexInputs(survey=SurveyPart(scores={"buy_in": 40.0}, n={"buy_in": 12}))
    result = execution_index(inputs)
    point = TrendPoint.of(dt.date(2026, 1, 1), "Winter", result)
    assert point.index == result.index
    assert point.components["buy_in"] == 40.0


# --- the recommendation catalogue ---


def test_the_catalogue_loads_and_covers_every_component_and_risk() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.components) == set(COMPONENTS)
    assert set(catalogue.risks) == set(RISK_KEYS)
    for advice in [*catalogue.components.values(), *catalogue.risks.values()]:
        assert advice.title
        assert 3 <= len(advice.actions) <= 5
        assert all(len(action) > 20 for action in advice.actions)


def test_a_catalogue_with_problems_is_refused_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\n"
        "components:\n"
        "  leadership: {title: Lead, actions: [one thing to do, another thing]}\n"
        "  luck: {title: Luck, actions: [a, b, c]}\n"
        "risks: {}\n"
        "extra: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    problems = error.value.problems
    assert "components.leadership: needs 3 to 5 actions" in problems
    assert "components: no entry for delegation" in problems
    assert "components: unknown key luck" in problems
    assert "risks: no entry for silos" in problems
    assert "unknown section extra" in problems


def test_recommendations_attach_actions_and_the_places_with_the_largest_gaps() -> None:
    catalogue = load_catalogue()
    priorities = [
        Priority("conflict", "Conflict and collaboration", 50.0, 25.0, 0.1, 2.5),
        Priority("delivery", "Delivery", 70.0, 5.0, 0.1, 0.5),
    ]
    risks = [
        Risk("silos", "Silos", "high", True, True, "Silos: ...", {}, ("Finance",)),
        Risk("low_buy_in", "Low buy-in", "", False, True, "Buy-in is 70 of 100."),
    ]
    where = {
        "conflict": [
            Place("unit", "Sales", gap=12.0, n=25, key="7"),
            Place("unit", "Legal", gap=30.0, n=3),  # too few people to show
            Place("manager", "A. Manager", gap=20.0, n=6),
            Place("unit", "Ops", gap=-2.0, n=40),  # above target
            Place("unit", "IT", gap=5.0, n=10),
            Place("unit", "HR", gap=4.0, n=10),
        ]
    }
    recommendations = recommend(priorities, risks, catalogue, where=where, limit=1)
    assert [(r.kind, r.key) for r in recommendations] == [
        ("risk", "silos"),
        ("component", "conflict"),
    ]
    silos, conflict = recommendations
    assert silos.actions == catalogue.risks["silos"].actions
    assert silos.subjects == ("Finance",)
    assert [p.label for p in conflict.where] == ["A. Manager", "Sales", "IT"]
    assert "2.5 index points" in conflict.reason
    with pytest.raises(ValueError, match="below 3"):
        recommend(priorities, risks, catalogue, min_group=2)


def test_the_catalogue_never_repeats_an_action_across_entries() -> None:
    catalogue = load_catalogue()
    actions = [
        action
        for advice in [*catalogue.components.values(), *catalogue.risks.values()]
        for action in advice.actions
    ]
    assert len(actions) == len(set(actions))


def test_gap_places_feed_recommendations_for_priorities_and_risks() -> None:
    """Two units: Sales (buy-in 50, 12 people) and Ops (buy-in 70, 4 people): both below 75,
    but Ops rests on too few people to be named; Sales' gap is 25."""
    sales = execution_index(
        IndexInputs(survey=SurveyPart(scores={"buy_in": 50.0}, n={"buy_in": 12}))
    )
    ops = execution_index(IndexInputs(survey=SurveyPart(scores={"buy_in": 70.0}, n={"buy_in": 4})))
    places = gap_places([sales, ops], ["Sales", "Ops"], keys=["1", "2"])
    assert [(p.label, p.gap, p.n, p.key) for p in places["buy_in"]] == [
        ("Sales", 25.0, 12, "1"),
        ("Ops", 5.0, 4, "2"),
    ]
    assert places["conflict"] == []
    risk = Risk("low_buy_in", "Low buy-in", "high", True, True, "Buy-in is 50 of 100.")
    (advice,) = recommend([], [risk], load_catalogue(), where=places)
    assert [p.label for p in advice.where] == ["Sales"]
