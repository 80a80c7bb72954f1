"""University-scale benchmark: `python -m bench.scale` (part of `make bench`).

Builds a small database (2 courses, 2,000 posts) and measures four pages on it; then adds a
university-sized one (200 courses, 20,000 students, BENCH_POSTS posts, 200,000 by default)
beside it and measures the same pages for one of its courses, whose prompts hold as many
posts as the small one's. Each page should keep its query count and stay within 2x of its
small-database time: the difference is the size of the tables, which the indexes absorb.
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import median_ms  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "200000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def pages(course):
    from destalin.models import Membership, Role
    from discussions.models import Prompt

    prompt = Prompt.objects.filter(course=course).order_by("pk").first()
    student = Membership.objects.filter(course=course, role=Role.STUDENT).first().user
    teacher = Membership.objects.get_or_create(
        course=course, user=student.__class__.objects.get_or_create(
            email=f"teacher-{course.slug}@load.test", defaults={"display_name": "Teacher"}
        )[0], defaults={"role": Role.INSTRUCTOR},
    )[0].user  # fmt: skip
    return [
        ("thread", student, prompt.get_absolute_url()),
        ("course page", student, course.get_absolute_url()),
        ("gradebook", teacher, reverse("grading:gradebook", args=[course.slug])),
        ("search", student, reverse("course-search", args=[course.slug]) + "?q=housing+thaw"),
    ]


def measure(user, url):
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200, url
    ms = median_ms(lambda: client.get(url), ROUNDS)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return ms, len(captured)


def run(courses, students, posts):
    from destalin.models import Course

    before = set(Course.objects.values_list("pk", flat=True))
    start = time.perf_counter()
    call_command("generate_load_data", courses=courses, students=students, posts=posts,
                 verbosity=0)  # fmt: skip
    took = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon: plans for the real sizes
    course = Course.objects.exclude(pk__in=before).order_by("pk").first()
    return took, {name: measure(user, url) for name, user, url in pages(course)}


def main():
    with fresh_database("scale"):
        with override_settings(DEBUG=False):
            _, small = run(2, 100, 2_000)
            took, large = run(200, 20_000, POSTS)
        print(
            f"\nScale on {connection.vendor}: {POSTS:,} posts generated in {took:.0f} s "
            f"(median of {ROUNDS}, milliseconds)"
        )
        print(f"{'page':<12} {'small':>8} {'large':>8} {'ratio':>6} {'queries':>9}")
        for name in small:
            (s_ms, s_q), (l_ms, l_q) = small[name], large[name]
            print(f"{name:<12} {s_ms:>8.1f} {l_ms:>8.1f} {l_ms / s_ms:>6.2f} {s_q:>4}/{l_q:<4}")


if __name__ == "__main__":
    main()
