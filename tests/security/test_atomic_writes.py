"""Every write that touches several rows is one transaction: a failure half-way (injected
here into its last steps) leaves the database exactly as it was."""

import pytest
from django.utils import timezone

from destalin.models import Course, Membership
from discussions import post_services
from discussions import services as discussions
from discussions.grading import services as grading
from discussions.grading.models import Grade, GradeChange, GradingPolicy, Rubric
from discussions.models import AuditEntry, Flag, Participation, Post, PostRevision, Prompt
from discussions.moderation import services as moderation
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

MODELS = (
    Post, PostRevision, Participation, Prompt, Grade, GradeChange, GradingPolicy, Rubric,
    AuditEntry, Flag, Course, Membership,
)  # fmt: skip


def _state():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


class Boom(Exception):
    pass


def _explode(*args, **kwargs):
    raise Boom


@pytest.fixture
def graded(course, ada, cleo, dora):
    prompt = PromptFactory(course=course, points_possible=10, required_replies=1)
    make_post(prompt, cleo, "Cleo's response.")
    return prompt


def _fails_cleanly(monkeypatch, target, name, action):
    before = _state()
    monkeypatch.setattr(target, name, _explode)
    with pytest.raises(Boom):
        action()
    monkeypatch.undo()
    assert _state() == before


def test_posting(monkeypatch, graded, dora):
    _fails_cleanly(
        monkeypatch, discussions, "count_participation", lambda: make_post(graded, dora, "New.")
    )


def test_editing(monkeypatch, graded, cleo):
    post = Post.objects.get(author=cleo)
    _fails_cleanly(
        monkeypatch,
        discussions,
        "recompute_participation",
        lambda: post_services.edit_post(post=post, editor=cleo, body="Changed."),
    )


def test_deleting(monkeypatch, graded, cleo):
    post = Post.objects.get(author=cleo)
    _fails_cleanly(
        monkeypatch,
        discussions,
        "recompute_participation",
        lambda: post_services.delete_post(post=post, by=cleo),
    )


def test_granting_an_extension(monkeypatch, graded, ada, cleo):
    later = timezone.now() + timezone.timedelta(days=3)
    _fails_cleanly(
        monkeypatch,
        discussions,
        "count_participation",
        lambda: discussions.grant_extension(
            prompt=graded, student=cleo, due_at=later, cutoff_at=None, granted_by=ada
        ),
    )


def test_changing_a_prompts_rules(monkeypatch, graded):
    graded.min_words = 50
    _fails_cleanly(
        monkeypatch,
        discussions,
        "_refresh_participations",
        lambda: discussions.save_prompt(prompt=graded),
    )


def test_saving_a_grade(monkeypatch, graded, ada, cleo):
    _fails_cleanly(
        monkeypatch,
        grading,
        "_record",
        lambda: grading.save_grade(
            prompt=graded, student=cleo, grader=ada, status="graded", entered=5, expected_version=0
        ),
    )


def test_importing_scores_saves_all_or_none(monkeypatch, graded, ada, cleo, dora):
    from discussions.grading.gradebook_csv import Cell
    from discussions.grading.gradebook_reading import Change

    changes = [
        Change(row_number=3, user_id=cleo.pk, prompt_id=graded.pk, old=Cell(None), new=Cell(7)),
        Change(row_number=4, user_id=dora.pk, prompt_id=graded.pk, old=Cell(None), new=Cell(8)),
    ]
    real = grading.save_grade
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise Boom
        return real(**kwargs)

    before = _state()
    monkeypatch.setattr(grading, "save_grade", second_fails)
    with pytest.raises(Boom):
        grading.import_scores(course=graded.course, prompts=[graded], changes=changes, by=ada)
    assert len(calls) == 2 and _state() == before


def test_releasing_grades(monkeypatch, graded, ada, cleo):
    grading.save_grade(prompt=graded, student=cleo, grader=ada, status="graded", entered=5,
                       expected_version=0)  # fmt: skip
    _fails_cleanly(
        monkeypatch,
        grading.audit,
        "record",
        lambda: grading.release_grades(prompt=graded, by=ada, everyone=True),
    )


def test_saving_a_rubric(monkeypatch, course, ada):
    from discussions.grading.models import Level

    _fails_cleanly(
        monkeypatch,
        Level.objects,
        "bulk_create",
        lambda: grading.save_rubric(
            rubric=Rubric(course=course, title="R"),
            criteria=[("Argument", "", [("Strong", 6), ("Weak", 0)])],
            by=ada,
        ),
    )


@pytest.mark.parametrize("action", ["hide", "delete", "approve"])
def test_moderating(monkeypatch, graded, ben, cleo, dora, action):
    post = make_post(graded, dora, "To moderate.")
    Flag.objects.create(post=post, course=graded.course, flagged_by=cleo, reason="spam")
    if action == "approve":
        Post.objects.filter(pk=post.pk).update(held_at=timezone.now())
    call = {
        "hide": lambda: moderation.hide_post(post=post, by=ben, reason="r"),
        "delete": lambda: moderation.delete_post(post=post, by=ben, reason="r"),
        "approve": lambda: moderation.approve_post(post=post, by=ben),
    }[action]
    _fails_cleanly(monkeypatch, moderation, "_resolve_flags", call)


def test_moderation_settings(monkeypatch, course, ada):
    _fails_cleanly(
        monkeypatch,
        moderation.audit,
        "record",
        lambda: moderation.save_settings(course=course, by=ada, hold_posts=True, word_list="x"),
    )
