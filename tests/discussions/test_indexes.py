"""The queries that grow with a university's data are served by indexes (PostgreSQL's plans,
with sequential scans forbidden, as tiny test tables would otherwise be scanned)."""

import pytest
from django.db import connection

from discussions.grading.models import Grade
from discussions.models import AuditEntry, Participation, Post
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


def test_the_gradebook_reads_grades_and_standings_by_prompt_and_student(prompt, cleo):
    grades = Grade.objects.filter(prompt__in=[prompt], student__in=[cleo.pk])
    standings = Participation.objects.filter(prompt__in=[prompt], user__in=[cleo.pk])
    assert "Seq Scan on grading_grade" not in _plan(grades)
    assert "Seq Scan on discussions_participation" not in _plan(standings)


def test_the_review_queue_and_the_audit_log_use_their_indexes(course, prompt):
    held = Post.objects.filter(prompt__course=course, held_at__isnull=False)
    assert "Seq Scan on discussions_post" not in _plan(held)
    log = AuditEntry.objects.filter(course=course).order_by("-created_at")[:100]
    assert "Seq Scan on discussions_auditentry" not in _plan(log)
