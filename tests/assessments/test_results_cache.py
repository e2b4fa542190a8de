"""The scored-cycle cache is shared between callers and threads: nothing in it can change."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from execution2.assessments.models import Cycle
from execution2.assessments.response_import import responses_import
from execution2.assessments.results import cycle_result
from tests.assessments.test_import_and_report import TEAMS, _answers_file, _draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(acme: Any) -> Cycle:
    cycle = _draft(acme)
    text, _ = _answers_file(teams={"2": TEAMS["2"], "3": TEAMS["3"]})
    responses_import(cycle=cycle, source=io.BytesIO(text.encode()), file_name="answers.csv")
    return Cycle.objects.get(pk=cycle.pk)


def test_each_caller_keeps_its_own_cycle_object(answered: Cycle) -> None:
    first, second = Cycle.objects.get(pk=answered.pk), Cycle.objects.get(pk=answered.pk)
    mine = cycle_result(first)
    theirs = cycle_result(second)
    assert mine.scored is theirs.scored  # scored once, shared
    assert mine.cycle is first
    assert theirs.cycle is second


def test_a_caller_cannot_change_what_the_next_caller_reads(answered: Cycle) -> None:
    result = cycle_result(answered)
    shown = result.group("organization", None)
    assert shown is not None
    assert not shown.suppressed
    result.thresholds["min_group"] = 1
    with pytest.raises(ValueError, match="read-only"):
        result.scores.score[0, 0] = 100.0
    with pytest.raises(ValueError, match="read-only"):
        result.data.answers[0, 0] = 5
    with pytest.raises(TypeError):
        result.scored.thresholds["min_group"] = 1  # type: ignore[index]
    again = cycle_result(answered)
    assert again.thresholds["min_group"] == 5
    assert again.group("organization", None) == shown


def test_threads_reading_at_once_see_the_same_values(answered: Cycle) -> None:
    scored = cycle_result(answered).scored
    keys = list(scored.groups())

    def read_all(_: int) -> list[Any]:
        return [scored.group(*key) for key in keys]

    with ThreadPoolExecutor(max_workers=4) as pool:
        readings = list(pool.map(read_all, range(8)))
    assert all(reading == readings[0] for reading in readings)
