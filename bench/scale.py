"""Pages beside university-sized data: `python -m bench.scale` (part of `make bench`).

Every page people use often, for one course, in two comparisons (issue 22):
- beside a big site: a small course (BENCH_COURSE_POSTS posts, 1,000 by default, over 5
  prompts and 60 students) measured alone on its database, then again once a university-sized
  site (200 courses, 20,000 students, BENCH_POSTS posts, 200,000 by default) stands beside it;
- against a larger course: the same small course against a course of five times its posts on
  the same site, the two timed in turn, round by round (``interleaved_medians_ms``), so the
  shared machine's noise falls on both.
Each page should stay within 1.5x in both, with the same number of queries. Pages that show
more in the larger course are held to their own measure instead: the whole thread per post
shown, the gradebook (a course of 3,000 students against the small one's 60) per row shown.
Both comparisons are measured twice on the same data and both runs are printed, so the spread
is in the output. Generated data: ``generate_load_data`` (bulk inserts).
"""

import os
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import interleaved_medians_ms, median_ms  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "200000"))
COURSE_POSTS = int(os.environ.get("BENCH_COURSE_POSTS", "1000"))
ROSTER = int(os.environ.get("BENCH_ROSTER", "3000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
PROMPTS = 5
# What each page shows more of in a larger course, when it does: (name, count(course)).
GROWS = {"thread": "posts", "gradebook": "rows"}
WAITING = 6  # held and flagged posts in each measured course's review queue
AUDITED = 60  # audit entries in each measured course


def _generate(**counts):
    from destalin.models import Course

    before = set(Course.objects.values_list("pk", flat=True))
    start = time.perf_counter()
    call_command("generate_load_data", verbosity=0, prompts=PROMPTS, **counts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum soon would: plans for the real sizes
    course = Course.objects.exclude(pk__in=before).order_by("pk").first()
    return course, time.perf_counter() - start


def _course(posts, students=60):
    return _generate(courses=1, students=students, per_course=students, posts=posts)[0]


def _furnish(course, reading):
    """What the measured pages show besides posts, the same in every measured course: a
    teacher, a reading on the syllabus, a student who visited every prompt half an hour ago
    (the generator's last posts are a minute apart, so about 30 are new to them), held and
    flagged posts, audit entries. Returns the student and the teacher."""
    from destalin.models import Membership, Role, User
    from discussions.models import AuditEntry, Flag, Participation, Post
    from readings.models import Assignment

    teacher = User.objects.create_user(
        email=f"teacher-{course.slug}@load.test", password="x", display_name="Teacher"
    )
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    Assignment.objects.create(course=course, reading=reading, position=1)
    students = Membership.objects.filter(course=course, role=Role.STUDENT).order_by("pk")
    student, flagger = students[0].user, students[1].user
    half_an_hour_ago = timezone.now() - timedelta(minutes=30)
    for prompt in course.prompts.all():
        Participation.objects.update_or_create(
            prompt=prompt, user=student, defaults={"last_visited_at": half_an_hour_ago}
        )
    waiting = list(Post.objects.filter(prompt__course=course).order_by("pk")[: 2 * WAITING])
    Post.objects.filter(pk__in=[p.pk for p in waiting[:WAITING]]).update(held_at=timezone.now())
    Flag.objects.bulk_create(
        Flag(post=p, course=course, flagged_by=flagger, reason="spam") for p in waiting[WAITING:]
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(course=course, actor=teacher, action="hide", post=waiting[0], reason=f"n{n}")
        for n in range(AUDITED)
    )
    return student, teacher


def _pages(course, student, teacher):
    """(name, user, url) of each page measured for a course."""
    from readings.models import Assignment

    prompt = course.prompts.order_by("pk").first()
    reading = Assignment.objects.get(course=course).reading
    slug = course.slug
    return [
        ("course page, student", student, course.get_absolute_url()),
        ("course page, teacher", teacher, course.get_absolute_url()),
        ("thread", student, prompt.get_absolute_url()),
        ("reader", student, reverse("reading-detail", args=[slug, reading.slug])),
        ("search", student, reverse("course-search", args=[slug]) + "?q=housing+thaw"),
        ("grades", student, reverse("grading:my-grades", args=[slug])),
        ("review queue", teacher, reverse("discussions:review-queue", args=[slug])),
        ("audit log", teacher, reverse("discussions:audit-log", args=[slug])),
        ("progress", teacher, reverse("discussions:prompt-progress", args=[slug, prompt.pk])),
        ("gradebook", teacher, reverse("grading:gradebook", args=[slug])),
    ]


def _shown(name, course):
    """How many posts (thread) or rows (gradebook) the page shows for the course."""
    from destalin.models import Membership, Role
    from discussions.grading.gradebook_selectors import PER_PAGE

    if name == "thread":
        return course.prompts.order_by("pk").first().post_count
    students = Membership.objects.filter(course=course, role=Role.STUDENT).count()
    return min(students, PER_PAGE)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _queries(client, url):
    _get(client, url)  # a first visit may write (a standing, a visit); count the next
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def _alone(pages):
    """{name: (ms, queries)} for each page, timed on its own."""
    result = {}
    for name, user, url in pages:
        client = _client(user)
        queries = _queries(client, url)
        result[name] = (median_ms(lambda c=client, u=url: _get(c, u), ROUNDS), queries)
    return result


def _paired(pages, others):
    """{name: ((ms, queries), (ms, queries))} for each page of two courses, timed in turn."""
    result = {}
    for (name, user, url), (_, other_user, other_url) in zip(pages, others, strict=True):
        one, two = _client(user), _client(other_user)
        queries = (_queries(one, url), _queries(two, other_url))
        times = interleaved_medians_ms(
            lambda c=one, u=url: _get(c, u),
            lambda c=two, u=other_url: _get(c, u),
            rounds=ROUNDS,
        )
        result[name] = tuple(zip(times, queries, strict=True))
    return result


def _report(run, alone, against, sizes):
    print(f"\nRun {run} (median of {ROUNDS}, milliseconds; ratios: beside / alone, larger / small)")
    print(
        f"{'page':<22} {'alone':>8} {'beside':>8} {'ratio':>6}   {'larger':>8} {'ratio':>6} "
        f"{'measure':>9}  {'queries':>11}"
    )
    for name, (a_ms, a_q) in alone.items():
        (s_ms, s_q), (l_ms, l_q) = against[name]
        ratio, measure = l_ms / s_ms, "time"
        if name in GROWS:
            small_n, large_n = sizes[name]
            ratio, measure = (l_ms / large_n) / (s_ms / small_n), f"per {GROWS[name][:-1]}"
        print(
            f"{name:<22} {a_ms:>8.1f} {s_ms:>8.1f} {s_ms / a_ms:>6.2f}   {l_ms:>8.1f} "
            f"{ratio:>6.2f} {measure:>9}  {a_q:>3}/{s_q:>3}/{l_q:>3}"
        )


def main():
    from readings.models import Reading

    with fresh_database("scale"), override_settings(DEBUG=False):
        call_command("loaddata", "readings", verbosity=0)
        reading = Reading.objects.order_by("slug").first()
        small = _course(COURSE_POSTS)
        small_pages = _pages(small, *_furnish(small, reading))
        alone = [_alone(small_pages) for _ in range(2)]
        _, took = _generate(courses=200, students=20_000, posts=POSTS)
        larger = _course(5 * COURSE_POSTS)
        larger_pages = _pages(larger, *_furnish(larger, reading))
        roster = _course(COURSE_POSTS, students=ROSTER)
        roster_pages = _pages(roster, *_furnish(roster, reading))
        # The gradebook's larger course is the one with the large roster.
        larger_pages[-1] = roster_pages[-1]
        sizes = {
            "thread": (_shown("thread", small), _shown("thread", larger)),
            "gradebook": (_shown("gradebook", small), _shown("gradebook", roster)),
        }
        print(
            f"\nScale on {connection.vendor}: a course of {COURSE_POSTS:,} posts alone, then "
            f"beside {POSTS:,} posts in 200 courses (generated in {took:.0f} s), and against a "
            f"course of {5 * COURSE_POSTS:,} posts (gradebook: {ROSTER:,} students). Queries: "
            "alone/beside/larger. Thread and gradebook ratios per post or row shown "
            f"(thread {sizes['thread'][0]} vs {sizes['thread'][1]} posts, gradebook "
            f"{sizes['gradebook'][0]} vs {sizes['gradebook'][1]} rows)."
        )
        for run in (1, 2):
            _report(run, alone[run - 1], _paired(small_pages, larger_pages), sizes)


if __name__ == "__main__":
    main()
