"""Reads for grading pages, each in a fixed number of queries whatever the class size."""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from destalin.models import GradeRelease, Membership, Role
from discussions.grading import scoring
from discussions.grading.models import Grade, GradeStatus, PromptGrading, Rubric
from discussions.models import Participation, Post, PostRevision, Prompt, Quote
from discussions.permissions import due_of


def policy_of(prompt):
    """The prompt's grading policy, unsaved defaults if it has none yet."""
    return PromptGrading.objects.select_related("rubric").filter(prompt=prompt).first() or (
        PromptGrading(prompt=prompt)
    )


def release_mode_of(prompt, policy):
    return policy.release_mode or prompt.course.grade_release


def released_prompt_ids(prompts, now=None):
    """Of these prompts, those whose grades students see as they are entered: released to
    everyone, or released automatically. One query."""
    now = now or timezone.now()
    policies = {g.prompt_id: g for g in PromptGrading.objects.filter(prompt__in=prompts)}
    released = set()
    for prompt in prompts:
        policy = policies.get(prompt.pk) or PromptGrading(prompt=prompt)
        if (policy.released_at is not None and policy.released_at <= now) or (
            release_mode_of(prompt, policy) == GradeRelease.AUTOMATIC
        ):
            released.add(prompt.pk)
    return released


def rubric_with_levels(rubric_id):
    """A rubric with its criteria and levels (three queries), or None."""
    if rubric_id is None:
        return None
    return Rubric.objects.prefetch_related("criteria__levels").filter(pk=rubric_id).first()


def students_in(course, *, removed=False):
    """The course's students by name; with ``removed``, those removed from it too, after."""
    memberships = Membership.objects.filter(course=course, role=Role.STUDENT)
    if not removed:
        memberships = memberships.current()
    return [
        m.user
        for m in memberships.select_related("user").order_by(
            "removed_at", "user__display_name", "user__pk"
        )
    ]


STATUS_ORDER = {"needs grading": 0, "not submitted": 1, "graded": 2, "excused": 3, "missing": 4}


@dataclass
class RosterRow:
    student: object
    participation: Participation | None
    grade: Grade | None
    submitted_at: object
    late_posts: int

    @property
    def responded(self):
        return self.participation is not None and self.participation.responses > 0

    @property
    def status(self):
        if self.grade is not None:
            return self.grade.status
        return "needs grading" if self.submitted_at else "not submitted"

    @property
    def is_late(self):
        return self.late_posts > 0


SORTS = {
    "name": lambda r: (r.student.display_name.casefold(), r.student.pk),
    "status": lambda r: (STATUS_ORDER[r.status], r.student.display_name.casefold()),
    "submitted": lambda r: (r.submitted_at is None, r.submitted_at or 0, r.student.pk),
    "score": lambda r: (
        r.grade is None or r.grade.score is None,
        -(r.grade.score if r.grade and r.grade.score is not None else 0),
        r.student.display_name.casefold(),
    ),
}


def grader_roster(*, prompt, sort="name"):
    """Every current student with their standing, posts and grade in the prompt. Four
    queries."""
    students = students_in(prompt.course)
    ids = [s.pk for s in students]
    participations = {
        p.user_id: p for p in Participation.objects.filter(prompt=prompt, user__in=ids)
    }
    grades = {g.student_id: g for g in Grade.objects.filter(prompt=prompt, student__in=ids)}
    posts = {
        row["author"]: row
        for row in Post.objects.filter(prompt=prompt, author__in=ids, deleted_at__isnull=True)
        .order_by()
        .values("author")
        .annotate(first=Min("created_at"), late=Count("id", filter=Q(is_late=True)))
    }
    rows = [
        RosterRow(
            student=s,
            participation=participations.get(s.pk),
            grade=grades.get(s.pk),
            submitted_at=posts.get(s.pk, {}).get("first"),
            late_posts=posts.get(s.pk, {}).get("late", 0),
        )
        for s in students
    ]
    return sorted(rows, key=SORTS.get(sort, SORTS["name"]))


@dataclass
class WorkPost:
    """One of the student's posts as the grader shows it: in context, with what it quotes
    and whether it changed since it was graded."""

    post: Post
    replies: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    graded_version: int | None = None
    diff: list = field(default_factory=list)

    @property
    def edited_after_grading(self):
        return self.graded_version is not None and self.post.revision_count > self.graded_version


def student_work(*, prompt, student, grade):
    """The student's posts in the prompt, oldest first, each with the post it answers, the
    replies it received and the passages it quotes. Four queries (five when a graded post
    was edited since)."""
    posts = list(
        Post.objects.filter(prompt=prompt, author=student)
        .select_related("parent__author")
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "id")
    )
    work = {p.pk: WorkPost(post=p) for p in posts}
    for reply in Post.objects.filter(parent__in=list(work)).select_related("author"):
        work[reply.parent_id].replies.append(reply)
    for quote in Quote.objects.filter(post__in=list(work)).select_related("reading"):
        work[quote.post_id].quotes.append(quote)
    graded = (grade.graded_versions if grade else {}) or {}
    for item in work.values():
        version = graded.get(str(item.post.pk))
        item.graded_version = version
    edited = [item for item in work.values() if item.edited_after_grading]
    if edited:
        revisions = {}
        for revision in PostRevision.objects.filter(post__in=[i.post for i in edited]).order_by(
            "post", "created_at", "id"
        ):
            revisions.setdefault(revision.post_id, []).append(revision)
        for item in edited:
            then = revisions[item.post.pk][item.graded_version].body
            item.diff = list(
                difflib.unified_diff(
                    then.splitlines(), item.post.body.splitlines(), "graded", "now", lineterm=""
                )
            )[2:]
    return list(work.values())


def late_days_of(prompt, participation):
    """Days late of the student's work: when the requirements were met (or the last post, if
    they never were) against their due date."""
    if participation is None:
        return 0
    moment = participation.met_at or participation.last_posted_at
    return scoring.days_late(moment, due_of(prompt, participation))


def suggestion_for(prompt, participation):
    return scoring.suggest(
        points_possible=prompt.points_possible,
        required_responses=prompt.required_responses,
        required_replies=prompt.required_replies,
        min_words=prompt.min_words,
        responses=participation.qualifying_responses if participation else 0,
        replies=participation.classmates_replied_to if participation else 0,
    )


def neighbours(rows, student_id):
    """The students before and after this one in the roster's order."""
    ids = [r.student.pk for r in rows]
    if student_id not in ids:
        return None, None
    i = ids.index(student_id)
    return (rows[i - 1].student if i else None), (
        rows[i + 1].student if i + 1 < len(rows) else None
    )


# The gradebook


@dataclass(frozen=True, slots=True)
class CellGrade:
    """The little of a grade a gradebook cell shows."""

    status: str
    score: Decimal | None

    @property
    def is_excused(self):
        return self.status == GradeStatus.EXCUSED


@dataclass(frozen=True, slots=True)
class GradebookCell:
    prompt: Prompt
    grade: CellGrade | None
    is_missing: bool
    is_late: bool


@dataclass
class GradebookRow:
    student: object
    cells: list
    is_removed: bool = False

    @property
    def earned(self):
        return sum(
            (c.grade.score for c in self.cells if c.grade and c.grade.score is not None),
            Decimal(0),
        )

    @property
    def possible(self):
        return sum(
            (c.prompt.points_possible for c in self.cells if c.grade and not c.grade.is_excused),
            Decimal(0),
        )


def graded_prompts(course):
    return list(course.prompts.filter(points_possible__gt=0).order_by("position", "id"))


def gradebook(*, course, students="current", grader=None, now=None):
    """Students by graded prompts, with totals and markers. Four queries whatever the size.
    ``students``: "current", "removed" or "all"; ``grader``: only students this person
    graded."""
    now = now or timezone.now()
    prompts = graded_prompts(course)
    memberships = Membership.objects.filter(course=course, role=Role.STUDENT)
    if students == "current":
        memberships = memberships.current()
    elif students == "removed":
        memberships = memberships.filter(removed_at__isnull=False)
    memberships = memberships.select_related("user").order_by("user__display_name", "user__pk")
    if grader is not None:
        memberships = memberships.filter(
            user__grades__graded_by=grader, user__grades__prompt__in=prompts
        ).distinct()
    memberships = list(memberships)
    ids = [m.user_id for m in memberships]
    # Plain rows, not model instances: a large gradebook has tens of thousands of cells.
    grades = {
        (student, prompt): CellGrade(status, score)
        for student, prompt, status, score in Grade.objects.filter(
            prompt__in=prompts, student__in=ids
        ).values_list("student_id", "prompt_id", "status", "score")
    }
    standing = {
        (user, prompt): (posted, late, overdue)
        for user, prompt, posted, late, overdue in _standing(prompts, ids, now)
    }
    overdue_unposted = {p.pk: p.due_at is not None and p.due_at < now for p in prompts}
    rows = []
    for m in memberships:
        cells = []
        for p in prompts:
            grade = grades.get((m.user_id, p.pk))
            posted, late, overdue = standing.get(
                (m.user_id, p.pk), (False, False, overdue_unposted[p.pk])
            )
            missing = grade.status == GradeStatus.MISSING if grade else (not posted and overdue)
            cells.append(GradebookCell(prompt=p, grade=grade, is_missing=missing, is_late=late))
        rows.append(GradebookRow(student=m.user, cells=cells, is_removed=m.removed_at is not None))
    return prompts, rows


def _standing(prompts, ids, now):
    """(user, prompt, has posted, is late, is past due) for every standing, computed by the
    database: late means the requirements were met (or, never met, last posted) after the
    student's due date, their extension's if any."""
    due = Coalesce(F("extended_due_at"), F("prompt__due_at"))
    moment = Coalesce(F("met_at"), F("last_posted_at"))
    return (
        Participation.objects.filter(prompt__in=prompts, user__in=ids)
        .alias(due=due, moment=moment)
        .annotate(
            late=Case(When(moment__gt=F("due"), then=Value(True)), default=Value(False)),
            overdue=Case(When(due__lt=now, then=Value(True)), default=Value(False)),
        )
        .values_list("user_id", "prompt_id", Q(responses__gt=0), "late", "overdue")
    )


# A student's own grades


@dataclass
class OwnGrade:
    prompt: Prompt
    grade: Grade | None
    levels: list  # (criterion, chosen level) pairs


def own_grades(*, course, student, now=None):
    """Every graded, published prompt with the student's grade if released: nothing of an
    unreleased grade leaves the database. Three queries plus the rubrics used."""
    prompts = [p for p in graded_prompts(course) if p.is_published]
    grades = {
        g.prompt_id: g
        for g in Grade.objects.released(now).filter(student=student, prompt__in=prompts)
    }
    rubrics = {
        r.pk: r
        for r in Rubric.objects.filter(
            pk__in={g.rubric_id for g in grades.values() if g.rubric_id}
        ).prefetch_related("criteria__levels")
    }
    result = []
    for prompt in prompts:
        grade = grades.get(prompt.pk)
        result.append(
            OwnGrade(prompt, grade, chosen_levels(rubrics.get(grade and grade.rubric_id), grade))
        )
    return result


def chosen_levels(rubric, grade):
    if rubric is None or grade is None:
        return []
    chosen = grade.rubric_levels or {}
    pairs = []
    for criterion in rubric.criteria.all():
        level_id = chosen.get(str(criterion.pk))
        level = next((lv for lv in criterion.levels.all() if lv.pk == level_id), None)
        pairs.append((criterion, level))
    return pairs
