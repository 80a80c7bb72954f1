"""The queries that grow with a university's data are served by indexes (PostgreSQL's plans,
with sequential scans forbidden, as tiny test tables would otherwise be scanned)."""

import pytest
from django.db import connection

from discussions.grading.models import Grade
from discussions.models import AuditEntry, Flag, Participation, Post
from discussions.thread.posts import THREAD_SQL
from tests.factories import PromptFactory, make_post

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def _plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def _assert_read_by_index(plan, table):
    """The plan reads ``table`` (the plan names it) through an index, never row by row."""
    assert f" on {table}" in plan and "Index" in plan, plan
    assert f"Seq Scan on {table}" not in plan, plan


@pytest.fixture
def prompt(course, cleo):
    prompt = PromptFactory(course=course, points_possible=10)
    make_post(prompt, cleo, "Indexed.")
    return prompt


def test_the_thread_reads_posts_by_prompt_and_path(prompt, cleo):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + THREAD_SQL, [None, prompt.pk])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on discussions_post" not in plan
    assert "Index" in plan


def test_the_gradebook_reads_grades_and_participations_by_prompt_and_student(prompt, cleo):
    grades = Grade.objects.filter(prompt__in=[prompt], student__in=[cleo.pk])
    participations = Participation.objects.filter(prompt__in=[prompt], user__in=[cleo.pk])
    _assert_read_by_index(_plan(grades), "grading_grade")
    _assert_read_by_index(_plan(participations), "discussions_participation")


def test_the_review_queue_and_the_audit_log_use_their_indexes(course, prompt):
    held = Post.objects.filter(prompt__course=course, held_at__isnull=False)
    _assert_read_by_index(_plan(held), "discussions_post")
    log = AuditEntry.objects.filter(course=course).order_by("-created_at")[:100]
    _assert_read_by_index(_plan(log), "discussions_auditentry")
    flags = Flag.objects.filter(course=course, resolved_at__isnull=True)
    assert "flag_open_course" in _plan(flags)


def test_unread_posts_are_read_from_the_last_visit_on(prompt):
    from django.utils import timezone

    since_visit = Post.objects.filter(prompt=prompt, published_at__gt=timezone.now()).values("pk")
    # On a few rows the planner may pick any index on prompt; on real sizes it is
    # post_prompt_published (bench/scale.py).
    _assert_read_by_index(_plan(since_visit), "discussions_post")
