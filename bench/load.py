"""Throughput under load: `python -m bench.load` (part of `make bench`).

A course of 1,000 posts in one prompt (``generate_load_data``, 60 students) and a reading on
its syllabus, on a database of the benchmark's own (a file on SQLite, ``test_bench_load_<db>``
on ``$DATABASE_URL``'s server); gunicorn with 2 workers on a free port, the test settings
(DEBUG off, no static collection); Debian's ``wrk`` for BENCH_LOAD_SECONDS (20) per page with
8 connections, signed in as a student, on the course page, the reader and the whole
1,000-post thread, each page twice in turn so the spread shows. Prints requests per second
and the latency percentiles wrk measured. A benchmark, not a test: it fails only when a page
does not answer 200.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "8"))
RUNS = 2

SEED = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
from destalin.models import Course, Membership, Role
from readings.models import Assignment, Reading
course = Course.objects.get()
reading = Reading.objects.order_by("slug").first()
Assignment.objects.create(course=course, reading=reading, position=1)
student = Membership.objects.filter(course=course, role=Role.STUDENT).order_by("pk")[0].user
client = Client()
client.force_login(student)
pages = {
    "course page": course.get_absolute_url(),
    "reader": reverse("reading-detail", args=[course.slug, reading.slug]),
    "thread (1,000 posts)": course.prompts.get().get_absolute_url(),
}
for url in pages.values():  # first visits write (a visit, a standing); measure reads
    for _ in range(2):
        assert client.get(url).status_code == 200, url
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print(json.dumps({"pages": pages, "cookie": cookie}))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database(folder):
    """(DATABASE_URL for the run, a function that drops it)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        return f"sqlite:///{folder / 'load.sqlite3'}", lambda: None
    import psycopg

    name = f"test_bench_load_{urlsplit(base).path.lstrip('/') or 'postgres'}"

    def drop():
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(base)._replace(path=f"/{name}").geturl(), drop


def _manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)


def _wait(url, server):
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def _wrk(url, cookie):
    # wrk counts a request slower than its timeout (2 s by default) as an error and leaves it
    # out of the latencies; a loaded machine must not hide its slowest requests that way.
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise SystemExit(f"{url}: some requests failed or were not answered 200\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    return rate, latency


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as folder:
        database, drop = _database(Path(folder))
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "DJANGO_SETTINGS_MODULE": "destalin.settings_test",
        }
        server = None
        try:
            _manage(env, "migrate", "--no-input", "-v", "0")
            _manage(env, "loaddata", "readings", "-v", "0")
            sizes = ["--courses", "1", "--students", "60", "--per-course", "60"]
            _manage(
                env, "generate_load_data", *sizes, "--posts", "1000", "--prompts", "1", "-v", "0"
            )
            seeded = subprocess.run(
                [sys.executable, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True,
                text=True,
            )  # fmt: skip
            world = json.loads(seeded.stdout.strip().splitlines()[-1])
            port = _free_port()
            server = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "destalin.wsgi", "--bind",
                 f"127.0.0.1:{port}", "--workers", "2"],
                env=env, cwd=ROOT, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            _wait(base, server)
            vendor = "PostgreSQL" if database.startswith("postgres") else "SQLite"
            print(
                f"\nUnder load on {vendor}: gunicorn, 2 workers; wrk {SECONDS} s, "
                f"{CONNECTIONS} connections, as a student; each page {RUNS} times in turn"
            )
            print(f"{'page':<22} {'run':>3} {'req/s':>8} {'p50':>9} {'p90':>9} {'p99':>9}")
            for run in range(1, RUNS + 1):
                for name, path in world["pages"].items():
                    rate, latency = _wrk(base + path, world["cookie"])
                    print(
                        f"{name:<22} {run:>3} {rate:>8.1f} {latency.get('50', '?'):>9} "
                        f"{latency.get('90', '?'):>9} {latency.get('99', '?'):>9}"
                    )
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            drop()


if __name__ == "__main__":
    main()
