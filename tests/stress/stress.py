"""`make stress`: twenty clients post to one prompt through gunicorn on PostgreSQL while
PostgreSQL restarts. Requests during the outage must fail cleanly (503, no traceback), the
app must recover by itself, and every acknowledged post must be stored exactly once.

Run: python -m tests.stress.stress [--seconds 30] [--clients 20] [--restart-at 8]
with DATABASE_URL pointing at the PostgreSQL server (its own database is created and dropped).
Restarts the local cluster with pg_ctlcluster: never run it beside other tests.
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import psycopg

PORT = 8765
DB = "destalin_stress"
SEED = """
import django, json
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from destalin.models import Course, Membership, Role, User
from discussions.models import Prompt, RevealMode
course = Course.objects.create(title="Stress", code="STRESS 1", term="Now", slug="stress")
prompt = Prompt.objects.create(course=course, title="Under load", body="b", body_html="<p>b</p>",
                               reveal_mode=RevealMode.OPEN, is_published=True)
keys = []
for n in range({clients}):
    user = User.objects.create_user(email=f"s{{n}}@stress.test", password=None,
                                    display_name=f"Student {{n}}")
    Membership.objects.create(user=user, course=course, role=Role.STUDENT)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps({{"prompt": prompt.pk, "keys": keys}}))
"""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_env(base_url):
    parts = urlsplit(base_url)
    return {
        **os.environ,
        "DATABASE_URL": parts._replace(path=f"/{DB}").geturl(),
        "DEBUG": "0",
        "SECRET_KEY": "stress-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "POST_RATE_PER_MINUTE": "100000/m",
        "POST_RATE_PER_HOUR": "1000000/h",
        "DJANGO_SETTINGS_MODULE": "destalin.settings",
        "LOG_LEVEL": "ERROR",
    }


def recreate_database(base_url):
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")


class Client:
    """One student: a session cookie, the form's CSRF token, posts counted by outcome."""

    def __init__(self, number, session_key, prompt):
        self.number, self.prompt = number, prompt
        self.cookies = {"sessionid": session_key}
        self.outcomes = Counter()
        self.acknowledged, self.after_restart = [], 0

    def _request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=15)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    def run(self, until, restarted):
        page = f"/courses/stress/prompts/{self.prompt}/"
        n = 0
        while time.monotonic() < until:
            try:
                status, text = self._request("GET", page)
                token = TOKEN.search(text) if status == 200 else None
                if token is None:
                    self.outcomes[f"page {status}"] += 1
                    self._check(status, text)
                    time.sleep(0.2)
                    continue
                body = f"Stress post {self.number}-{n} under load."
                data = urlencode({"csrfmiddlewaretoken": token[1], "body": body})
                status, text = self._request("POST", f"{page}posts/", data)
                self._check(status, text)
                self.outcomes[f"post {status}"] += 1
                if status == 302:
                    self.acknowledged.append(body)
                    self.after_restart += restarted.is_set()
                    n += 1
            except OSError as error:
                self.outcomes[f"connection {type(error).__name__}"] += 1
                time.sleep(0.2)

    def _check(self, status, text):
        if status >= 500 and (status != 503 or "Traceback" in text):
            self.outcomes["unclean failure"] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--restart-at", type=float, default=8)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    env = server_env(base)
    recreate_database(base)
    python = sys.executable
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"]):
        subprocess.run([python, "manage.py", *command], env=env, check=True)
    seeded = subprocess.run([python, "-c", SEED.format(clients=args.clients)], env=env,
                            check=True, capture_output=True, text=True)  # fmt: skip
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    gunicorn = os.path.join(os.path.dirname(python), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "destalin.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "4",
         "--timeout", "30"],
        env=env,
    )  # fmt: skip
    try:
        return run(args, world, base, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
        recreate_database(base)


def run(args, world, base, server):
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    clients = [Client(n, key, world["prompt"]) for n, key in enumerate(world["keys"])]
    restarted = threading.Event()
    until = time.monotonic() + args.seconds
    threads = [threading.Thread(target=c.run, args=(until, restarted)) for c in clients]
    for thread in threads:
        thread.start()
    time.sleep(args.restart_at)
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True
    )
    outage = time.monotonic() - started
    restarted.set()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    acknowledged = [body for c in clients for body in c.acknowledged]
    with psycopg.connect(urlsplit(base)._replace(path=f"/{DB}").geturl()) as conn:
        stored = Counter(
            row[0]
            for row in conn.execute(
                "SELECT body FROM discussions_post WHERE prompt_id = %s", [world["prompt"]]
            )
        )
    outcomes = sum((c.outcomes for c in clients), Counter())
    lost = [body for body in acknowledged if stored[body] != 1]
    recovered = sum(c.after_restart for c in clients)
    report = {
        "clients": len(clients),
        "seconds": args.seconds,
        "restart took (s)": round(outage, 1),
        "acknowledged": len(acknowledged),
        "stored": sum(stored.values()),
        "acknowledged but missing or doubled": len(lost),
        "acknowledged after the restart": recovered,
        "outcomes": dict(sorted(outcomes.items())),
    }
    print(json.dumps(report, indent=2))
    ok = not lost and recovered > 0 and outcomes["unclean failure"] == 0 and server.poll() is None
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
