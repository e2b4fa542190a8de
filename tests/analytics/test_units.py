"""The one rule for "this unit or below", over unit paths."""

from __future__ import annotations

from execution2.analytics.units import path_within


def test_a_unit_is_within_itself_and_its_children_within_it() -> None:
    assert path_within("Sales", "Sales")
    assert path_within("Sales / North", "Sales")
    assert path_within("Sales / North / Retail", "Sales")


def test_it_ignores_case_as_unit_paths_are_unique_regardless_of_case() -> None:
    assert path_within("SALES / North", "Sales")
    assert path_within("sales", "Sales")


def test_a_sibling_that_only_shares_a_prefix_is_not_within() -> None:
    assert not path_within("Sales Ops", "Sales")
    assert not path_within("Sales", "Sales / North")
    assert not path_within("Marketing / Sales", "Sales")
