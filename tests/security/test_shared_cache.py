"""With REDIS_URL set, rate-limit counters live in Redis, so separate processes (several app
servers) count together: attempts spread over two processes meet one limit."""

import os
import socket
import subprocess
import sys
import uuid

import pytest

ATTEMPTS = """
import django
django.setup()
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

class Person:
    is_authenticated = True
    pk = "{user}"

request = RequestFactory().post("/join/")
request.user = Person()
print(",".join(
    str(is_ratelimited(request, group="join", key="user", rate="10/h", increment=True))
    for _ in range(6)
))
"""


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _attempts(user):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "destalin.settings",
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", ATTEMPTS.format(user=user)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().split(",")


def test_rate_limits_are_shared_between_processes_through_redis():
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379: CI must test the shared cache")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    user = uuid.uuid4().hex  # a fresh counter, whatever earlier runs left in Redis
    first = _attempts(user)
    second = _attempts(user)
    assert first == ["False"] * 6
    # The second process goes on from the first one's count: four more, then limited.
    assert second == ["False"] * 4 + ["True"] * 2
