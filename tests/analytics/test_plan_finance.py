"""ROI, payback and budget variance on small hand-computed cash flows."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.plan import finance_summary, payback_months
from execution2.analytics.plan.finance import month_number


def test_payback_is_interpolated_inside_the_month_it_turns() -> None:
    """Cost 100 in month 0, returns 30 a month from month 1.
    Cumulative: -100, -70, -40, -10, +20: turns in month 4, needing 10 of its 30.
    Payback = 4 + 10/30 = 4.333 months."""
    months = np.array([0, 1, 2, 3, 4])
    net = np.array([-100.0, 30.0, 30.0, 30.0, 30.0])
    assert payback_months(months, net) == pytest.approx(4 + 10 / 30)


def test_no_payback_while_returns_have_not_covered_the_cost() -> None:
    assert payback_months(np.array([0, 1]), np.array([-100.0, 50.0])) is None
    assert payback_months(np.array([], dtype=np.int64), np.array([])) is None


def test_roi_payback_and_variance_per_initiative_and_for_the_portfolio() -> None:
    """Initiative 0: January money 12,000 (planned 10,000); February 100 hours at 50/h actual,
    100 planned (5,000 each); March planned 10,000, nothing spent yet. Returns 20,000 in April.
    As of February: planned to date 15,000, actual 17,000 -> variance +2,000 = +13.3% -> over
    budget (above 5%). ROI = (20,000 - 17,000) / 17,000 = 0.17647. Payback: -12,000, -17,000,
    -17,000, +3,000 -> month 3 + 17,000 / 20,000 = 3.85.
    Initiative 1: 1,000 planned and spent in January, no returns: ROI -1, no payback, variance 0.
    Portfolio: actual 18,000, returns 20,000 -> ROI 0.1111; planned to date 16,000 -> +2,000.
    """
    jan, feb, mar, apr = (month_number(2026, m) for m in (1, 2, 3, 4))
    per, portfolio = finance_summary(
        2,
        line_group=np.array([0, 0, 0, 1]),
        line_month=np.array([jan, feb, mar, jan]),
        planned=np.array([10_000.0, 100.0, 10_000.0, 1_000.0]),
        actual=np.array([12_000.0, 100.0, 0.0, 1_000.0]),
        rate=np.array([1.0, 50.0, 1.0, 1.0]),
        return_group=np.array([0]),
        return_month=np.array([apr]),
        return_amount=np.array([20_000.0]),
        as_of_month=feb,
    )
    first, second = per
    assert first.actual_cost == 17_000
    assert first.planned_to_date == 15_000
    assert first.planned_cost == 25_000
    assert first.budget_variance == 2_000
    assert first.budget_variance_share == pytest.approx(2_000 / 15_000)
    assert first.overspent
    assert first.roi == pytest.approx(3_000 / 17_000)
    assert first.payback_months == pytest.approx(3 + 17_000 / 20_000)
    assert second.roi == pytest.approx(-1.0)
    assert second.payback_months is None
    assert not second.overspent
    assert portfolio.actual_cost == 18_000
    assert portfolio.roi == pytest.approx(2_000 / 18_000)
    assert portfolio.budget_variance == 2_000


def test_an_initiative_without_spend_has_no_roi() -> None:
    per, _ = finance_summary(
        1,
        line_group=np.array([], dtype=np.int64),
        line_month=np.array([], dtype=np.int64),
        planned=np.array([]),
        actual=np.array([]),
        rate=np.array([]),
        return_group=np.array([], dtype=np.int64),
        return_month=np.array([], dtype=np.int64),
        return_amount=np.array([]),
        as_of_month=0,
    )
    assert per[0].roi is None
    assert per[0].budget_variance_share is None
