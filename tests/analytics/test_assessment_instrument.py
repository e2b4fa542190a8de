"""The instrument format: what an organization writes for its own items is checked."""

from __future__ import annotations

import pytest

from execution2.analytics.assessment.instrument import (
    InstrumentError,
    built_in_text,
    instrument_parse,
)


def test_an_organization_can_add_its_own_item_in_the_same_format() -> None:
    text = (
        built_in_text()
        .replace(
            "      - key: leadership_6",
            "      - key: leadership_own\n"
            "        observer: My manager shares the quarterly results with us.\n"
            "        self: I share the quarterly results with my team.\n"
            "        general: Managers here share the quarterly results.\n"
            "      - key: leadership_6",
        )
        .replace("version: 1", "version: 2")
    )
    instrument = instrument_parse(text)
    assert instrument.version == 2
    assert "leadership_own" in instrument.scale("leadership").__getattribute__("items")[5].key


def test_every_problem_of_a_bad_instrument_is_reported_at_once() -> None:
    text = """
key: Bad Key
version: 0
title: x
options: [a, b]
not_observed: dk
scales:
  - key: s
    title: S
    items:
      - key: i1
        observer: o
        self: s
      - key: i1
        observer: o
        self: s
        general: g
"""
    with pytest.raises(InstrumentError) as refused:
        instrument_parse(text)
    problems = " | ".join(refused.value.problems)
    assert "Bad Key" in problems
    assert "version" in problems
    assert "five answer labels" in problems
    assert "(general): needs a text" in problems
    assert "used twice" in problems


def test_yaml_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InstrumentError, match="mapping"):
        instrument_parse("- just\n- a list\n")
