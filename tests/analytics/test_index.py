"""The Execution Index (design.md 4.4) on a small organization computed by hand, re-weighting when
components are missing, weights, and the bootstrap interval over respondents.

The hand-computed organization (`small_org`), default weights (10% per attribute, 20%
connectedness, 10% delivery, 10% buy-in), target 75:

    attributes (survey, 20 respondents each):
        leadership 60, delegation 70, stewardship 80, conflict 50, motivation 65,
        consideration 75                                    -> sum 400, x 0.1 = 40.0
    buy-in 57                                               -> x 0.1 = 5.7
    connectedness = mean of its four parts = (50 + 90 + 50 + 70) / 4 = 65   -> x 0.2 = 13.0
        cross-unit share 0.25 -> 100 * min(1, 0.25 / 0.5)             = 50
        isolate share 0.10    -> 100 * (1 - 0.10)                     = 90
        reach: everyone reached, mean 4 hops -> 100 * 1.0 * (6 - 4) / (6 - 2) = 50
        initiative breadth 0.6 and 0.8 -> 100 * 0.7                   = 70
    delivery = mean of on-time 0.8 -> 80 and progress (spi 0.9) -> 90 = 85  -> x 0.1 = 8.5
    index = 40.0 + 5.7 + 13.0 + 8.5 = 67.2

    gaps (75 - score): leadership 15, delegation 5, stewardship -5, conflict 25, motivation 10,
        consideration 0, connectedness 10, delivery -10, buy-in 18
    priorities by weight x gap (positive gaps only):
        conflict 0.1*25 = 2.5, connectedness 0.2*10 = 2.0, buy-in 0.1*18 = 1.8,
        leadership 1.5, motivation 1.0, delegation 0.5
"""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    SURVEY_COMPONENTS,
    IndexInputs,
    InitiativeFacts,
    NetworkPart,
    PlanPart,
    RespondentTable,
    SurveyPart,
    WeightsError,
    component_values,
    execution_index,
    execution_indexes,
    index_arrays,
    validate_target,
    validate_weights,
)

SCORES = {
    "leadership": 60.0,
    "delegation": 70.0,
    "stewardship": 80.0,
    "conflict": 50.0,
    "motivation": 65.0,
    "consideration": 75.0,
    "buy_in": 57.0,
}
INITIATIVES = (
    InitiativeFacts("i1", "Customer community", participants=10, breadth=0.6, top_share=0.4),
    InitiativeFacts("i2", "Social care desk", participants=8, breadth=0.8, top_share=0.3),
)


def survey(**changes: object) -> SurveyPart:
    values: dict[str, object] = {
        "scores": SCORES,
        "n": {key: 20 for key in SCORES},
        "cycle": "Spring 2026",
    }
    values.update(changes)
    return SurveyPart(**values)  # type: ignore[arg-type]


def network() -> NetworkPart:
    return NetworkPart(
        window="2026-01-01 to 2026-03-31",
        people=40,
        cross_unit_share=0.25,
        isolate_share=0.10,
        reach_mean=4.0,
        reach_share=1.0,
    )


def plan(**changes: object) -> PlanPart:
    values: dict[str, object] = {
        "as_of": "2026-04-01",
        "on_time_share": 0.8,
        "on_time_base": 50,
        "progress_spi": 0.9,
        "initiatives": INITIATIVES,
    }
    values.update(changes)
    return PlanPart(**values)  # type: ignore[arg-type]


def small_org() -> IndexInputs:
    return IndexInputs(survey=survey(), network=network(), plan=plan())


def test_the_small_organization_index_matches_the_hand_computation() -> None:
    result = execution_index(small_org())
    assert result.index == pytest.approx(67.2)
    assert result.gap == pytest.approx(75 - 67.2)
    assert not result.reweighted
    assert result.note == ""
    assert result.respondents == 20
    connectedness = result.component("connectedness")
    assert connectedness.score == pytest.approx(65.0)
    assert connectedness.parts == pytest.approx(
        {"cross_unit": 50, "isolates": 90, "leadership_reach": 50, "initiative_breadth": 70}
    )
    assert connectedness.n == 40
    assert connectedness.sources == (
        "network: 2026-01-01 to 2026-03-31",
        "plan: initiative breadth",
    )
    delivery = result.component("delivery")
    assert delivery.score == pytest.approx(85.0)
    assert delivery.n == 50
    assert result.component("leadership").sources == ("survey: Spring 2026",)


def test_the_small_organization_gaps_are_target_minus_score() -> None:
    result = execution_index(small_org())
    gaps = {c.key: c.gap for c in result.components}
    assert gaps == pytest.approx(
        {
            "leadership": 15,
            "delegation": 5,
            "stewardship": -5,
            "conflict": 25,
            "motivation": 10,
            "consideration": 0,
            "connectedness": 10,
            "delivery": -10,
            "buy_in": 18,
        }
    )


def test_the_small_organization_priorities_are_ordered_by_weight_times_gap() -> None:
    result = execution_index(small_org())
    assert [p.key for p in result.priorities] == [
        "conflict",
        "connectedness",
        "buy_in",
        "leadership",
        "motivation",
        "delegation",
    ]
    assert [p.priority for p in result.priorities] == pytest.approx([2.5, 2.0, 1.8, 1.5, 1.0, 0.5])


def test_a_higher_target_widens_every_gap_and_adds_priorities() -> None:
    result = execution_index(small_org(), target=90)
    assert result.component("delivery").gap == pytest.approx(5)
    assert "delivery" in {p.key for p in result.priorities}


def test_a_missing_component_is_reweighted_not_counted_as_zero() -> None:
    """Without delivery: (40.0 + 13.0 + 5.7) / 0.9 = 65.222..., each other weight / 0.9."""
    inputs = IndexInputs(survey=survey(), network=network(), plan=PlanPart(initiatives=INITIATIVES))
    result = execution_index(inputs)
    delivery = result.component("delivery")
    assert delivery.missing
    assert delivery.score is None
    assert delivery.gap is None
    assert delivery.effective_weight == 0
    assert delivery.weight == pytest.approx(0.1)
    assert result.index == pytest.approx(58.7 / 0.9)
    assert result.component("connectedness").effective_weight == pytest.approx(0.2 / 0.9)
    assert sum(c.effective_weight for c in result.components) == pytest.approx(1.0)
    assert result.reweighted
    assert result.missing == ("delivery",)
    assert "no data for delivery" in result.note
    assert "90%" in result.note
    assert "delivery" not in {p.key for p in result.priorities}
    zero = execution_index(
        IndexInputs(
            survey=survey(), network=network(), plan=plan(on_time_share=0.0, progress_spi=0.0)
        )
    )
    assert zero.index == pytest.approx(58.7)
    assert result.index != zero.index


def test_connectedness_is_the_mean_of_the_parts_that_are_present() -> None:
    only_isolates = IndexInputs(network=NetworkPart(people=12, isolate_share=0.25))
    value = component_values(only_isolates)["connectedness"]
    assert value.score == pytest.approx(75.0)
    assert value.parts == {"isolates": 75.0}
    assert value.n == 12


def test_leadership_reach_counts_unreached_people_as_no_reach() -> None:
    half = component_values(IndexInputs(network=NetworkPart(reach_share=0.5, reach_mean=2.0)))
    assert half["connectedness"].parts["leadership_reach"] == pytest.approx(50.0)
    far = component_values(IndexInputs(network=NetworkPart(reach_share=1.0, reach_mean=7.5)))
    assert far["connectedness"].parts["leadership_reach"] == 0.0


def test_cross_unit_share_above_half_scores_no_more_than_half() -> None:
    value = component_values(IndexInputs(network=NetworkPart(cross_unit_share=0.8)))
    assert value["connectedness"].score == 100.0


def test_progress_ahead_of_plan_is_capped_at_on_schedule() -> None:
    value = component_values(IndexInputs(plan=PlanPart(progress_spi=1.4)))
    assert value["delivery"].score == 100.0
    assert value["delivery"].parts == {"progress": 100.0}


def test_a_survey_scale_without_respondents_is_missing() -> None:
    part = survey(n={**{key: 20 for key in SCORES}, "motivation": 0})
    assert component_values(IndexInputs(survey=part))["motivation"].score is None


def test_with_no_data_at_all_there_is_no_index_rather_than_zero() -> None:
    result = execution_index(IndexInputs())
    assert result.index is None
    assert result.gap is None
    assert result.priorities == ()
    assert result.interval is None
    assert all(c.missing and c.score is None for c in result.components)
    assert result.missing == COMPONENTS
    assert result.note.startswith("No data yet")
    assert not result.reweighted


def test_with_data_only_for_zero_weight_components_there_is_no_index() -> None:
    weights = {key: 0.0 for key in COMPONENTS} | {"delivery": 1.0}
    result = execution_index(IndexInputs(survey=survey()), weights=weights)
    assert result.index is None
    assert "zero weight" in result.note


def test_weights_are_normalised_so_their_scale_does_not_matter() -> None:
    doubled = {key: 2 * w for key, w in DEFAULT_WEIGHTS.items()}
    assert execution_index(small_org(), weights=doubled).index == pytest.approx(67.2)
    assert sum(validate_weights(doubled).values()) == pytest.approx(1.0)


def test_an_organization_can_weight_one_component_alone() -> None:
    weights = {key: 0.0 for key in COMPONENTS} | {"conflict": 3.0}
    result = execution_index(small_org(), weights=weights)
    assert result.index == pytest.approx(50.0)
    assert [p.key for p in result.priorities] == ["conflict"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({**DEFAULT_WEIGHTS, "delivery": -0.1}, "delivery: the weight must be zero or more"),
        ({key: 0.0 for key in COMPONENTS}, "at least one weight must be above zero"),
        ({**DEFAULT_WEIGHTS, "luck": 0.1}, "unknown components: luck"),
        ({k: w for k, w in DEFAULT_WEIGHTS.items() if k != "buy_in"}, "no weight for: buy_in"),
        ({**DEFAULT_WEIGHTS, "conflict": float("nan")}, "conflict: the weight must be zero"),
        ({**DEFAULT_WEIGHTS, "conflict": "high"}, "conflict: the weight must be a number"),
    ],
)
def test_invalid_weights_are_refused_in_plain_words(
    weights: dict[str, float], message: str
) -> None:
    with pytest.raises(WeightsError) as error:
        validate_weights(weights)
    assert any(p.startswith(message) for p in error.value.problems)


@pytest.mark.parametrize("target", [-1, 101, float("nan"), True])
def test_a_target_outside_0_to_100_is_refused(target: float) -> None:
    with pytest.raises(ValueError, match="target"):
        validate_target(target)


def test_index_arrays_handles_many_scopes_with_missing_components() -> None:
    scores = np.full((3, len(COMPONENTS)), np.nan)
    scores[0] = 50.0
    scores[1, 0] = 80.0
    weights = np.full(len(COMPONENTS), 1 / len(COMPONENTS))
    index, effective = index_arrays(scores, weights)
    assert index[0] == pytest.approx(50.0)
    assert index[1] == pytest.approx(80.0)
    assert np.isnan(index[2])
    assert effective[1, 0] == pytest.approx(1.0)
    assert effective[2].sum() == 0


# --- The bootstrap interval ---------------------------------------------------------------

VALUES = np.array([0.0, 25.0, 50.0, 75.0, 100.0])
# Each scale's answers are drawn from its own distribution over the five values above.
PROBABILITIES = np.array(
    [
        [0.05, 0.15, 0.30, 0.35, 0.15],
        [0.10, 0.20, 0.30, 0.25, 0.15],
        [0.02, 0.08, 0.25, 0.40, 0.25],
        [0.20, 0.25, 0.25, 0.20, 0.10],
        [0.05, 0.10, 0.35, 0.30, 0.20],
        [0.03, 0.07, 0.20, 0.40, 0.30],
        [0.15, 0.20, 0.30, 0.25, 0.10],
    ]
)
TRUE_MEANS = PROBABILITIES @ VALUES


def simulated_respondents(rng: np.random.Generator, n: int) -> np.ndarray:
    columns = [rng.choice(VALUES, size=n, p=p) for p in PROBABILITIES]
    data = np.stack(columns, axis=1)
    data[rng.random(data.shape) < 0.05] = np.nan  # some scales left unanswered
    return data


def survey_from(data: np.ndarray) -> SurveyPart:
    answered = ~np.isnan(data)
    return SurveyPart(
        scores={key: float(np.nanmean(data[:, col])) for col, key in enumerate(SURVEY_COMPONENTS)},
        n={key: int(answered[:, col].sum()) for col, key in enumerate(SURVEY_COMPONENTS)},
        respondents=data,
    )


def test_the_bootstrap_interval_covers_the_true_index_in_about_90_percent_of_samples() -> None:
    """200 simulated surveys of 40 respondents from known answer distributions; connectedness
    65 and delivery 85 held fixed (not resampled). A nominal 90% interval should cover the
    true index in about 90% of them; we ask for at least 85%."""
    rng = np.random.default_rng(2026)
    fixed = {
        "network": NetworkPart(
            cross_unit_share=0.25, isolate_share=0.1, reach_share=1.0, reach_mean=4.0
        ),
        "plan": plan(),
    }
    truth = execution_index(
        IndexInputs(
            survey=SurveyPart(
                scores=dict(zip(SURVEY_COMPONENTS, TRUE_MEANS.tolist(), strict=True)),
                n={key: 1 for key in SURVEY_COMPONENTS},
            ),
            **fixed,  # type: ignore[arg-type]
        )
    ).index
    assert truth is not None
    covered = 0
    widths = []
    for simulation in range(200):
        data = simulated_respondents(rng, 40)
        result = execution_index(
            IndexInputs(survey=survey_from(data), **fixed),  # type: ignore[arg-type]
            replicates=400,
            seed=simulation,
        )
        assert result.interval is not None
        covered += result.interval.low <= truth <= result.interval.high
        widths.append(result.interval.high - result.interval.low)
    assert covered / 200 >= 0.85
    assert covered / 200 <= 0.97  # not trivially wide either
    assert 0 < np.mean(widths) < 10


def test_the_interval_surrounds_the_index_and_says_what_it_rests_on() -> None:
    data = simulated_respondents(np.random.default_rng(1), 60)
    result = execution_index(IndexInputs(survey=survey_from(data), network=network()), seed=3)
    assert result.interval is not None
    assert result.interval.low < result.index < result.interval.high  # type: ignore[operator]
    assert result.interval.respondents == 60
    assert result.interval.replicates == 1000
    assert result.interval.confidence == 0.9
    again = execution_index(IndexInputs(survey=survey_from(data), network=network()), seed=3)
    assert again.interval == result.interval


def test_without_respondent_data_there_is_no_interval_and_it_says_why() -> None:
    result = execution_index(small_org())
    assert result.interval is None
    assert "respondent" in result.interval_note


def test_without_survey_components_there_is_nothing_to_resample() -> None:
    data = simulated_respondents(np.random.default_rng(1), 30)
    results = execution_indexes(
        [IndexInputs(network=network())],
        respondents=RespondentTable(data, np.zeros(30, dtype=np.int64)),
    )
    assert results[0].interval is None
    assert "nothing to resample" in results[0].interval_note


def test_many_scopes_bootstrap_each_over_its_whole_subtree_of_respondents() -> None:
    """Scopes: 0 the organization, 1 and 2 its units, 3 a unit under 1 with no respondents of
    its own but survey scores given (from elsewhere), so it gets no interval."""
    rng = np.random.default_rng(5)
    own = {1: simulated_respondents(rng, 30), 2: simulated_respondents(rng, 50)}
    data = np.concatenate([own[1], own[2]])
    scope = np.array([1] * 30 + [2] * 50, dtype=np.int64)
    inputs = [
        IndexInputs(survey=survey_from(data), network=network()),
        IndexInputs(survey=survey_from(own[1])),
        IndexInputs(survey=survey_from(own[2]), plan=plan()),
        IndexInputs(survey=survey()),
    ]
    table = RespondentTable(data, scope, np.array([-1, 0, 0, 1], dtype=np.int64))
    results = execution_indexes(inputs, respondents=table, replicates=300, seed=1)
    assert [r.interval.respondents if r.interval else None for r in results] == [80, 30, 50, None]
    assert results[3].interval_note == "Too few respondents for an interval."
    for result in results[:3]:
        assert result.interval is not None
        assert result.interval.low < result.index < result.interval.high  # type: ignore[operator]
    org, unit = results[0].interval, results[1].interval
    assert org is not None
    assert unit is not None
    assert org.high - org.low < unit.high - unit.low  # more people, narrower


def test_a_cycle_in_the_scope_tree_is_refused() -> None:
    data = simulated_respondents(np.random.default_rng(1), 10)
    table = RespondentTable(data, np.zeros(10, dtype=np.int64), np.array([1, 0], dtype=np.int64))
    with pytest.raises(ValueError, match="cycle"):
        execution_indexes(
            [IndexInputs(survey=survey_from(data))] * 2, respondents=table, replicates=20
        )


def test_each_replicate_draws_every_respondent_a_poisson_1_number_of_times() -> None:
    from execution2.analytics.index.compute import _poisson_counts

    counts = _poisson_counts(np.random.default_rng(0), (200, 5000))
    assert counts.mean() == pytest.approx(1.0, abs=0.01)
    assert counts.var() == pytest.approx(1.0, abs=0.02)
    assert np.mean(counts == 0) == pytest.approx(np.exp(-1), abs=0.005)


def test_connectedness_rests_on_the_networks_people_not_on_participations() -> None:
    busy = PlanPart(initiatives=(InitiativeFacts("i1", "Big push", participants=30, breadth=0.5),))
    both = component_values(
        IndexInputs(network=NetworkPart(people=5, isolate_share=0.1), plan=busy)
    )
    assert both["connectedness"].n == 5
    breadth_only = component_values(IndexInputs(plan=busy))
    assert breadth_only["connectedness"].n == 30
