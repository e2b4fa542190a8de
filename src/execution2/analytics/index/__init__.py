"""The Execution Index core (design.md 4.4, issue 7): pure functions, no Django.

- `components`: the nine components, the inputs each capability supplies (`IndexInputs` with
  `SurveyPart`, `NetworkPart`, `PlanPart`), how each 0-100 score is derived, weights.
- `compute`: `execution_index` (one scope) and `execution_indexes` (the organization and every
  unit at once): index, re-weighting note, gaps, priorities, bootstrap interval.
- `risks`: the named risk rules with their evidence (`assess_risks`).
- `recommendations`: the catalogue of actions (`data/recommendations.yaml`) and `recommend`.
- `outcomes`: AUC of the index against recorded outcomes and suggested weights.
- `trend`: the index over past cycles.
"""

from execution2.analytics.index.components import (
    COMPONENTS,
    CONNECTEDNESS,
    DEFAULT_TARGET,
    DEFAULT_WEIGHTS,
    DELIVERY,
    SURVEY_COMPONENTS,
    TITLES,
    ComponentValue,
    IndexInputs,
    InitiativeFacts,
    NetworkPart,
    PlanPart,
    SurveyPart,
    UnitEI,
    WeightsError,
    component_values,
    validate_target,
    validate_weights,
)
from execution2.analytics.index.compute import (
    Component,
    ExecutionIndex,
    Interval,
    Priority,
    RespondentTable,
    bootstrap_intervals,
    execution_index,
    execution_indexes,
    index_arrays,
)
from execution2.analytics.index.outcomes import (
    OUTCOMES,
    Auc,
    WeightSuggestion,
    outcome_auc,
    suggest_weights,
)
from execution2.analytics.index.recommendations import (
    Catalogue,
    CatalogueError,
    Place,
    Recommendation,
    gap_places,
    load_catalogue,
    recommend,
)
from execution2.analytics.index.risks import RISK_KEYS, RISK_TITLES, Risk, assess_risks
from execution2.analytics.index.trend import TrendPoint, TrendStep, index_trend

__all__ = [
    "COMPONENTS",
    "CONNECTEDNESS",
    "DEFAULT_TARGET",
    "DEFAULT_WEIGHTS",
    "DELIVERY",
    "OUTCOMES",
    "RISK_KEYS",
    "RISK_TITLES",
    "SURVEY_COMPONENTS",
    "TITLES",
    "Auc",
    "Catalogue",
    "CatalogueError",
    "Component",
    "ComponentValue",
    "ExecutionIndex",
    "IndexInputs",
    "InitiativeFacts",
    "Interval",
    "NetworkPart",
    "Place",
    "PlanPart",
    "Priority",
    "Recommendation",
    "RespondentTable",
    "Risk",
    "SurveyPart",
    "TrendPoint",
    "TrendStep",
    "UnitEI",
    "WeightSuggestion",
    "WeightsError",
    "assess_risks",
    "bootstrap_intervals",
    "component_values",
    "execution_index",
    "execution_indexes",
    "gap_places",
    "index_arrays",
    "index_trend",
    "load_catalogue",
    "outcome_auc",
    "recommend",
    "suggest_weights",
    "validate_target",
    "validate_weights",
]
