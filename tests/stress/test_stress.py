"""The stress run itself (`make stress`): it restarts the local PostgreSQL, so it runs only
when asked for, with STRESS=1."""

import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.stress,
    pytest.mark.skipif(not os.environ.get("STRESS"), reason="restarts PostgreSQL: STRESS=1"),
]


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
