"""Twenty people posting and replying to one prompt at once: every acknowledged post is stored
exactly once, the tree is intact and the counters match."""

import random
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from destalin.models import Role
from discussions.models import PATH_WIDTH, Participation, Post, Prompt
from tests.factories import MembershipFactory, PromptFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's in-memory test database locks whole tables (shared cache) and ignores the busy
    # timeout the app's WAL file database relies on; the issue asks for this on PostgreSQL.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL"),
]

CLIENTS = 20
POSTS_EACH = 6


def _worker(user, prompt, acknowledged, errors, seed):
    rng = random.Random(seed)
    client = Client()
    client.force_login(user)
    url = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    try:
        for n in range(POSTS_EACH):
            parents = list(Post.objects.filter(prompt=prompt).values_list("pk", flat=True)[:50])
            data = {"body": f"{user.display_name} post {n} about the Thaw."}
            if parents and rng.random() < 0.6:
                data["parent"] = rng.choice(parents)
            response = client.post(url, data)
            if response.status_code == 302:
                acknowledged.append(data["body"])
            else:
                errors.append((response.status_code, data["body"]))
    finally:
        connection.close()


def test_concurrent_posting_loses_nothing(course):
    prompt = PromptFactory(course=course)
    users = [MembershipFactory(course=course, role=Role.STUDENT).user for _ in range(CLIENTS)]
    acknowledged, errors = [], []
    threads = [
        threading.Thread(target=_worker, args=(u, prompt, acknowledged, errors, i))
        for i, u in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stored = list(Post.objects.filter(prompt=prompt).values_list("body", flat=True))
    assert errors == []
    assert len(acknowledged) == CLIENTS * POSTS_EACH
    assert sorted(stored) == sorted(acknowledged)  # each exactly once
    by_id = {p.pk: p for p in Post.objects.filter(prompt=prompt)}
    for post in by_id.values():
        assert post.path.endswith(f"{post.pk:0{PATH_WIDTH}d}")
        if post.parent_id:
            parent = by_id[post.parent_id]
            assert post.path.startswith(parent.path) and post.depth == parent.depth + 1
        else:
            assert post.depth == 0 and len(post.path) == PATH_WIDTH
    assert Prompt.objects.get(pk=prompt.pk).post_count == len(stored)
    counted = sum(p.responses + p.replies for p in Participation.objects.filter(prompt=prompt))
    assert counted == len(stored)


def test_two_graders_saving_at_once_one_wins_the_other_is_told(course):
    from discussions.grading import services as grading
    from discussions.grading.models import Grade, GradeChange
    from tests.factories import make_post

    prompt = PromptFactory(course=course, points_possible=10)
    student = MembershipFactory(course=course, role=Role.STUDENT).user
    graders = [MembershipFactory(course=course, role=Role.TA).user for _ in range(2)]
    make_post(prompt, student, "Graded twice at once?")
    start = threading.Barrier(2)
    outcomes = []

    def grade(grader, score):
        try:
            start.wait(timeout=30)
            grading.save_grade(prompt=prompt, student=student, grader=grader, status="graded",
                               entered=score, expected_version=0)  # fmt: skip
            outcomes.append(("saved", score))
        except grading.GradeConflict as conflict:
            outcomes.append(("told", conflict.grade.score if conflict.grade else None))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=grade, args=(g, s)) for g, s in zip(graders, (7, 3), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [score for kind, score in outcomes if kind == "saved"]
    told = [score for kind, score in outcomes if kind == "told"]
    assert len(saved) == 1 and len(told) == 1
    assert told == saved  # the loser is shown the winner's grade
    assert Grade.objects.get(prompt=prompt, student=student).score == saved[0]
    assert GradeChange.objects.count() == 1
