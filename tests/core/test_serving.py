"""What a production server needs from the application: probes, request ids, JSON logs, 503s."""

from __future__ import annotations

import io
import json
import logging
import socket

import pytest
from django.db import OperationalError

from execution2.core.logs import JsonFormatter, RequestIdFilter


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django fails any database access here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_data_directory(client, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "data_dir": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_data_directory_cannot_be_written(client, settings, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    settings.DATA_DIR = not_a_folder
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["data_dir"].startswith("error: ")


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_configured_but_down(client, monkeypatch):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed_port()}/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error: ConnectionError"


@pytest.mark.django_db
def test_the_probes_pass_the_host_check_and_the_https_redirect_that_pages_get(client, settings):
    settings.ALLOWED_HOSTS = ["execution.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    redirected = client.get("/accounts/login/", HTTP_HOST="execution.example.com")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")


@pytest.mark.django_db
def test_a_request_keeps_the_proxys_id_and_returns_it(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    assert response["X-Request-ID"] == "nginx-4f2a9c"


@pytest.mark.django_db
def test_a_request_without_a_usable_id_gets_a_new_one(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(first) == 32
    assert second["X-Request-ID"] not in {first, "bad id\nwith newline"}
    assert len(second["X-Request-ID"]) == 32


@pytest.fixture
def json_log() -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    requests_logger = logging.getLogger("execution2.requests")
    level = requests_logger.level
    requests_logger.setLevel(logging.INFO)
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    requests_logger.setLevel(level)


@pytest.mark.django_db
def test_every_log_line_of_a_request_is_json_with_its_request_id(client, json_log, monkeypatch):
    from execution2.core import views

    def failing(*args, **kwargs):
        logging.getLogger("execution2.test").warning("looking up %s", "organizations")
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "organizations_for_user", failing)
    client.raise_request_exception = False
    client.force_login(_user())
    client.get("/", HTTP_X_REQUEST_ID="req-123")
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines, "nothing was logged"
    assert {line["request_id"] for line in lines} == {"req-123"}
    ours = next(line for line in lines if line["logger"] == "execution2.test")
    assert ours["message"] == "looking up organizations"
    request_line = next(line for line in lines if line["logger"] == "execution2.requests")
    assert request_line["status"] == 503
    assert request_line["path"] == "/"
    assert isinstance(request_line["duration_ms"], float)


def _user():
    from execution2.orgs.services import user_get_or_create

    return user_get_or_create(email="ops@example.com", password=None)[0]


@pytest.mark.django_db
def test_a_database_that_is_down_gives_a_plain_503_page(client, monkeypatch):
    from execution2.core import views

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.9" failed: secret detail')

    monkeypatch.setattr(views, "organizations_for_user", refuse)
    client.raise_request_exception = False
    client.force_login(_user())
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert "secret detail" not in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_redis_that_is_down_gives_a_503_page_and_pages_come_back_with_it(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client.raise_request_exception = False
    # The sign-in rate limit counts in the cache.
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_ordinary_bug_is_still_a_500(client, monkeypatch, db):
    from execution2.core import views

    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(views, "organizations_for_user", bug)
    client.raise_request_exception = False
    client.force_login(_user())
    assert client.get("/").status_code == 500
