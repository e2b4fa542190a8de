"""Answers imported from a file, scored, and reported through the anonymity gate."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from execution2.analytics.assessment.instrument import built_in_instrument
from execution2.assessments.models import Comment, Response, Subject
from execution2.assessments.report import report_data
from execution2.assessments.response_import import responses_import
from execution2.assessments.services import cycle_create
from execution2.cli import cli
from execution2.core.tabular import ImportRefused

pytestmark = pytest.mark.django_db
SPEC = built_in_instrument()
TEAMS = {"2": range(10, 17), "3": range(17, 23), "4": range(23, 25)}


def _draft(organization: Any, kind: str = "upward") -> Any:
    return cycle_create(
        organization=organization,
        name="Imported",
        kind=kind,
        opens_on=datetime.date(2026, 3, 2),
        closes_on=datetime.date(2026, 3, 20),
    )


def _answers_file(
    seed: int = 5, teams: dict[str, range] = TEAMS
) -> tuple[str, dict[str, np.ndarray]]:
    """One row per direct report; answers as a matrix per manager, NaN for NA."""
    rng = np.random.default_rng(seed)
    keys = SPEC.item_keys
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["subject_id", "rater_group", *keys, "keep_doing", "change"])
    matrices: dict[str, np.ndarray] = {}
    for manager, team in teams.items():
        level = rng.normal(3.6, 0.5)
        rows = []
        for _ in team:
            values = np.clip(
                np.rint(level + rng.normal(0, 0.5) + rng.normal(0, 0.6, len(keys))), 1, 5
            )
            values[rng.random(len(keys)) < 0.05] = np.nan
            rows.append(values)
            cells = ["NA" if np.isnan(v) else str(int(v)) for v in values]
            writer.writerow([manager, "direct", *cells, "Clear goals", ""])
        matrices[manager] = np.array(rows)
    return buffer.getvalue(), matrices


def _alpha(matrix: np.ndarray) -> float:
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    k = complete.shape[1]
    return k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))


def test_imported_scores_and_reliability_match_an_independent_computation(acme: Any) -> None:
    # Two teams of 7 and 6 (a team of 2 would hide more by complementary suppression).
    cycle = _draft(acme)
    text, matrices = _answers_file(teams={"2": TEAMS["2"], "3": TEAMS["3"]})
    result = responses_import(
        cycle=cycle, source=io.BytesIO(text.encode()), file_name="answers.csv"
    )
    assert result.responses == 13
    assert result.subjects_added == 2
    assert Comment.objects.filter(cycle=cycle).count() == 13
    data = report_data(cycle=cycle)
    for manager in ("2", "3"):
        group = next(
            g
            for g in data["groups"]
            if g["level"] == "subject"
            and g["subject"]["id"] == manager
            and g["rater_group"] == "direct"
        )
        assert not group["suppressed"], group
        assert group["n"] == len(TEAMS[manager])
        for scale, columns in SPEC.scale_columns():
            block = matrices[manager][:, list(columns)]
            expected = (np.nanmean(block, axis=1).mean() - 1) / 4 * 100
            assert group["scales"][scale]["score"] == pytest.approx(expected, abs=0.051)
            favourable = (block[~np.isnan(block)] >= 4).mean() * 100
            assert group["scales"][scale]["favourable"] == pytest.approx(favourable, abs=0.051)
            complete = int((~np.isnan(block).any(axis=1)).sum())
            if complete >= 3:
                assert group["scales"][scale]["alpha"] == pytest.approx(
                    _alpha(block), abs=5e-4, nan_ok=True
                )
            else:  # alpha needs three people who answered every item of the scale
                assert group["scales"][scale]["alpha"] is None


def test_a_group_under_the_threshold_appears_suppressed_without_values(acme: Any) -> None:
    cycle = _draft(acme)
    text, _ = _answers_file()
    responses_import(cycle=cycle, source=io.BytesIO(text.encode()), file_name="answers.csv")
    data = report_data(cycle=cycle)
    small = [g for g in data["groups"] if g.get("subject", {}).get("id") == "4"]
    assert small
    assert all(g == {**g, "suppressed": True} for g in small)
    assert all(set(g) == {"level", "rater_group", "subject", "suppressed"} for g in small)
    for group in data["groups"]:
        if not group["suppressed"] and group["rater_group"] in {"direct", "all", "peer"}:
            assert group["n"] >= 5


def test_a_bad_file_is_refused_whole_with_every_problem_located(acme: Any) -> None:
    cycle = _draft(acme)
    text, _ = _answers_file()
    lines = text.splitlines()
    lines[1] = lines[1].replace("2,direct,", "99,direct,", 1)
    lines[2] = lines[2].replace("direct", "boss", 1)
    cells = lines[3].split(",")
    cells[2] = "7"
    lines[3] = ",".join(cells)
    with pytest.raises(ImportRefused) as refused:
        responses_import(
            cycle=cycle, source=io.BytesIO("\n".join(lines).encode()), file_name="a.csv"
        )
    messages = [str(p) for p in refused.value.problems]
    assert "a.csv:2:subject_id: '99' is not the id of a person in this organization" in messages
    assert any(m.startswith("a.csv:3:rater_group: rater group 'boss'") for m in messages)
    assert any(m.startswith("a.csv:4:leadership_1: answer '7' should be 1 to 5") for m in messages)
    assert not Response.objects.exists()
    assert not Subject.objects.exists()


def test_a_missing_item_column_is_reported_on_the_header_row(acme: Any) -> None:
    cycle = _draft(acme)
    text, _ = _answers_file()
    lines = [",".join(line.split(",")[:-3] + line.split(",")[-2:]) for line in text.splitlines()]
    with pytest.raises(ImportRefused) as refused:
        responses_import(
            cycle=cycle, source=io.BytesIO("\n".join(lines).encode()), file_name="a.csv"
        )
    assert str(refused.value.problems[0]).startswith("a.csv:1:buy_in_resources: required column")


def test_the_command_line_imports_refuses_and_reports_json(acme: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(
        cli,
        [
            "assess",
            "cycle",
            "create",
            "--org",
            "acme",
            "--name",
            "Q1",
            "--kind",
            "upward",
            "--opens",
            "2026-03-02",
            "--closes",
            "2026-03-20",
        ],
    )
    assert created.exit_code == 0, created.output
    cycle_id = created.output.split()[2]
    text, _ = _answers_file()
    good = tmp_path / "answers.csv"
    good.write_text(text)
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("2,direct,", "2,nobody,", 1))
    refused = runner.invoke(
        cli, ["assess", "import", "--org", "acme", "--cycle", cycle_id, str(bad)]
    )
    assert refused.exit_code == 2
    assert f"{bad}:2:rater_group: rater group 'nobody'" in refused.output
    imported = runner.invoke(
        cli, ["assess", "import", "--org", "acme", "--cycle", cycle_id, str(good)]
    )
    assert imported.exit_code == 0, imported.output
    assert "15 responses imported" in imported.output
    report = runner.invoke(
        cli, ["assess", "report", "--org", "acme", "--cycle", cycle_id, "--unit", "Sales", "--json"]
    )
    assert report.exit_code == 0, report.output
    data = json.loads(report.output[report.output.index("{") :])
    assert data["unit"] == "Sales"
    assert {g.get("unit") for g in data["groups"] if g["level"] == "unit"} <= {
        "Sales",
        "Sales / Inside",
    }
    listed = runner.invoke(cli, ["assess", "cycle", "list", "--org", "acme"])
    assert "Q1\tupward\tdraft" in listed.output


def test_an_xlsx_workbook_imports_like_a_csv(acme: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    text, _ = _answers_file(teams={"2": TEAMS["2"]})
    workbook = Workbook()
    sheet = workbook.active
    for line in csv.reader(io.StringIO(text)):
        sheet.append([int(c) if c.isdigit() else c for c in line])
    path = tmp_path / "answers.xlsx"
    workbook.save(path)
    cycle = _draft(acme)
    result = responses_import(cycle=cycle, source=path)
    assert result.responses == 7
    group = report_data(cycle=cycle)["groups"]
    subject = next(
        g for g in group if g.get("subject", {}).get("id") == "2" and g["rater_group"] == "direct"
    )
    assert subject["n"] == 7


def test_a_unit_report_includes_the_units_below_it_whatever_their_spelling(acme: Any) -> None:
    """Unit paths are unique regardless of case, so "SALES / Inside" is below "Sales" even
    when the two were stored with a different spelling (a later HR export, a fix by hand)."""
    from execution2.orgs.models import Unit

    cycle = _draft(acme)
    text, _ = _answers_file(teams={"2": TEAMS["2"], "3": TEAMS["3"]})
    responses_import(cycle=cycle, source=io.BytesIO(text.encode()), file_name="answers.csv")
    Unit.objects.filter(organization=acme, path="Sales / Inside").update(path="SALES / Inside")
    sales = Unit.objects.get(organization=acme, path="Sales")
    data = report_data(cycle=cycle, unit=sales)
    assert {g["subject"]["id"] for g in data["groups"] if g["level"] == "subject"} == {"2", "3"}
    assert "SALES / Inside" in {g["unit"] for g in data["groups"] if g["level"] == "unit"}
