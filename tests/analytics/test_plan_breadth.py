"""Initiative breadth (normalised entropy of units) and the marketing trap of design.md 4.3."""

from __future__ import annotations

import math

import numpy as np
import pytest

from execution2.analytics.plan import breadth_by_group, initiative_breadth


def test_one_unit_is_no_breadth_and_a_trap() -> None:
    result = initiative_breadth([7, 7, 7])
    assert result.breadth == 0.0
    assert result.top_unit == 7
    assert result.top_share == 1.0
    assert result.marketing_trap


def test_an_even_spread_is_full_breadth_and_no_trap() -> None:
    result = initiative_breadth([1, 2, 3, 1, 2, 3])
    assert result.breadth == pytest.approx(1.0)
    assert result.top_share == pytest.approx(1 / 3)
    assert not result.marketing_trap


def test_three_quarters_in_one_unit_is_a_trap_by_share_though_fairly_broad() -> None:
    """3 of 4 in unit 1: H = -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623; / ln 2 = 0.8113."""
    result = initiative_breadth([1, 1, 1, 2])
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    assert result.breadth == pytest.approx(expected)
    assert result.breadth == pytest.approx(0.8113, abs=1e-4)
    assert result.marketing_trap


def test_normalising_by_every_possible_unit_lowers_breadth() -> None:
    """Two units evenly among eight possible: ln 2 / ln 8 = 1/3 -> a trap by breadth."""
    result = initiative_breadth([1, 2], n_categories=8)
    assert result.breadth == pytest.approx(1 / 3)
    assert result.marketing_trap


def test_many_initiatives_at_once_match_one_by_one() -> None:
    group = np.array([0, 0, 0, 2, 2, 2, 2])
    units = np.array([5, 5, 6, 1, 2, 3, 4])
    results = breadth_by_group(group, units, 3)
    assert results[0] == initiative_breadth([5, 5, 6])
    assert results[1].participants == 0
    assert not results[1].marketing_trap
    assert results[2].breadth == pytest.approx(1.0)
