import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from destalin.checks import check_mail_identity, check_signup_tells_nothing

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-of-more-than-fifty-characters-0123456789",
    "ALLOWED_HOSTS": "destalin.example.edu",
    "SITE_URL": "https://destalin.example.edu",
    "DEFAULT_FROM_EMAIL": "Destalin <destalin@example.edu>",
    "DJANGO_SETTINGS_MODULE": "destalin.settings",
}


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_settings_are_the_readmes():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("A production configuration that")[1].split("```sh")[1].split("```")[0]
    given = dict(re.findall(r"([A-Z_]+)=(\"[^\"]*\"|\S+)", block))
    placeholders = {"SECRET_KEY", "DATABASE_URL"}
    assert {k: v.strip('"') for k, v in given.items() if k not in placeholders} == {
        k: v for k, v in PRODUCTION.items() if k not in placeholders | {"DJANGO_SETTINGS_MODULE"}
    }


def test_production_refuses_to_start_with_mail_pointing_at_this_machine():
    defaults = {k: v for k, v in PRODUCTION.items() if k not in {"SITE_URL", "DEFAULT_FROM_EMAIL"}}
    result = _manage("check", "--deploy", **defaults)
    assert result.returncode != 0
    assert "destalin.E001" in result.stderr and "http://127.0.0.1:8000" in result.stderr
    assert "destalin.E002" in result.stderr and "noreply@localhost" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("SITE_URL", "http://destalin.example.edu", "destalin.E001"),  # links over plain http
        ("SITE_URL", "https://localhost:8443", "destalin.E001"),
        ("SITE_URL", "https://10.0.0.5", "destalin.E001"),
        ("SITE_URL", "https://example.com", "destalin.E001"),
        ("DEFAULT_FROM_EMAIL", "destalin", "destalin.E002"),
        ("DEFAULT_FROM_EMAIL", "Destalin <noreply@destalin.local>", "destalin.E002"),
    ],
)
def test_each_address_that_is_not_the_sites_is_refused(settings, name, value, error):
    settings.ALLOWED_HOSTS = [PRODUCTION["ALLOWED_HOSTS"]]
    settings.SITE_URL = PRODUCTION["SITE_URL"]
    settings.DEFAULT_FROM_EMAIL = PRODUCTION["DEFAULT_FROM_EMAIL"]
    assert check_mail_identity() == []
    setattr(settings, name, value)
    assert [problem.id for problem in check_mail_identity()] == [error]


def test_site_url_must_be_a_host_the_site_answers_to(settings):
    settings.ALLOWED_HOSTS = ["destalin.example.edu"]
    settings.DEFAULT_FROM_EMAIL = PRODUCTION["DEFAULT_FROM_EMAIL"]
    settings.SITE_URL = "https://destalin.exmaple.edu"  # a typo
    assert [problem.id for problem in check_mail_identity()] == ["destalin.E001"]


def test_a_trial_on_this_machine_may_keep_local_addresses(settings):
    # .env.example's `make serve` trial: only local names are served, so local links are right.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEFAULT_FROM_EMAIL = "Destalin <noreply@localhost>"
    assert check_mail_identity() == []


@pytest.mark.parametrize("verification", ["optional", "none"])
def test_signup_that_would_tell_who_has_an_account_is_refused(settings, verification):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    assert [problem.id for problem in check_signup_tells_nothing()] == ["destalin.E003"]


def test_missing_secret_key_stops_start_up_with_a_clear_error():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_collectstatic_works_with_hashed_compressed_storage(tmp_path):
    result = _manage("collectstatic", "--no-input", **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob("destalin/site.*.css.gz"))
