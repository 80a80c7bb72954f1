"""Reads for grading pages, each in a fixed number of queries whatever the class size."""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from destalin.models import GradeRelease, Membership, Role, User
from discussions.grading import gradebook_csv, scoring
from discussions.grading.models import Grade, GradeStatus, PromptGrading, Rubric
from discussions.models import Participation, Post, PostRevision, Prompt, Quote
from discussions.permissions import due_of
from discussions.selectors import checklist, students_of


def policy_of(prompt):
    """The prompt's grading policy, unsaved defaults if it has none yet."""
    return PromptGrading.objects.select_related("rubric").filter(prompt=prompt).first() or (
        PromptGrading(prompt=prompt)
    )


def release_mode_of(prompt, policy):
    return policy.release_mode or prompt.course.grade_release


def released_prompt_ids(prompts, now=None):
    """Of these prompts, those whose grades students see: every grade saved so far is
    visible, and grades saved next will be too (released to everyone, or automatically).
    Two queries."""
    now = now or timezone.now()
    policies = {g.prompt_id: g for g in PromptGrading.objects.filter(prompt__in=prompts)}
    withheld = set(
        Grade.objects.filter(prompt__in=prompts)
        .exclude(pk__in=Grade.objects.released(now).values("pk"))
        .values_list("prompt_id", flat=True)
    )
    released = set()
    for prompt in prompts:
        policy = policies.get(prompt.pk) or PromptGrading(prompt=prompt)
        upcoming = (policy.released_at is not None and policy.released_at <= now) or (
            release_mode_of(prompt, policy) == GradeRelease.AUTOMATIC
        )
        if upcoming and prompt.pk not in withheld:
            released.add(prompt.pk)
    return released


def rubric_with_levels(rubric_id):
    """A rubric with its criteria and levels (three queries), or None."""
    if rubric_id is None:
        return None
    return Rubric.objects.prefetch_related("criteria__levels").filter(pk=rubric_id).first()


STATUS_ORDER = {"needs grading": 0, "not submitted": 1, "graded": 2, "excused": 3, "missing": 4}


@dataclass
class RosterRow:
    student: object
    participation: Participation | None
    grade: Grade | None
    submitted_at: object
    # As the late policy counts them: requirements met (or last post) after the due date.
    days_late: int

    @property
    def status(self):
        if self.grade is not None:
            return self.grade.status
        return "needs grading" if self.submitted_at else "not submitted"

    @property
    def is_late(self):
        return self.days_late > 0


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
    students = students_of(prompt.course)
    ids = [s.pk for s in students]
    participations = {
        p.user_id: p for p in Participation.objects.filter(prompt=prompt, user__in=ids)
    }
    grades = {g.student_id: g for g in Grade.objects.filter(prompt=prompt, student__in=ids)}
    submitted = dict(
        Post.objects.filter(prompt=prompt, author__in=ids, deleted_at__isnull=True)
        .order_by()
        .values("author")
        .annotate(first=Min("created_at"))
        .values_list("author", "first")
    )
    rows = [
        RosterRow(
            student=s,
            participation=participations.get(s.pk),
            grade=grades.get(s.pk),
            submitted_at=submitted.get(s.pk),
            days_late=late_days_of(prompt, participations.get(s.pk)),
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


def grade_form_initial(*, prompt, row, rubric):
    """What the grading form starts from: the saved grade (a typed score only where it
    overrides the rubric), or for a new grade without a rubric the suggested score (with a
    rubric, the levels chosen make the score)."""
    grade = row.grade
    if grade is None:
        if rubric is not None:
            return {"version": 0}
        return {
            "score": scoring.show(suggestion_for(prompt, row.participation).score),
            "version": 0,
        }
    initial = {
        "status": grade.status,
        "feedback": grade.feedback,
        "version": grade.version,
        "score": scoring.show(grade.entered)
        if grade.is_override or not grade.rubric_levels
        else "",
    }
    if rubric is not None and grade.rubric_id == rubric.pk:
        for criterion_id, level_id in grade.rubric_levels.items():
            initial[f"criterion_{criterion_id}"] = level_id
    return initial


def is_released(grade, policy, now=None):
    """Whether the student sees this grade now: the rule of ``Grade.objects.released()``."""
    now = now or timezone.now()
    return (grade.released_at is not None and grade.released_at <= now) or (
        policy.released_at is not None and policy.released_at <= now
    )


def grading_page(*, prompt, row, policy, shown=None):
    """Everything the grader shows about one student beside the form: their work, their
    requirements, the suggestion with what the late policy would take, the grade's history.
    ``shown`` is a colleague's grade saved meanwhile, shown instead of the one loaded."""
    grade = shown or row.grade
    if grade is not None and grade.graded_by_id:
        grade.graded_by = User.objects.filter(pk=grade.graded_by_id).first()
    suggestion = suggestion_for(prompt, row.participation)
    days = late_days_of(prompt, row.participation)
    return {
        "grade": grade,
        "is_released": grade is not None and is_released(grade, policy),
        "work": student_work(prompt=prompt, student=row.student, grade=row.grade),
        "requirements": checklist(prompt=prompt, participation=row.participation)
        if row.participation
        else [],
        "suggestion": suggestion,
        "days_late": days,
        "deduction": scoring.late_deduction(
            entered=suggestion.score,
            points_possible=prompt.points_possible,
            days=days,
            percent_per_day=policy.late_percent_per_day,
            floor_percent=policy.late_floor_percent,
        ),
        "policy": policy,
        "history": list(grade.changes.select_related("changed_by")) if grade else [],
    }


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
    is_out: bool = False  # the prompt's grades are released to everyone


def own_grades(*, course, student, now=None):
    """Every graded, published prompt with the student's grade if released: nothing of an
    unreleased grade leaves the database. Four queries plus the rubrics used."""
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
    now = now or timezone.now()
    out = set(
        PromptGrading.objects.filter(prompt__in=prompts, released_at__lte=now).values_list(
            "prompt_id", flat=True
        )
    )
    result = []
    for prompt in prompts:
        grade = grades.get(prompt.pk)
        levels = chosen_levels(rubrics.get(grade and grade.rubric_id), grade)
        result.append(OwnGrade(prompt, grade, levels, is_out=prompt.pk in out))
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


# The gradebook CSV


def sortable_name(display_name):
    """ "Last, First" from a display name, as gradebooks sort: the last word is taken for the
    family name (one-word names stay as they are)."""
    first, _, last = display_name.strip().rpartition(" ")
    return f"{last}, {first}" if first else last


NO_GRADE = gradebook_csv.Cell(score=None)


def csv_cell(status, score):
    return gradebook_csv.Cell(score=score, is_excused=status == GradeStatus.EXCUSED)


def csv_columns(prompts):
    released = released_prompt_ids(prompts)
    return [
        gradebook_csv.Column(
            prompt_id=p.pk,
            title=p.title,
            points_possible=p.points_possible,
            is_unreleased=p.pk not in released,
        )
        for p in prompts
    ]


def csv_rows(course, prompts, chunk=200):
    """Student rows in sortable-name order, their grades read a chunk of students at a time,
    so memory stays flat however large the course: only (name, id, email) of everyone is
    held at once."""
    students = sorted(
        (
            (sortable_name(name), pk, email)
            for pk, name, email in Membership.objects.current()
            .filter(course=course, role=Role.STUDENT)
            .values_list("user_id", "user__display_name", "user__email")
        ),
        key=lambda student: (student[0].casefold(), student[1]),
    )
    for start in range(0, len(students), chunk):
        batch = students[start : start + chunk]
        cells = current_cells(prompts, [pk for _, pk, _ in batch])
        for name, pk, email in batch:
            yield gradebook_csv.StudentRow(
                sortable_name=name,
                user_id=pk,
                sis_user_id="",
                sis_login_id=email,
                section="",
                cells=tuple(cells.get((pk, p.pk), NO_GRADE) for p in prompts),
            )


def current_cells(prompts, student_ids):
    """{(student id, prompt id): CSV cell} of the grades there are. One query."""
    return {
        (student, prompt): csv_cell(status, score)
        for student, prompt, status, score in Grade.objects.filter(
            prompt__in=prompts, student__in=student_ids
        ).values_list("student_id", "prompt_id", "status", "score")
    }
