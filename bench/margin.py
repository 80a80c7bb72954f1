"""Margin benchmark: `make bench`. Not a test; it never fails because a machine is slow.

The issue's target (notes in the margin): a reading with 2,000 notes by 60 students opens
with a constant number of queries and within 2x of the same reading with none. One course,
one reading of 60 paragraphs assigned twice (two courses share it: one course's margin is
empty, the other's holds the notes), timed in turn round by round in the same run, as a
student of each course; the ratio is what to read, not the milliseconds.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import interleaved_medians_ms  # noqa: E402

NOTES = int(os.environ.get("BENCH_NOTES", "2000"))
STUDENTS = int(os.environ.get("BENCH_STUDENTS_MARGIN", "60"))
PARAGRAPHS = 60


def build():
    """Two courses reading the same text; returns a student of each (the empty margin's,
    then the busy one's) and the reader's address in each."""
    from django.urls import reverse
    from django.utils import timezone

    from destalin.models import Course, Membership, Role, User
    from discussions.models import NoteTarget, Post, PromptKind, Visibility
    from discussions.note_services import margin_prompt
    from readings.models import Assignment, Paragraph, Reading, Section
    from readings.services import render_reading

    reading = Reading.objects.create(slug="margin-bench", title="Margin bench")
    body = "\n\n".join(
        f"Paragraph {n} says something about the Thaw and the Secret Speech, at some length, "
        "so that a reader has words to choose."
        for n in range(PARAGRAPHS)
    )
    Section.objects.create(reading=reading, position=1, title="All", body=body)
    render_reading(reading=reading)
    readers, urls = [], []
    for name in ("empty", "busy"):
        course = Course.objects.create(title=name, code=name.upper(), term="T", slug=name)
        Assignment.objects.create(course=course, reading=reading)
        students = User.objects.bulk_create(
            User(email=f"{name}{n}@example.edu", display_name=f"{name} {n}")
            for n in range(STUDENTS)
        )
        Membership.objects.bulk_create(
            Membership(user=u, course=course, role=Role.STUDENT) for u in students
        )
        readers.append(students[0])
        urls.append(
            reverse("reading-detail", kwargs={"course": course.slug, "reading": reading.slug})
        )
    margin = margin_prompt(course=Course.objects.get(slug="busy"), reading=reading)
    assert margin.kind == PromptKind.ANNOTATION
    paragraphs = list(Paragraph.objects.filter(reading=reading).order_by("number"))
    busy = list(User.objects.filter(email__startswith="busy"))
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            prompt=margin,
            author=busy[n % len(busy)],
            author_role=Role.STUDENT,
            body=f"Note {n} on this passage.",
            body_html=f"<p>Note {n} on this passage.</p>",
            word_count=5,
            visibility=Visibility.COURSE,
            is_question=n % 5 == 0,
            created_at=now,
            published_at=now,
        )
        for n in range(NOTES)
    )
    NoteTarget.objects.bulk_create(
        NoteTarget(
            post=post,
            reading=reading,
            paragraph_number=paragraphs[n % len(paragraphs)].number,
            exact=paragraphs[n % len(paragraphs)].text[:40],
        )
        for n, post in enumerate(posts)
    )
    return readers, urls


def main():
    with fresh_database("margin"), override_settings(DEBUG=False):
        readers, urls = build()
        clients = []
        for reader, url in zip(readers, urls, strict=True):
            client = Client()
            client.force_login(reader)
            assert client.get(url).status_code == 200
            clients.append((client, url))
        queries = []
        for client, url in clients:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries.append(len(captured))
        empty, busy = interleaved_medians_ms(*(lambda c=c, u=u: c.get(u) for c, u in clients))
        print(
            f"\nReader with the margin, on {connection.vendor}: a {PARAGRAPHS}-paragraph "
            f"reading, no notes against {NOTES} notes by {STUDENTS} students"
        )
        print(f"{'margin':>8} {'ms':>8} {'queries':>8}")
        print(f"{'empty':>8} {empty:>8.1f} {queries[0]:>8}")
        print(f"{'busy':>8} {busy:>8.1f} {queries[1]:>8}")
        print(f"ratio {busy / empty:.2f}x (target: within 2x)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
