"""Reads for the gradebook: students by graded prompts with totals and markers for the page,
and the same grades as rows and cells of the Canvas-compatible CSV. Fixed numbers of queries
whatever the size; the CSV is read a chunk of students at a time."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from destalin.models import Membership, Role
from discussions.grading import gradebook_csv
from discussions.grading.models import Grade, GradeStatus
from discussions.grading.selectors import graded_prompts, released_prompt_ids
from discussions.models import Participation, Prompt

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
