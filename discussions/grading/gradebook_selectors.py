"""Reads for the gradebook: students by graded prompts with totals and markers for the page,
and the same grades as rows and cells of the Canvas-compatible CSV. Fixed numbers of queries
whatever the size; the CSV is read a chunk of students at a time."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from destalin.models import Membership, Role
from destalin.text import by_name, name_key
from discussions.grading import gradebook_csv, scoring
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
    totals: "StudentTotals"
    is_removed: bool = False

    @property
    def total(self):
        """What teachers see: every grade saved, released or not."""
        return self.totals.all


# Course totals: the one computation behind the gradebook page, the student's grades page and
# the gradebook CSV (which writes ``posted`` as Canvas's Current/Final Score and ``all`` as its
# Unposted Current/Final Score).


@dataclass(frozen=True, slots=True)
class StudentTotals:
    """A student's course total, two ways (``scoring.Total`` each, the legend's arithmetic).

    ``all`` counts every grade saved, released or not: the teachers' view, Canvas's
    "Unposted" scores. ``posted`` leaves out grades not released yet, as if the prompt were
    not graded: what the student sees on their grades page, Canvas's "Current"/"Final Score".
    Both count a prompt past the student's due date with no post and no grade at all as
    missing (0), and ignore unpublished prompts, which students cannot see."""

    all: scoring.Total
    posted: scoring.Total

    @property
    def differs(self):
        """Whether the student sees another total than their teachers (grades withheld)."""
        return self.all != self.posted


def course_totals(*, prompts, student_ids, now=None):
    """``{student id: StudentTotals}`` over these graded prompts for these students (ids with
    nothing at all get totals too). Two queries whatever the numbers."""
    now = now or timezone.now()
    return _totals_of(
        prompts,
        student_ids,
        _grade_facts(prompts, student_ids, now),
        _participation(prompts, student_ids, now),
        now,
    )


def _grade_facts(prompts, student_ids, now):
    """(student id, prompt id, status, score, is released) of every grade. One query."""
    released = Q(released_at__lte=now) | Q(prompt__grading_policy__released_at__lte=now)
    return list(
        Grade.objects.filter(prompt__in=prompts, student__in=student_ids)
        .annotate(is_released=ExpressionWrapper(released, output_field=BooleanField()))
        .values_list("student_id", "prompt_id", "status", "score", "is_released")
    )


def _totals_of(prompts, student_ids, grade_facts, participation, now):
    """The totals from rows already read: ``grade_facts`` of ``_grade_facts``,
    ``participation`` of ``_participation``."""
    counted = [p for p in prompts if p.is_published]
    grades = {(s, p): (status, score, out) for s, p, status, score, out in grade_facts}
    posted_or_not = {(u, p): (posted, overdue) for u, p, posted, _, overdue in participation}
    past_due = {p.pk: p.due_at is not None and p.due_at < now for p in counted}

    def cells(student, released_only):
        for p in counted:
            grade = grades.get((student, p.pk))
            if grade is None:
                posted, overdue = posted_or_not.get((student, p.pk), (False, past_due[p.pk]))
                yield None, p.points_possible, False, overdue and not posted
            elif released_only and not grade[2]:
                yield None, p.points_possible, False, False  # withheld: as if not graded
            else:
                status, score, _ = grade
                excused = status == GradeStatus.EXCUSED
                yield score, p.points_possible, excused, status == GradeStatus.MISSING

    return {
        student: StudentTotals(
            all=scoring.total(cells(student, False)), posted=scoring.total(cells(student, True))
        )
        for student in student_ids
    }


# Students per page of the gradebook: the page's cost is that of one page, whatever the roster
# (3,000 students on one page were 13.8 MB of HTML and 1.6-2.1 s, issue 22).
PER_PAGE = 100


def gradebook(*, course, students="current", grader=None, page=1, now=None):
    """One page (``PER_PAGE`` students, by name) of students by graded prompts, with totals
    and markers: ``(prompts, rows, page)``, ``page`` a ``django.core.paginator.Page`` (a page
    number out of range or not a number gives the nearest page). Five queries whatever the
    size. ``students``: "current", "removed" or "all"; ``grader``: only students this person
    graded."""
    now = now or timezone.now()
    prompts = graded_prompts(course)
    memberships = Membership.objects.filter(course=course, role=Role.STUDENT)
    if students == "current":
        memberships = memberships.current()
    elif students == "removed":
        memberships = memberships.filter(removed_at__isnull=False)
    memberships = memberships.select_related("user")
    if grader is not None:
        memberships = memberships.filter(
            user__grades__graded_by=grader, user__grades__prompt__in=prompts
        ).distinct()
    # By name through ICU (destalin.text.by_name), so the page is cut from the sorted roster:
    # only ids and names are read for every student, the rest for the page's students alone.
    roster = by_name(
        memberships.values_list("pk", "user__display_name", "user_id"),
        name=lambda row: row[1],
        then=lambda row: row[2],
    )
    page = Paginator(roster, PER_PAGE).get_page(page)
    on_page = {m.pk: m for m in memberships.filter(pk__in=[row[0] for row in page.object_list])}
    memberships = [on_page[row[0]] for row in page.object_list]
    ids = [m.user_id for m in memberships]
    # Plain rows, not model instances: a large gradebook has tens of thousands of cells.
    grade_facts = _grade_facts(prompts, ids, now)
    grades = {
        (student, prompt): CellGrade(status, score)
        for student, prompt, status, score, _ in grade_facts
    }
    participation_rows = list(_participation(prompts, ids, now))
    participation = {
        (user, prompt): (posted, late, overdue)
        for user, prompt, posted, late, overdue in participation_rows
    }
    totals = _totals_of(prompts, ids, grade_facts, participation_rows, now)
    overdue_unposted = {p.pk: p.due_at is not None and p.due_at < now for p in prompts}
    rows = []
    for m in memberships:
        cells = []
        for p in prompts:
            grade = grades.get((m.user_id, p.pk))
            posted, late, overdue = participation.get(
                (m.user_id, p.pk), (False, False, overdue_unposted[p.pk])
            )
            missing = grade.status == GradeStatus.MISSING if grade else (not posted and overdue)
            cells.append(GradebookCell(prompt=p, grade=grade, is_missing=missing, is_late=late))
        rows.append(
            GradebookRow(
                student=m.user,
                cells=cells,
                totals=totals[m.user_id],
                is_removed=m.removed_at is not None,
            )
        )
    return prompts, rows, page


def _participation(prompts, ids, now):
    """(user, prompt, has posted, is late, is past due) for every participation, computed by the
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
MISSING = gradebook_csv.Cell(score=None, is_missing=True)


def csv_cell(status, score, is_released=True):
    return gradebook_csv.Cell(
        score=score, is_excused=status == GradeStatus.EXCUSED, is_hidden=not is_released
    )


def csv_columns(prompts):
    released = released_prompt_ids(prompts)
    return [
        gradebook_csv.Column(
            prompt_id=p.pk,
            title=p.title,
            points_possible=p.points_possible,
            is_unreleased=p.pk not in released,
            counts_in_total=p.is_published,
        )
        for p in prompts
    ]


def csv_rows(course, prompts, chunk=200, now=None):
    """Student rows in sortable-name order, their grades read a chunk of students at a time,
    so memory stays flat however large the course: only (name, id, email) of everyone is
    held at once. Ungraded prompts past a student's due date with no post are marked
    missing, so the totals count them as 0, as the gradebook page does. "Section" is the
    course's title: a course here has no sections or groups, and Canvas names a course's one
    default section after the course ("My Course" in its spec/fixtures/gradebooks files)."""
    now = now or timezone.now()
    students = sorted(
        (
            (sortable_name(name), pk, email)
            for pk, name, email in Membership.objects.current()
            .filter(course=course, role=Role.STUDENT)
            .values_list("user_id", "user__display_name", "user__email")
        ),
        key=lambda student: (name_key(student[0]), student[1]),
    )
    for start in range(0, len(students), chunk):
        batch = students[start : start + chunk]
        ids = [pk for _, pk, _ in batch]
        cells = current_cells(prompts, ids, now=now)
        missing = ungraded_missing(prompts, ids, now)
        for name, pk, email in batch:
            yield gradebook_csv.StudentRow(
                sortable_name=name,
                user_id=pk,
                sis_user_id="",
                sis_login_id=email,
                section=course.title,
                cells=tuple(
                    cells.get((pk, p.pk)) or (MISSING if (pk, p.pk) in missing else NO_GRADE)
                    for p in prompts
                ),
            )


@dataclass(frozen=True)
class ImportRoster:
    current_ids: frozenset  # the course's students now
    emails: dict  # case-folded email -> user id, of students now and former ones


def import_roster(course):
    """Who an imported gradebook's rows may name: the students now, and the email of everyone
    who has been a student of the course (a left-over row matched by email is then known as
    a former student's). One query."""
    rows = Membership.objects.filter(course=course, role=Role.STUDENT).values_list(
        "user_id", "user__email", "removed_at"
    )
    current, emails = set(), {}
    for user_id, email, removed_at in rows:
        emails[email.casefold()] = user_id
        if removed_at is None:
            current.add(user_id)
    return ImportRoster(current_ids=frozenset(current), emails=emails)


def ungraded_missing(prompts, student_ids, now):
    """{(student id, prompt id)} past the due date (theirs, with an extension) without a post:
    missing, as the gradebook marks them, whether or not a grade says so. One query."""
    participation = {
        (user, prompt): (posted, overdue)
        for user, prompt, posted, _, overdue in _participation(prompts, student_ids, now)
    }
    missing = set()
    for p in prompts:
        past_due = p.due_at is not None and p.due_at < now
        for student in student_ids:
            posted, overdue = participation.get((student, p.pk), (False, past_due))
            if overdue and not posted:
                missing.add((student, p.pk))
    return missing


def own_total(own, *, student, now=None):
    """What the student sees as their total over ``selectors.own_grades``: the ``posted``
    total of ``course_totals``, the gradebook's own computation. Two queries."""
    prompts = [item.prompt for item in own]
    return course_totals(prompts=prompts, student_ids=[student.pk], now=now)[student.pk].posted


def current_cells(prompts, student_ids, now=None):
    """{(student id, prompt id): CSV cell} of the grades there are, each marked hidden unless
    the student may see it (``Grade.objects.released``). One query."""
    now = now or timezone.now()
    is_released = Q(released_at__lte=now) | Q(prompt__grading_policy__released_at__lte=now)
    return {
        (student, prompt): csv_cell(status, score, released)
        for student, prompt, status, score, released in Grade.objects.filter(
            prompt__in=prompts, student__in=student_ids
        ).values_list("student_id", "prompt_id", "status", "score", is_released)
    }
