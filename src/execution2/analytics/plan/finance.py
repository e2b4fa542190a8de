"""Return on resources per initiative and for the portfolio: ROI, payback, budget variance.

Resource lines are money (`financial`, `physical` assets at their value) or hours (`human`,
costed at the line's rate per hour), planned and actual, per monthly period; returns are money
per period. Months are integers (`year * 12 + month - 1`), so consecutive months differ by 1.

- cost = planned or actual amount * rate (rate 1 for money lines);
- **ROI** = (returns - actual cost) / actual cost; undefined without actual cost;
- **payback** = months from the start of the first month with any cost or return until the
  cumulative net (returns - actual cost) first reaches zero, interpolated linearly inside that
  month: if it turns in month k (counted from 0) with cumulative net C_{k-1} < 0 before it and
  net n_k in it, payback = k + (-C_{k-1}) / n_k. Undefined while it hasn't turned;
- **budget variance** = actual cost - planned cost of the months up to `as_of_month` (what
  should have been spent so far), and as a share of that plan; **overspent** when the variance
  is more than `OVERSPEND_TOLERANCE` of the plan to date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

OVERSPEND_TOLERANCE = 0.05


@dataclass(frozen=True, slots=True)
class Finance:
    planned_cost: float
    """All planned cost, over every period."""
    planned_to_date: float
    actual_cost: float
    actual_to_date: float
    """Actual cost of the months up to `as_of_month` (all of it when as of today; less when
    the plan is read as of a past day, e.g. for the Execution Index's trend)."""
    returns: float
    roi: float | None
    payback_months: float | None
    budget_variance: float
    """actual cost - planned cost to date; positive is over budget."""
    budget_variance_share: float | None
    overspent: bool


def payback_months(months: IntArray, net: FloatArray) -> float | None:
    """Payback in months of a net cash series (returns - costs) given by month (see module)."""
    months = np.asarray(months, dtype=np.int64)
    net = np.asarray(net, dtype=np.float64)
    active = net != 0
    if not active.any():
        return None
    first = int(months[active].min())
    last = int(months.max())
    series = np.zeros(last - first + 1)
    np.add.at(series, months - first, net)
    # Payback needs money going out first; a series that never dips below zero has none.
    cumulative = np.cumsum(series)
    if not (cumulative < 0).any():
        return None
    start = int(np.argmax(cumulative < 0))
    turned = np.nonzero((cumulative >= 0) & (np.arange(len(series)) > start))[0]
    if not len(turned):
        return None
    k = int(turned[0])
    before = float(cumulative[k - 1])
    return float(k + (-before) / float(series[k]))


def _one(
    months: IntArray,
    planned: FloatArray,
    actual: FloatArray,
    return_months: IntArray,
    returns: FloatArray,
    as_of_month: int,
) -> Finance:
    planned_cost = float(planned.sum())
    planned_to_date = float(planned[months <= as_of_month].sum())
    actual_cost = float(actual.sum())
    total_returns = float(returns.sum())
    roi = (total_returns - actual_cost) / actual_cost if actual_cost > 0 else None
    variance = actual_cost - planned_to_date
    share = variance / planned_to_date if planned_to_date > 0 else None
    overspent = (
        variance > OVERSPEND_TOLERANCE * planned_to_date
        if planned_to_date > 0
        else actual_cost > 0 and planned_cost == 0
    )
    payback = payback_months(
        np.concatenate([months, return_months]), np.concatenate([-actual, returns])
    )
    return Finance(
        planned_cost=planned_cost,
        planned_to_date=planned_to_date,
        actual_cost=actual_cost,
        actual_to_date=float(actual[months <= as_of_month].sum()),
        returns=total_returns,
        roi=roi,
        payback_months=payback,
        budget_variance=variance,
        budget_variance_share=share,
        overspent=bool(overspent),
    )


def finance_summary(
    n: int,
    *,
    line_group: IntArray,
    line_month: IntArray,
    planned: FloatArray,
    actual: FloatArray,
    rate: FloatArray,
    return_group: IntArray,
    return_month: IntArray,
    return_amount: FloatArray,
    as_of_month: int,
) -> tuple[list[Finance], Finance]:
    """Per initiative 0..n-1, and the portfolio (every line and return together)."""
    line_group = np.asarray(line_group, dtype=np.int64)
    line_month = np.asarray(line_month, dtype=np.int64)
    rate = np.asarray(rate, dtype=np.float64)
    planned_cost = np.asarray(planned, dtype=np.float64) * rate
    actual_cost = np.asarray(actual, dtype=np.float64) * rate
    return_group = np.asarray(return_group, dtype=np.int64)
    return_month = np.asarray(return_month, dtype=np.int64)
    return_amount = np.asarray(return_amount, dtype=np.float64)
    line_order = np.argsort(line_group, kind="stable")
    return_order = np.argsort(return_group, kind="stable")
    line_bounds = np.searchsorted(line_group[line_order], np.arange(n + 1))
    return_bounds = np.searchsorted(return_group[return_order], np.arange(n + 1))
    per_group = []
    for g in range(n):
        lines = line_order[line_bounds[g] : line_bounds[g + 1]]
        rets = return_order[return_bounds[g] : return_bounds[g + 1]]
        per_group.append(
            _one(
                line_month[lines],
                planned_cost[lines],
                actual_cost[lines],
                return_month[rets],
                return_amount[rets],
                as_of_month,
            )
        )
    portfolio = _one(
        line_month, planned_cost, actual_cost, return_month, return_amount, as_of_month
    )
    return per_group, portfolio


def month_number(year: int, month: int) -> int:
    """The integer month used above: consecutive months differ by one."""
    return year * 12 + month - 1
