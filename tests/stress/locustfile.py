"""Load for `make scale-test`: students read the thread and post, each request to either of
two app servers; a teacher grades. Who they are comes from SCALE_WORLD (a JSON file the
scale test writes); what was acknowledged goes back to SCALE_RESULTS when the run stops."""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

WORLD = json.load(open(os.environ["SCALE_WORLD"], encoding="utf-8"))  # noqa: SIM115
SERVERS = WORLD["servers"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACKNOWLEDGED, CROSS_CHECKS, CROSS_MISSES = [], [], []
_students = iter(WORLD["students"])


class Student(HttpUser):
    weight = 10
    wait_time = between(0.2, 1.0)
    host = SERVERS[0]

    def on_start(self):
        self.session_key = next(_students)
        self.client.cookies.set("sessionid", self.session_key)
        self.n = 0

    def _server(self):
        return random.choice(SERVERS)

    @task(3)
    def read_thread(self):
        self.client.get(f"{self._server()}{WORLD['thread']}", name="thread")

    @task(2)
    def post(self):
        page = self.client.get(f"{self._server()}{WORLD['thread']}", name="thread")
        token = TOKEN.search(page.text)
        if token is None:
            return
        self.n += 1
        body = f"Scale post {self.session_key[:8]}-{self.n}."
        first = self._server()
        response = self.client.post(
            f"{first}{WORLD['thread']}posts/",
            {"csrfmiddlewaretoken": token[1], "body": body},
            headers={"Referer": f"{first}{WORLD['thread']}"},
            allow_redirects=False,
            name="post",
        )
        if response.status_code != 302:
            return
        ACKNOWLEDGED.append(body)
        # Visible through the other server at once.
        other = SERVERS[1 - SERVERS.index(first)]
        seen = self.client.get(f"{other}{WORLD['thread']}", name="thread (other server)")
        CROSS_CHECKS.append(body)
        if body not in seen.text:
            CROSS_MISSES.append(body)


class Teacher(HttpUser):
    weight = 1
    fixed_count = 1
    wait_time = between(0.5, 1.5)
    host = SERVERS[0]

    def on_start(self):
        self.client.cookies.set("sessionid", WORLD["teacher"])

    @task
    def grade(self):
        student = random.choice(WORLD["student_ids"])
        url = f"{random.choice(SERVERS)}{WORLD['grader']}{student}/"
        page = self.client.get(url, name="grader")
        token = TOKEN.search(page.text)
        version = re.search(r'name="version" value="(\d+)"', page.text)
        if token is None or version is None:
            return
        self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token[1],
                "status": "graded",
                "score": "7",
                "feedback": "",
                "version": version[1],
            },
            headers={"Referer": url},
            allow_redirects=False,
            name="grade",
        )


@events.test_stop.add_listener
def _save(**kwargs):
    with open(os.environ["SCALE_RESULTS"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "acknowledged": ACKNOWLEDGED,
                "cross_checks": len(CROSS_CHECKS),
                "cross_misses": CROSS_MISSES,
            },
            out,
        )
