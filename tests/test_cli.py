"""The execution2 command, run in-process against the test database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from execution2.cli import cli
from execution2.orgs.models import Membership, Organization, Person


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


OWN_COMMANDS = [path for path in all_commands(cli) if path != ("manage",)]


@pytest.mark.parametrize("path", OWN_COMMANDS, ids=lambda p: " ".join(p) or "execution2")
def test_every_command_explains_itself_with_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_manage_hands_over_to_djangos_own_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "execution2", "manage", "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "EXECUTION2_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_it_creates_an_organization_and_an_admin(runner):
    assert runner.invoke(cli, ["org", "create", "acme", "--name", "Acme Ltd"]).exit_code == 0
    result = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--org",
            "acme",
            "--role",
            "admin",
            "ana@acme.example",
            "--password",
            "a long and unusual passphrase",
        ],
    )
    assert result.exit_code == 0, result.output
    membership = Membership.objects.get(user__email="ana@acme.example")
    assert (membership.organization.slug, membership.role) == ("acme", "admin")


@pytest.mark.django_db
def test_it_refuses_a_duplicate_organization_with_status_2(runner, make_org):
    make_org("acme")
    result = runner.invoke(cli, ["org", "create", "acme", "--name", "Again"])
    assert result.exit_code == 2
    assert "exists already" in result.output


@pytest.mark.django_db
def test_a_broken_people_file_exits_2_with_one_line_per_problem(runner, make_org, tmp_path):
    make_org("acme")
    broken = tmp_path / "people.csv"
    broken.write_text("id,name,unit,manager_id\n1,Ann,Ops,\n2,Ben,Ops,9\n2,Cid,,1\n")
    result = runner.invoke(cli, ["import", "people", "--org", "acme", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:3:manager_id: manager id '9' is not an id in this file" in result.output
    assert f"{broken}:4:id: id '2' appears again (first on row 3)" in result.output
    assert f"{broken}:4:unit: unit is blank" in result.output
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_import_then_export_round_trips_through_files(runner, make_org, tmp_path, small_org_csv):
    make_org("acme")
    source = tmp_path / "people.csv"
    source.write_text(small_org_csv)
    first = runner.invoke(cli, ["import", "people", "--org", "acme", str(source)])
    assert first.exit_code == 0, first.output
    assert "6 created" in first.output
    exported = tmp_path / "out.xlsx"
    result = runner.invoke(
        cli, ["export", "people", "--org", "acme", "--format", "xlsx", "-o", str(exported)]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["import", "people", "--org", "acme", str(exported)])
    assert "0 created, 0 updated, 6 unchanged, 0 deactivated" in again.output


@pytest.mark.django_db
def test_it_names_an_unknown_organization(runner, tmp_path):
    path = Path(tmp_path / "p.csv")
    path.write_text("id,name,unit,manager_id\n")
    result = runner.invoke(cli, ["import", "people", "--org", "nope", str(path)])
    assert result.exit_code == 2
    assert "no organization 'nope'" in result.output


@pytest.mark.django_db
def test_demo_builds_the_same_organization_from_the_same_seed(runner, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    result = runner.invoke(
        cli, ["demo", "--org", "demo", "--people", "120", "--seed", "3", "--events", "20"]
    )
    assert result.exit_code == 0, result.output
    assert "Admin login: admin@execution2.example / " in result.output
    # 120 people x 20 events per 90 days, over the generator's half year: about 4,800.
    events = int(re.search(r"Collaboration: ([\d,]+) events", result.output)[1].replace(",", ""))
    assert 3_000 < events < 7_000
    organization = Organization.objects.get(slug="demo")
    assert organization.people.count() == 120
    again = runner.invoke(cli, ["demo", "--org", "demo", "--people", "120", "--seed", "3"])
    assert "0 created, 0 updated, 120 unchanged" in again.output
    assert "Admin login" not in again.output
