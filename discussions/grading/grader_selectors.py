"""Reads for the grader: the roster of a prompt with each student's participation and grade, a
student's work in context, and what the grader shows beside the form. Fixed numbers of
queries whatever the class size."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, Min

from destalin import times
from destalin.models import User
from destalin.selectors import students_of
from destalin.text import name_key, strip_bidi_controls
from discussions.grading import scoring
from discussions.grading.models import Grade
from discussions.grading.selectors import is_released
from discussions.models import Participation, Post, PostRevision, Quote, Visibility
from discussions.permissions import due_of
from discussions.selectors import checklist

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
    "name": lambda r: (name_key(r.student.display_name), r.student.pk),
    "status": lambda r: (STATUS_ORDER[r.status], name_key(r.student.display_name), r.student.pk),
    "submitted": lambda r: (r.submitted_at is None, r.submitted_at or 0, r.student.pk),
    "score": lambda r: (
        r.grade is None or r.grade.score is None,
        -(r.grade.score if r.grade and r.grade.score is not None else 0),
        name_key(r.student.display_name),
        r.student.pk,
    ),
}


def grader_roster(*, prompt, sort="name"):
    """Every current student with their participation, posts and grade in the prompt. Four
    queries."""
    students = students_of(prompt.course)
    ids = [s.pk for s in students]
    participations = {
        p.user_id: p for p in Participation.objects.filter(prompt=prompt, user__in=ids)
    }
    grades = {g.student_id: g for g in Grade.objects.filter(prompt=prompt, student__in=ids)}
    submitted = dict(
        Post.objects.filter(prompt=prompt, author__in=ids, deleted_at__isnull=True)
        .exclude(visibility=Visibility.PRIVATE)
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
    replies: list = field(default_factory=list)  # posts answering it, oldest first
    quotes: list = field(default_factory=list)
    graded_version: int | None = None
    diff: list = field(default_factory=list)  # word_diff(graded text, text now)

    @property
    def edited_after_grading(self):
        return self.graded_version is not None and self.post.revision_count > self.graded_version


def student_work(*, prompt, student, grade):
    """The student's posts in the prompt, oldest first, each with the post it answers, the
    replies it received (hidden, held and deleted ones too, which the template marks: the
    grader reads everything, as teachers do) and the passages it quotes. Four queries (five
    when a graded post was edited since)."""
    posts = list(
        Post.objects.filter(prompt=prompt, author=student)
        # A private note in a reading's margin is its author's alone, graded by no one.
        .exclude(visibility=Visibility.PRIVATE)
        # A note in a reading's margin comes with the words it is about.
        .select_related("parent__author", "target")
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "id")
    )
    work = {p.pk: WorkPost(post=p) for p in posts}
    replies = Post.objects.filter(parent__in=list(work)).select_related("author")
    for reply in replies.order_by("created_at", "id"):
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
            item.diff = word_diff(then, item.post.body)
    return list(work.values())


# A word and the spaces after it: a change of one word never marks the line around it.
WORDS = re.compile(r"\S+\s*|\s+")


def word_diff(old, new):
    """The changes from ``old`` to ``new`` word by word, as Canvas shows a revision:
    ``[(kind, text)]`` with kind "same", "del" or "ins", in reading order (a replaced run
    gives its deletion, then its insertion). Joining the "same" and "del" texts gives
    ``old``; the "same" and "ins" texts give ``new``. Spaces and line breaks stay in the
    text, so paragraphs keep their shape."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    # autojunk off: in a long post common words ("the") would otherwise stop matching.
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(("ins", "".join(after[j1:j2])))
    return parts


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
    they never were) against their due date, counted in calendar days of the course's time
    zone (``destalin.times.days_late``)."""
    if participation is None:
        return 0
    moment = participation.met_at or participation.last_posted_at
    return times.days_late(moment, due_of(prompt, participation), times.course_zone(prompt.course))


def suggestion_for(prompt, participation):
    return scoring.suggest(
        points_possible=prompt.points_possible,
        required_responses=prompt.required_responses,
        required_replies=prompt.required_replies,
        min_words=prompt.min_words,
        responses=participation.qualifying_responses if participation else 0,
        replies=participation.classmates_replied_to if participation else 0,
    )


def picker_options(rows):
    """``[(student id, name)]`` for the student picker, in the roster's order. An ``<option>``
    holds plain text, never a ``<bdi>``: names lose their bidi controls (``dir="auto"`` on
    the option still sets their direction)."""
    return [(r.student.pk, strip_bidi_controls(r.student.display_name)) for r in rows]


def neighbours(rows, student_id):
    """The students before and after this one in the roster's order."""
    ids = [r.student.pk for r in rows]
    if student_id not in ids:
        return None, None
    i = ids.index(student_id)
    return (rows[i - 1].student if i else None), (
        rows[i + 1].student if i + 1 < len(rows) else None
    )
