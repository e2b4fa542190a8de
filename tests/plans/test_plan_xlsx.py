"""The plan as a spreadsheet: round trip, and broken workbooks refused with the cell named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from execution2.core.tabular import ImportRefused
from execution2.plans.models import Initiative, PlanVersion
from execution2.plans.plan_file import plan_export, plan_import, plan_xlsx

pytestmark = pytest.mark.django_db


def _body(text: str) -> str:
    """The export without its comment lines and organization (they name the organization)."""
    return "\n".join(
        line for line in text.splitlines() if not line.startswith(("#", "organization:"))
    )


def test_export_then_import_into_an_empty_organization_gives_the_same_plan(
    planned: Any, make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    workbook = plan_xlsx(organization=planned)
    sheets = load_workbook(io.BytesIO(workbook)).sheetnames
    assert sheets[:9] == [
        "README", "opportunities", "initiatives", "kpis", "kpi_values", "tactics",
        "assignments", "resources", "returns",
    ]  # fmt: skip
    empty = make_org("copy", "Copy")
    import_people(empty, small_org_csv)
    plan_import(organization=empty, source=workbook, file_name="plan.xlsx")
    assert _body(plan_export(organization=empty)) == _body(plan_export(organization=planned))


def test_the_workbook_offers_dropdowns_of_people_and_statuses(planned: Any) -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(organization=planned)))
    formulas = {v.formula1 for v in book["initiatives"].data_validations.dataValidation}
    assert any("lists!$A$2" in f for f in formulas)  # the people
    people = [c.value for c in book["lists"]["A"][1:]]
    assert people == ["1", "2", "3", "4", "5", "6"]


def _broken(planned: Any, change: Any) -> bytes:
    book = load_workbook(io.BytesIO(plan_xlsx(organization=planned)))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refused(acme: Any, data: bytes) -> list[str]:
    before = PlanVersion.objects.count()
    with pytest.raises(ImportRefused) as refused:
        plan_import(organization=acme, source=data, file_name="plan.xlsx")
    assert PlanVersion.objects.count() == before
    return [str(p) for p in refused.value.problems]


def test_broken_workbooks_are_refused_with_the_cell_named_and_nothing_written(
    planned: Any, make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    other = make_org("other", "Other")
    import_people(other, small_org_csv)

    def missing_sheet(book: Any) -> None:
        del book["tactics"]

    def unknown_person(book: Any) -> None:
        book["initiatives"]["D2"] = "99"

    def bad_date(book: Any) -> None:
        book["initiatives"]["G2"] = "31/31/2026"

    def formula(book: Any) -> None:
        book["resources"]["E2"] = "=1000*12"

    assert "plan.xlsx:tactics:1:-: the sheet 'tactics' is missing" in _refused(
        other, _broken(planned, missing_sheet)
    )
    (unknown,) = _refused(other, _broken(planned, unknown_person))
    assert unknown.startswith("plan.xlsx:initiatives:2:owner: no active person")
    (date,) = _refused(other, _broken(planned, bad_date))
    assert date == "plan.xlsx:initiatives:2:start: '31/31/2026' is not a date like 2026-01-31"
    assert _refused(other, _broken(planned, formula)) == [
        "plan.xlsx:resources:2:planned: a formula; type the value itself"
    ]
    assert not Initiative.objects.filter(organization=other).exists()
    assert _refused(other, b"not a workbook") == [
        "plan.xlsx:1:-: this is not an Excel workbook (.xlsx)"
    ]


def test_the_command_line_exports_and_imports_a_workbook(
    planned: Any, tmp_path: Any, make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    from execution2.cli import cli

    target = tmp_path / "plan.xlsx"
    runner = CliRunner()
    exported = runner.invoke(
        cli, ["plan", "export", "--org", "acme", "--format", "xlsx", "-o", str(target)]
    )
    assert exported.exit_code == 0, exported.output
    copy = make_org("copy", "Copy")
    import_people(copy, small_org_csv)
    imported = runner.invoke(cli, ["plan", "import", "--org", "copy", str(target)])
    assert imported.exit_code == 0, imported.output
    assert Initiative.objects.filter(organization=copy).count() == 2
    book = load_workbook(target)
    book["initiatives"]["D2"] = "99"
    book.save(target)
    refused = runner.invoke(cli, ["plan", "import", "--org", "copy", str(target)])
    assert refused.exit_code == 2
    assert f"{target}:initiatives:2:owner:" in refused.output
