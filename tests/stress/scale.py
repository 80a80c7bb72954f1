"""`make scale-test`: two app servers on two ports against one PostgreSQL and one Redis, and a
bounded locust run (127.0.0.1 only, stops by itself) of students reading and posting and a
teacher grading, each request to either server. Checks that a post made through one server is
visible through the other at once, that sessions work on both, that nothing acknowledged is
lost, and prints throughput and p50/p95 latency per endpoint.

Run: python -m tests.stress.scale [--seconds 30] [--students 40]
with DATABASE_URL pointing at PostgreSQL (its own database is created and dropped) and Redis
on 127.0.0.1:6379 (its database 14 is emptied).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

from tests.stress.stress import server_env

DB = "destalin_scale"
PORTS = (8801, 8802)
REDIS = "redis://127.0.0.1:6379/14"
SEED = """
import django, json
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from destalin.models import Course, Membership, Role, User
from discussions.models import Prompt, RevealMode
course = Course.objects.create(title="Scale", code="SCALE 1", term="Now", slug="scale")
prompt = Prompt.objects.create(course=course, title="Two servers", body="b", body_html="<p>b</p>",
                               reveal_mode=RevealMode.OPEN, is_published=True, points_possible=10)
def session(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key
teacher = User.objects.create_user(email="teacher@scale.test", display_name="Teacher")
Membership.objects.create(user=teacher, course=course, role=Role.INSTRUCTOR)
students = []
for n in range({students}):
    user = User.objects.create_user(email=f"s{{n}}@scale.test", display_name=f"Student {{n}}")
    Membership.objects.create(user=user, course=course, role=Role.STUDENT)
    students.append(user)
print(json.dumps({{"thread": prompt.get_absolute_url(),
                   "grader": f"/courses/scale/prompts/{{prompt.pk}}/grader/",
                   "teacher": session(teacher), "students": [session(u) for u in students],
                   "student_ids": [u.pk for u in students], "prompt": prompt.pk}}))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--students", type=int, default=40)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    target = urlsplit(base)._replace(path=f"/{DB}").geturl()
    env = {**server_env(base), "DATABASE_URL": target, "REDIS_URL": REDIS}
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    redis.Redis.from_url(REDIS).flushdb()
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    seeded = subprocess.run(
        [python, "-c", SEED.format(students=args.students)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    world["servers"] = [f"http://127.0.0.1:{port}" for port in PORTS]
    bin_dir = Path(python).parent
    servers = [
        subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "destalin.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env=env,
        )
        for port in PORTS
    ]
    try:
        return run(args, world, env, target, bin_dir)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def run(args, world, env, target, bin_dir):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "world.json").write_text(json.dumps(world))
        time.sleep(3)  # the servers' workers start
        locust = subprocess.run(
            [
                str(bin_dir / "locust"),
                "-f",
                "tests/stress/locustfile.py",
                "--headless",
                "--users",
                str(args.students + 1),
                "--spawn-rate",
                "20",
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(folder / "load"),
                "--only-summary",
            ],
            env={
                **env,
                "SCALE_WORLD": str(folder / "world.json"),
                "SCALE_RESULTS": str(folder / "results.json"),
            },
            capture_output=True,
            text=True,
            timeout=args.seconds + 120,
        )
        results = json.loads((folder / "results.json").read_text())
        with open(folder / "load_stats.csv", encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
    with psycopg.connect(target) as conn:
        stored = Counter(
            body
            for (body,) in conn.execute(
                "SELECT body FROM discussions_post WHERE prompt_id = %s", [world["prompt"]]
            )
        )
        graded = conn.execute("SELECT count(*) FROM grading_grade").fetchone()[0]
    lost = [body for body in results["acknowledged"] if stored[body] != 1]
    failures = sum(int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated")
    print(
        f"\n{'endpoint':<22} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'failures':>8}"
    )
    for row in rows:
        print(
            f"{row['Name']:<22} {row['Request Count']:>9} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} "
            f"{row['Failure Count']:>8}"
        )
    report = {
        "servers": world["servers"],
        "acknowledged posts": len(results["acknowledged"]),
        "stored posts": sum(stored.values()),
        "acknowledged but missing or doubled": len(lost),
        "posts checked through the other server": results["cross_checks"],
        "not visible there at once": len(results["cross_misses"]),
        "grades stored": graded,
        "failed requests": failures,
    }
    print(json.dumps(report, indent=2))
    ok = (
        not lost
        and not results["cross_misses"]
        and failures == 0
        and results["cross_checks"] > 0
        and graded > 0
    )
    if not ok:
        print(locust.stdout[-3000:], locust.stderr[-3000:])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
