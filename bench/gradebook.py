"""Gradebook benchmark: `make bench`. Not a test; it never fails because a machine is slow.

Builds a course of N students by 40 graded prompts, every cell graded, and reports for each
size, in the same run on the same database: the gradebook page's median server time and query
count, and the CSV export's time and peak memory (tracemalloc while the whole response is
streamed). Flat memory means the peak does not grow with the roster.
"""

import os
import sys
import tracemalloc
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import median_ms  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_STUDENTS", "300,3000").split(",")]
PROMPTS = int(os.environ.get("BENCH_PROMPTS", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def build(students):
    from destalin.models import Course, Membership, Role, User
    from discussions.grading.models import Grade
    from discussions.models import Participation, Prompt

    course = Course.objects.create(
        title="Bench", code=f"G{students}", term="T", slug=f"gradebook-{students}"
    )
    teacher = User.objects.create_user(
        email=f"t{students}@example.edu", password="x", display_name="Teacher"
    )
    Membership.objects.create(user=teacher, course=course, role=Role.INSTRUCTOR)
    users = User.objects.bulk_create(
        User(email=f"g{students}-{n}@example.edu", display_name=f"First{n} Last{n:05d}")
        for n in range(students)
    )
    Membership.objects.bulk_create(
        (Membership(user=u, course=course, role=Role.STUDENT) for u in users), batch_size=1000
    )
    prompts = Prompt.objects.bulk_create(
        Prompt(
            course=course,
            title=f"Week {n}",
            body="b",
            body_html="<p>b</p>",
            points_possible=10,
            is_published=True,
            position=n,
        )
        for n in range(PROMPTS)
    )
    Participation.objects.bulk_create(
        (Participation(prompt=p, user=u, responses=1) for p in prompts for u in users),
        batch_size=2000,
    )
    Grade.objects.bulk_create(
        (
            Grade(prompt=p, student=u, entered=Decimal(7), score=Decimal(7), graded_by=teacher)
            for p in prompts
            for u in users
        ),
        batch_size=2000,
    )
    return course, teacher


def streamed(client, url):
    return sum(len(chunk) for chunk in client.get(url).streaming_content)


def measure(students):
    from django.urls import reverse

    course, teacher = build(students)
    client = Client()
    client.force_login(teacher)
    page_url = reverse("grading:gradebook", kwargs={"course": course.slug})
    csv_url = reverse("grading:gradebook-csv", kwargs={"course": course.slug})
    assert client.get(page_url).status_code == 200
    page = median_ms(lambda: client.get(page_url), ROUNDS)
    with CaptureQueriesContext(connection) as captured:
        client.get(page_url)
    queries = len(captured)  # now: the next request empties the connection's query log
    export = median_ms(lambda: streamed(client, csv_url), ROUNDS)
    tracemalloc.start()
    size = streamed(client, csv_url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return page, queries, export, size, peak


def main():
    with fresh_database("gradebook"), override_settings(DEBUG=False):
        print(
            f"\nGradebook, {PROMPTS} prompts, on {connection.vendor} "
            f"(median of {ROUNDS}, milliseconds; memory in MB)"
        )
        print(f"{'students':>8} {'page':>9} {'queries':>8} {'csv':>9} {'csv MB':>7} {'peak MB':>8}")
        for students in SIZES:
            page, queries, export, size, peak = measure(students)
            print(
                f"{students:>8} {page:>9.1f} {queries:>8} {export:>9.1f} "
                f"{size / 1e6:>7.2f} {peak / 1e6:>8.2f}"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
