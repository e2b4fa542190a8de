"""Production settings are safe; they are read in a fresh process, as a server would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "execution2", "manage", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "execution.example.com",
        "EXECUTION2_DATA_DIR": str(tmp_path),
    }


def test_the_production_settings_pass_djangos_deployment_checks(production_env):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(production_env):
    del production_env["DJANGO_SECRET_KEY"]
    result = run_manage("check", **production_env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2(make_user):
    user = make_user("hash@example.com")
    assert user.password.startswith("argon2")


def test_the_static_files_collect_into_hashed_names_for_production(production_env, tmp_path):
    # The manifest storage fails on a file that points at one it can't find (a source map).
    result = run_manage("collectstatic", "--no-input", **production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "core/app.css" in manifest
    assert "core/vendor/vega/vega-6.4.0.min.js" in manifest


def deploy_env_template() -> dict[str, str]:
    from pathlib import Path

    template = Path(__file__).resolve().parents[2] / "deploy" / "execution2.env"
    values = {}
    for line in template.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_the_documented_environment_file_passes_the_deployment_checks(tmp_path):
    environment = deploy_env_template()
    assert environment["DJANGO_SECRET_KEY"] == "CHANGE-ME"
    environment["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    environment["EXECUTION2_DATA_DIR"] = str(tmp_path)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
