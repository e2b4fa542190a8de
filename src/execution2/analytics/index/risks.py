"""Named risk rules, each with the evidence that fired it (design.md 4.4, issue 7).

Every rule is a function of the inputs of one scope returning a `Risk`: `fired` says whether
it applies, `assessed` whether there was data to judge at all (a rule without data is neither
fired nor cleared), and `evidence` holds the facts behind the verdict as plain JSON-ready data,
so a page, the PDF or the API can show why. `subjects` names the initiatives or units concerned.
Thresholds are the named constants below, each with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from execution2.analytics.assessment.instrument import BUY_IN
from execution2.analytics.index.components import (
    TITLES,
    IndexInputs,
    InitiativeFacts,
)

HIGH = "high"
MEDIUM = "medium"
SEVERITIES = (HIGH, MEDIUM)

# Marketing trap (design.md 4.3): an initiative carried by one corner of the organization.
TRAP_MIN_BREADTH = 0.5
TRAP_MAX_TOP_SHARE = 0.5
# When half the initiatives or more are traps, it is the plan's pattern, not an accident.
TRAP_HIGH_SHARE = 0.5

# Silos. Newman and Girvan read a modularity above 0.3 as clear community structure; the unit
# partition of a working organization is expected to show some (people work with their team),
# so the rule asks for 0.5: the org chart explains most of who works with whom.
SILO_MODULARITY = 0.5
# E-I = (E - I) / (E + I); -0.8 means fewer than one tie in ten leaves the unit.
SILO_EI = -0.8
# Units smaller than this are too small for E-I to mean much (and to name safely).
SILO_MIN_PEOPLE = 5

# Buy-in on the 0-100 scale: 50 is a neutral mean answer (3 of 5), 75 is "agree" (4 of 5).
# Below 60 the management's average is closer to neutral than to agreement with the plan.
LOW_BUY_IN = 60.0
# Below 50 the average leans to disagreement.
VERY_LOW_BUY_IN = 50.0

# Response rate: below half, those who answered may well differ from those who didn't, and
# the scores describe the willing rather than the organization; below 30% that is likely.
LOW_RESPONSE = 0.5
VERY_LOW_RESPONSE = 0.3

# Reliability: 0.7 is the conventional floor for Cronbach's alpha of a scale used to compare
# groups (Nunnally); below 0.5 the items don't measure one thing.
MIN_ALPHA = 0.7
POOR_ALPHA = 0.5

# Leadership reach: at the 90th percentile, four or more hops between the executive team and
# the front line means one person in ten hears the strategy through three intermediaries or
# more. Reach share: the team should reach (at any distance) at least nine people in ten.
REACH_P90_MAX = 4.0
REACH_SHARE_MIN = 0.9
# Leadership evidence (design.md 4.1): the share of people working on at least one initiative.
INVOLVED_SHARE_MIN = 0.25

# Overspending: actual spend to date above plan to date by more than 10%. (The plans page flags
# an initiative at 5% as a warning to its owner; as a risk to the strategy we ask for a clear
# overrun.) When the whole portfolio is over by that much, the severity is high.
OVERSPEND_SHARE = 0.10

RISK_KEYS = (
    "marketing_trap",
    "silos",
    "low_buy_in",
    "low_response_rate",
    "unreliable_scale",
    "leadership_reach",
    "overspending",
)

RISK_TITLES = {
    "marketing_trap": "Marketing trap",
    "silos": "Silos",
    "low_buy_in": "Low buy-in",
    "low_response_rate": "Low response rate",
    "unreliable_scale": "Unreliable scale",
    "leadership_reach": "Leadership not reaching the front line",
    "overspending": "Overspending initiatives",
}


@dataclass(frozen=True)
class Risk:
    key: str
    title: str
    severity: str
    """"high" or "medium" when fired; "" otherwise."""
    fired: bool
    assessed: bool
    """False when the data the rule needs is absent (then never fired)."""
    summary: str
    """One sentence in plain words."""
    evidence: dict[str, Any] = field(default_factory=dict)
    """The facts behind the verdict (JSON-ready: numbers, strings, lists of dicts)."""
    subjects: tuple[str, ...] = ()
    """Initiatives or units concerned (keys/labels), for "where" in the recommendations."""


def _unassessed(key: str, why: str) -> Risk:
    return Risk(key, RISK_TITLES[key], "", False, False, why)


def _cleared(key: str, summary: str, evidence: dict[str, Any]) -> Risk:
    """The rule had data to judge and did not fire."""
    return Risk(key, RISK_TITLES[key], "", False, True, summary, evidence)


def _round(value: float, digits: int = 3) -> float:
    return round(float(value), digits)


def marketing_trap(inputs: IndexInputs) -> Risk:
    """Initiatives with breadth < 0.5 or more than half of their participants in one unit."""
    key = "marketing_trap"
    plan = inputs.plan
    known = [
        i
        for i in (plan.initiatives if plan else ())
        if i.participants > 0 and i.breadth is not None
    ]
    if not known:
        return _unassessed(key, "No initiative has participants yet.")
    trapped = [
        i
        for i in known
        if (i.breadth is not None and i.breadth < TRAP_MIN_BREADTH)
        or (i.top_share is not None and i.top_share > TRAP_MAX_TOP_SHARE)
    ]
    share = len(trapped) / len(known)
    evidence = {
        "initiatives": len(known),
        "trapped": len(trapped),
        "min_breadth": TRAP_MIN_BREADTH,
        "max_top_share": TRAP_MAX_TOP_SHARE,
        "trapped_initiatives": [
            {
                "key": i.key,
                "title": i.title,
                "participants": i.participants,
                "breadth": _round(i.breadth) if i.breadth is not None else None,
                "top_unit": i.top_unit,
                "top_share": _round(i.top_share) if i.top_share is not None else None,
            }
            for i in trapped
        ],
    }
    if not trapped:
        return _cleared(key, f"All {len(known)} initiatives involve several units.", evidence)
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if share >= TRAP_HIGH_SHARE else MEDIUM,
        True,
        True,
        f"{len(trapped)} of {len(known)} initiatives are carried mostly by one unit.",
        evidence,
        tuple(i.key for i in trapped),
    )


def silos(inputs: IndexInputs) -> Risk:
    """Modularity of the unit partition above 0.5, or units with E-I at or below -0.8."""
    key = "silos"
    network = inputs.network
    if network is None or (network.unit_modularity is None and not network.unit_ei):
        return _unassessed(key, "No network data for this window.")
    modularity = network.unit_modularity
    walled = sorted(
        (u for u in network.unit_ei if u.people >= SILO_MIN_PEOPLE and u.ei_index <= SILO_EI),
        key=lambda u: (u.ei_index, u.label),
    )
    high_modularity = modularity is not None and modularity > SILO_MODULARITY
    evidence = {
        "unit_modularity": _round(modularity) if modularity is not None else None,
        "modularity_threshold": SILO_MODULARITY,
        "ei_threshold": SILO_EI,
        "units_measured": sum(1 for u in network.unit_ei if u.people >= SILO_MIN_PEOPLE),
        "walled_units": [
            {"unit": u.label, "ei_index": _round(u.ei_index), "people": u.people} for u in walled
        ],
    }
    fired = high_modularity or bool(walled)
    if not fired:
        return _cleared(key, "Units work across their boundaries.", evidence)
    parts = []
    if high_modularity:
        parts.append(f"the org chart explains most ties (modularity {modularity:.2f})")
    if walled:
        parts.append(f"{len(walled)} unit(s) keep almost all their ties inside")
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if high_modularity and walled else MEDIUM,
        True,
        True,
        "Silos: " + " and ".join(parts) + ".",
        evidence,
        tuple(u.label for u in walled),
    )


def low_buy_in(inputs: IndexInputs) -> Risk:
    """The plan buy-in score below 60 (high below 50)."""
    key = "low_buy_in"
    survey = inputs.survey
    score = survey.scores.get(BUY_IN) if survey is not None else None
    if survey is None or score is None:
        return _unassessed(key, "No buy-in answers in the latest cycle.")
    n = int(survey.n.get(BUY_IN, 0))
    evidence = {"buy_in": _round(score, 1), "n": n, "threshold": LOW_BUY_IN}
    if score >= LOW_BUY_IN:
        return _cleared(key, f"Buy-in is {score:.0f} of 100 ({n} respondents).", evidence)
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if score < VERY_LOW_BUY_IN else MEDIUM,
        True,
        True,
        f"Buy-in is {score:.0f} of 100 ({n} respondents), under {LOW_BUY_IN:.0f}.",
        evidence,
    )


def low_response_rate(inputs: IndexInputs) -> Risk:
    """Fewer than half of the invited people answered (high below 30%)."""
    key = "low_response_rate"
    survey = inputs.survey
    if survey is None or not survey.invited:
        return _unassessed(key, "No invitation count for the latest cycle.")
    responded = (
        survey.responded if survey.responded is not None else max(survey.n.values(), default=0)
    )
    rate = responded / survey.invited
    evidence = {
        "invited": survey.invited,
        "responded": responded,
        "rate": _round(rate),
        "threshold": LOW_RESPONSE,
    }
    summary = f"{responded} of {survey.invited} invited people answered ({rate:.0%})."
    if rate >= LOW_RESPONSE:
        return Risk(key, RISK_TITLES[key], "", False, True, summary, evidence)
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if rate < VERY_LOW_RESPONSE else MEDIUM,
        True,
        True,
        summary,
        evidence,
    )


def unreliable_scale(inputs: IndexInputs) -> Risk:
    """Any scale with Cronbach's alpha below 0.7 (high below 0.5)."""
    key = "unreliable_scale"
    survey = inputs.survey
    alphas = {k: float(a) for k, a in (survey.alpha.items() if survey else ()) if a == a}
    if not alphas:
        return _unassessed(key, "No reliability figures for the latest cycle.")
    weak = sorted((a, k) for k, a in alphas.items() if a < MIN_ALPHA)
    evidence = {
        "threshold": MIN_ALPHA,
        "alpha": {k: _round(a) for k, a in alphas.items()},
        "unreliable": [
            {"scale": k, "title": TITLES.get(k, k), "alpha": _round(a)} for a, k in weak
        ],
    }
    if not weak:
        return _cleared(key, f"Every scale has alpha of {MIN_ALPHA} or more.", evidence)
    names = ", ".join(TITLES.get(k, k) for _, k in weak)
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if weak[0][0] < POOR_ALPHA else MEDIUM,
        True,
        True,
        f"Scores of {names} are unreliable (alpha under {MIN_ALPHA}): read them with care.",
        evidence,
        tuple(k for _, k in weak),
    )


def leadership_reach(inputs: IndexInputs) -> Risk:
    """90th-percentile hop distance from the executive team above 4, the team reaching fewer
    than 90% of people, or fewer than 25% of people working on any initiative."""
    key = "leadership_reach"
    network, plan = inputs.network, inputs.plan
    p90 = network.reach_p90 if network is not None else None
    share = network.reach_share if network is not None else None
    involved = plan.involved_share if plan is not None else None
    if p90 is None and share is None and involved is None:
        return _unassessed(key, "No network reach or initiative involvement data.")
    reasons = []
    if p90 is not None and p90 > REACH_P90_MAX:
        reasons.append(f"one person in ten is more than {REACH_P90_MAX:.0f} hops away ({p90:.1f})")
    if share is not None and share < REACH_SHARE_MIN:
        reasons.append(f"the executive team reaches only {share:.0%} of people")
    if involved is not None and involved < INVOLVED_SHARE_MIN:
        reasons.append(f"only {involved:.0%} of people work on an initiative")
    evidence = {
        "reach_p90": _round(p90, 2) if p90 is not None else None,
        "reach_p90_threshold": REACH_P90_MAX,
        "reach_mean": (
            _round(network.reach_mean, 2)
            if network is not None and network.reach_mean is not None
            else None
        ),
        "reach_share": _round(share) if share is not None else None,
        "reach_share_threshold": REACH_SHARE_MIN,
        "involved_share": _round(involved) if involved is not None else None,
        "involved_share_threshold": INVOLVED_SHARE_MIN,
    }
    if not reasons:
        return _cleared(key, "The leadership reaches the front line.", evidence)
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if len(reasons) >= 2 else MEDIUM,
        True,
        True,
        "Leadership is far from the front line: " + "; ".join(reasons) + ".",
        evidence,
    )


def _overspent(initiative: InitiativeFacts) -> bool:
    planned, actual = initiative.planned_to_date, initiative.actual_to_date
    if planned is None or actual is None:
        return False
    if planned <= 0:
        return actual > 0  # money spent where none was planned
    return actual > planned * (1 + OVERSPEND_SHARE)


def overspending(inputs: IndexInputs) -> Risk:
    """Initiatives whose spend to date is over plan to date by more than 10%."""
    key = "overspending"
    plan = inputs.plan
    known = [
        i
        for i in (plan.initiatives if plan else ())
        if i.planned_to_date is not None and i.actual_to_date is not None
    ]
    if not known:
        return _unassessed(key, "No spend recorded against plan yet.")
    over = [i for i in known if _overspent(i)]
    planned = sum(float(i.planned_to_date or 0) for i in known)
    actual = sum(float(i.actual_to_date or 0) for i in known)
    portfolio = (actual - planned) / planned if planned > 0 else None
    evidence = {
        "initiatives": len(known),
        "threshold": OVERSPEND_SHARE,
        "planned_to_date": _round(planned, 2),
        "actual_to_date": _round(actual, 2),
        "portfolio_variance_share": _round(portfolio) if portfolio is not None else None,
        "overspending": [
            {
                "key": i.key,
                "title": i.title,
                "planned_to_date": _round(float(i.planned_to_date or 0), 2),
                "actual_to_date": _round(float(i.actual_to_date or 0), 2),
                "variance_share": (
                    _round(float(i.actual_to_date or 0) / float(i.planned_to_date) - 1)
                    if i.planned_to_date
                    else None
                ),
            }
            for i in over
        ],
    }
    if not over:
        return _cleared(
            key,
            f"Every initiative is within {OVERSPEND_SHARE:.0%} of its budget to date.",
            evidence,
        )
    return Risk(
        key,
        RISK_TITLES[key],
        HIGH if portfolio is not None and portfolio > OVERSPEND_SHARE else MEDIUM,
        True,
        True,
        f"{len(over)} of {len(known)} initiatives spent more than {OVERSPEND_SHARE:.0%} over "
        "their plan to date.",
        evidence,
        tuple(i.key for i in over),
    )


RULES: dict[str, Callable[[IndexInputs], Risk]] = {
    "marketing_trap": marketing_trap,
    "silos": silos,
    "low_buy_in": low_buy_in,
    "low_response_rate": low_response_rate,
    "unreliable_scale": unreliable_scale,
    "leadership_reach": leadership_reach,
    "overspending": overspending,
}


def assess_risks(inputs: IndexInputs) -> tuple[Risk, ...]:
    """Every rule, fired ones first (high before medium), then cleared, then unassessed."""
    risks = [RULES[key](inputs) for key in RISK_KEYS]

    def order(risk: Risk) -> tuple[int, int]:
        rank = 0 if risk.severity == HIGH else 1 if risk.fired else 2 if risk.assessed else 3
        return rank, RISK_KEYS.index(risk.key)

    return tuple(sorted(risks, key=order))
