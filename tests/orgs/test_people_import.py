"""The people import: real HRIS mess accepted, broken files refused whole, re-imports upsert."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from execution2.core.tabular import ImportRefused
from execution2.orgs.models import AuditEvent, Person, PersonHistory, Unit
from execution2.orgs.people_export import people_export
from execution2.orgs.people_import import people_import
from execution2.orgs.selectors import positions_as_of

DAY1 = datetime.date(2026, 1, 1)
DAY2 = datetime.date(2026, 6, 1)


def problems_of(excinfo: pytest.ExceptionInfo[ImportRefused]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def database_snapshot() -> tuple[object, ...]:
    return (
        sorted(Person.objects.values_list("external_id", "name", "title", "active", "unit__path")),
        Unit.objects.count(),
        PersonHistory.objects.count(),
        AuditEvent.objects.filter(action="people.import").count(),
    )


def test_it_imports_people_with_their_units_and_managers(make_org, import_people, small_org_csv):
    org = make_org()
    result = import_people(org, small_org_csv)
    assert (result.created, result.updated, result.deactivated) == (6, 0, 0)
    social = Unit.objects.get(organization=org, path="Marketing / Social Media")
    assert social.name == "Social Media"
    assert social.parent.path == "Marketing"
    assert social.depth == 1
    chloe = Person.objects.get(organization=org, external_id="3")
    assert chloe.name == "Chloé Social"
    assert chloe.manager.external_id == "2"
    assert chloe.manager.manager.external_id == "1"
    assert chloe.start_date == datetime.date(2019, 6, 10)
    assert PersonHistory.objects.filter(person=chloe).count() == 1


def test_it_reads_a_bom_semicolons_reordered_cased_headers_and_extra_columns(
    make_org, import_people
):
    org = make_org()
    text = (
        "\ufeffManager-ID;E-Mail;Full_Name;UNIT;ID;Cost Centre\n"
        ";zoe@x.example;Zoë Müller;Executive Office;10;CC1\n"
        "10;jose@x.example;José Álvarez;Sales / Iberia;11;CC2\n"
    )
    result = import_people(org, text, column_map={"name": "Full Name"})
    assert result.created == 2
    jose = Person.objects.get(organization=org, external_id="11")
    assert (jose.name, jose.email, jose.unit.path) == (
        "José Álvarez",
        "jose@x.example",
        "Sales / Iberia",
    )


def test_it_maps_other_headers_with_a_column_map(make_org, import_people):
    org = make_org()
    text = "EmployeeNumber,Full Name,Department,Boss\nA1,Ann,Ops,\nA2,Ben,Ops,A1\n"
    result = import_people(
        org,
        text,
        column_map={
            "id": "EmployeeNumber",
            "name": "Full Name",
            "unit": "Department",
            "manager_id": "Boss",
        },
    )
    assert result.created == 2
    assert Person.objects.get(external_id="A2").manager.external_id == "A1"


def test_it_imports_an_xlsx_workbook_with_numeric_ids_and_date_cells(make_org):
    org = make_org()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Name", "Unit", "Manager ID", "Start Date"])
    sheet.append([1001, "Åsa Öberg", "Executive Office", None, datetime.datetime(2018, 4, 2)])
    sheet.append([1002, "Łukasz Wąs", "Finance", 1001, datetime.datetime(2020, 9, 14)])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    result = people_import(organization=org, source=data, file_name="hris.xlsx")
    assert result.created == 2
    lukasz = Person.objects.get(organization=org, external_id="1002")
    assert lukasz.manager.external_id == "1001"
    assert lukasz.start_date == datetime.date(2020, 9, 14)
    assert lukasz.name == "Łukasz Wąs"


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        pytest.param(
            "id,name,unit\n1,Ann,Ops\n",
            "people.csv:1:manager_id: required column 'manager_id' is missing",
            id="missing column",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops,\n1,Ben,Ops,1\n",
            "people.csv:3:id: id '1' appears again (first on row 2)",
            id="duplicate id",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops,\n2,,Ops,1\n",
            "people.csv:3:name: name is blank",
            id="blank name",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops,\n2,Ben,Ops,7\n",
            "people.csv:3:manager_id: manager id '7' is not an id in this file",
            id="unknown manager",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops,\n2,Ben,Ops,3\n3,Cid,Ops,2\n",
            "people.csv:3:manager_id: the manager chain loops back to itself: 2 → 3 → 2",
            id="manager cycle",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops,1\n",
            "people.csv:2:manager_id: the manager chain loops back to itself: 1 → 1",
            id="own manager",
        ),
        pytest.param(
            "id,name,unit,manager_id,email\n1,Ann,Ops,,ann(at)x\n",
            "people.csv:2:email: 'ann(at)x' is not an e-mail address",
            id="invalid email",
        ),
        pytest.param(
            "id,name,unit,manager_id,Start Date\n1,Ann,Ops,,2020-02-30\n",
            "people.csv:2:Start Date: '2020-02-30' is not a date; write it as YYYY-MM-DD",
            id="invalid date",
        ),
        pytest.param(
            "id,name,unit,manager_id,start_date,end_date\n1,Ann,Ops,,2020-01-01,2019-01-01\n",
            "people.csv:2:end_date: end date 2019-01-01 is before start date 2020-01-01",
            id="end before start",
        ),
        pytest.param(
            "id,name,unit,manager_id\n1,Ann,Ops // Team,\n",
            "people.csv:2:unit: unit path 'Ops // Team' has an empty part",
            id="empty unit segment",
        ),
        pytest.param(
            "id,name,unit,manager_id,start_date\n1,Ann,Ops,,03/04/2020\n",
            "people.csv:2:start_date: slashed dates here could be day-first or month-first",
            id="ambiguous date",
        ),
    ],
)
def test_it_refuses_a_broken_file_naming_file_row_and_column_and_writes_nothing(
    make_org, import_people, small_org_csv, csv_text, expected
):
    org = make_org()
    import_people(org, small_org_csv, effective_date=DAY1)
    before = database_snapshot()
    with pytest.raises(ImportRefused) as excinfo:
        import_people(org, csv_text)
    assert any(line.startswith(expected) for line in problems_of(excinfo)), problems_of(excinfo)
    assert database_snapshot() == before


def test_it_reports_every_problem_of_a_file_at_once(make_org, import_people):
    org = make_org()
    with pytest.raises(ImportRefused) as excinfo:
        import_people(org, "id,name,unit,manager_id,email\n1,,Ops,,x\n2,Ben,,9,\n")
    assert problems_of(excinfo) == [
        "people.csv:2:email: 'x' is not an e-mail address",
        "people.csv:2:name: name is blank",
        "people.csv:3:manager_id: manager id '9' is not an id in this file",
        "people.csv:3:unit: unit is blank",
    ]


def test_it_reads_day_first_slashed_dates_when_the_file_shows_the_order(make_org, import_people):
    org = make_org()
    import_people(
        org, "id,name,unit,manager_id,start_date\n1,Ann,Ops,,25/12/2019\n2,Ben,Ops,1,03/04/2020\n"
    )
    assert Person.objects.get(external_id="2").start_date == datetime.date(2020, 4, 3)


def test_it_refuses_text_that_is_not_utf8_and_reads_it_with_the_right_encoding(make_org):
    org = make_org()
    data = "id,name,unit,manager_id\n1,Renée,Ops,\n".encode("cp1252")
    with pytest.raises(ImportRefused) as excinfo:
        people_import(organization=org, source=io.BytesIO(data), file_name="win.csv")
    assert problems_of(excinfo)[0].startswith("win.csv:2:-: this is not UTF-8 text")
    people_import(organization=org, source=io.BytesIO(data), file_name="win.csv", encoding="cp1252")
    assert Person.objects.get(organization=org).name == "Renée"


def test_reimporting_the_same_file_changes_nothing(make_org, import_people, small_org_csv):
    org = make_org()
    import_people(org, small_org_csv, effective_date=DAY1)
    before = database_snapshot()
    result = import_people(org, small_org_csv, effective_date=DAY2)
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (0, 0, 6, 0)
    assert database_snapshot()[:3] == before[:3]


def test_a_reimport_updates_deactivates_leavers_and_keeps_history(
    make_org, import_people, small_org_csv
):
    org = make_org()
    import_people(org, small_org_csv, effective_date=DAY1)
    moved = small_org_csv.replace(
        "6,Finn Platform,Engineering / Platform,5,finn@acme.example,Platform Engineer",
        "6,Finn Platform,Marketing / Brand,2,finn@acme.example,Brand Engineer",
    )
    without_dario = "\n".join(line for line in moved.splitlines() if not line.startswith("4,"))
    result = import_people(org, without_dario, effective_date=DAY2)
    assert (result.created, result.updated, result.deactivated) == (0, 1, 1)

    finn = Person.objects.get(organization=org, external_id="6")
    assert (finn.unit.path, finn.manager.external_id, finn.title) == (
        "Marketing / Brand",
        "2",
        "Brand Engineer",
    )
    dario = Person.objects.get(organization=org, external_id="4")
    assert not dario.active
    assert dario.end_date == DAY2
    assert dario.history.get().valid_to == DAY2

    before = positions_as_of(organization=org, day=DAY2 - datetime.timedelta(days=1))
    after = positions_as_of(organization=org, day=DAY2)
    assert before[finn.pk].title == "Platform Engineer"
    assert after[finn.pk].title == "Brand Engineer"
    assert after[finn.pk].manager_id == Person.objects.get(external_id="2").pk
    assert dario.pk in before
    assert dario.pk not in after


def test_a_leaver_who_returns_is_reactivated(make_org, import_people, small_org_csv):
    org = make_org()
    import_people(org, small_org_csv, effective_date=DAY1)
    without_finn = "\n".join(x for x in small_org_csv.splitlines() if not x.startswith("6,"))
    import_people(org, without_finn, effective_date=DAY2)
    result = import_people(org, small_org_csv, effective_date=datetime.date(2026, 9, 1))
    assert result.reactivated == 1
    assert Person.objects.get(external_id="6").active


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(make_org, import_people, small_org_csv, file_format):
    org = make_org()
    import_people(org, small_org_csv, effective_date=DAY1)
    before = database_snapshot()
    data = people_export(organization=org, file_format=file_format)
    result = people_import(
        organization=org,
        source=io.BytesIO(data),
        file_name=f"export.{file_format}",
        effective_date=DAY2,
    )
    assert (result.created, result.updated, result.deactivated, result.unchanged) == (0, 0, 0, 6)
    assert database_snapshot()[:3] == before[:3]


def test_an_import_that_fails_while_writing_leaves_nothing_behind(
    make_org, import_people, small_org_csv, monkeypatch
):
    org = make_org()

    from execution2.orgs.people_import import writing as module

    real_insert = module.insert_rows

    def fail_on_history(model, columns, rows):
        if model is PersonHistory:
            raise RuntimeError("disk full")
        return real_insert(model, columns, rows)

    monkeypatch.setattr(module, "insert_rows", fail_on_history)
    with pytest.raises(RuntimeError):
        import_people(org, small_org_csv)
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 0


def test_every_import_and_export_is_in_the_audit_log(make_org, import_people, small_org_csv):
    org = make_org()
    import_people(org, small_org_csv)
    people_export(organization=org)
    actions = list(AuditEvent.objects.filter(organization=org).values_list("action", flat=True))
    assert "people.import" in actions
    assert "people.export" in actions


def test_units_match_case_insensitively_and_keep_their_first_spelling(make_org, import_people):
    org = make_org()
    import_people(
        org, "id,name,unit,manager_id\n1,Ann,Sales,\n2,Ben,SALES / emea,1\n3,Cid,sales / EMEA,1\n"
    )
    assert list(Unit.objects.filter(organization=org).values_list("path", flat=True)) == [
        "Sales",
        "Sales / emea",
    ]


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("", "people.csv:1:-: the file is empty"),
        ("id,name,unit,manager_id\n", "people.csv:2:-: the file has a header but no people"),
        (
            'id,name,unit,manager_id\n1,"Ann,Ops,\n',
            "people.csv:2:-: unreadable CSV: a quoted cell starts on this row and is never closed",
        ),
        (
            'id,name,unit,manager_id\n1,"Ann" Smith,Ops,\n',
            "people.csv:2:-: unreadable CSV: text follows a closing quote",
        ),
        ("id,name,unit,manager_id,ID\n1,A,Ops,,2\n", "people.csv:1:ID: this column repeats"),
    ],
)
def test_files_that_are_not_a_table_are_refused_with_a_reason(
    make_org, import_people, csv_text, expected
):
    with pytest.raises(ImportRefused) as excinfo:
        import_people(make_org(), csv_text)
    assert problems_of(excinfo)[0].startswith(expected), problems_of(excinfo)


def test_a_broken_workbook_is_refused_with_a_reason(make_org):
    with pytest.raises(ImportRefused) as excinfo:
        people_import(
            organization=make_org(), source=io.BytesIO(b"PK\x03\x04 not really"), file_name="x.xlsx"
        )
    assert problems_of(excinfo)[0].startswith("x.xlsx:1:-: not a readable XLSX workbook")
