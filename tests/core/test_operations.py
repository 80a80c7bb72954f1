"""What operators rely on: health checks a load balancer can poll, and one structured log
line per request that never carries what students wrote or who they are beyond an id."""

import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destalin import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_checks_database_cache_and_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


class _Broken:
    def __getitem__(self, alias):
        raise RuntimeError("connection refused")


def test_readyz_says_unavailable_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "connections", _Broken())
    monkeypatch.setattr(health, "_migrated", False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert response.json()["status"] == "unavailable"


def test_readyz_says_unavailable_when_the_cache_is_down(client, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(health.cache, "set", fail)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"] == "unavailable"


def test_readyz_reports_pending_migrations(client, monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            return [("discussions", "9999_future")]

    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    monkeypatch.setattr(health, "_migrated", False)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["migrations"] == "pending"


def test_each_request_logs_one_json_line_without_private_text(client, caplog, cleo, course):
    client.force_login(cleo)
    with caplog.at_level(logging.INFO, logger="destalin.requests"):
        client.get(reverse("course-search", args=[course.slug]), {"q": "my secret words"})
    lines = [r.getMessage() for r in caplog.records if r.name == "destalin.requests"]
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["route"] == "course-search" and entry["status"] == 200
    assert entry["user"] == cleo.pk and entry["course"] == course.slug
    assert entry["ms"] >= 0 and entry["method"] == "GET"
    assert "secret" not in lines[0] and "cleo@example.edu" not in lines[0]


def test_anonymous_requests_log_no_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="destalin.requests"):
        client.post(reverse("account_login"), {"login": "x@example.edu", "password": "hunter2"})
    entry = json.loads(
        next(r.getMessage() for r in caplog.records if r.name == "destalin.requests")
    )
    assert entry["user"] is None and "hunter2" not in json.dumps(entry)
    assert "x@example.edu" not in json.dumps(entry)


@pytest.fixture
def broken(settings):
    from django.test import Client

    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.broken_urls"
    return Client(raise_request_exception=False)


def test_a_database_outage_is_a_friendly_503_without_a_traceback(broken):
    response = broken.get("/down/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Back in a moment" in page and "Traceback" not in page and "server closed" not in page


def test_other_errors_are_a_plain_500(broken):
    response = broken.get("/bug/")
    assert response.status_code == 500 and "secret detail" not in response.content.decode()
