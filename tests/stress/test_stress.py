"""The load runs themselves (`make stress`, `make scale-test`): they restart the local
PostgreSQL or start servers on fixed ports, so they run only when asked for, with STRESS=1."""

import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.stress,
    pytest.mark.skipif(not os.environ.get("STRESS"), reason="load runs only with STRESS=1"),
]


@pytest.mark.restart
def test_posting_survives_a_postgresql_restart():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.fail("make stress needs DATABASE_URL pointing at PostgreSQL")
    result = subprocess.run(
        [sys.executable, "-m", "tests.stress.stress", "--seconds", "25", "--restart-at", "8"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout, result.stderr[-3000:])
    assert result.returncode == 0 and "PASS" in result.stdout


def test_two_servers_share_everything_under_load():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.fail("make scale-test needs DATABASE_URL pointing at PostgreSQL")
    result = subprocess.run(
        [sys.executable, "-m", "tests.stress.scale", "--seconds", "20"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout, result.stderr[-3000:])
    assert result.returncode == 0 and "PASS" in result.stdout
