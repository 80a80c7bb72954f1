"""Writes of grading: grades (with their history and optimistic concurrency), rubrics, the
prompt's policy, release and import. Each service is one transaction; mail is queued only
after it commits."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import default_task_backend

from destalin import times
from destalin.markdown import render_text
from destalin.models import GradeRelease, Membership, Role
from discussions import audit
from discussions.grading import notifications, scoring
from discussions.grading.grader_selectors import late_days_of
from discussions.grading.models import (
    Criterion,
    Grade,
    GradeChange,
    GradeStatus,
    GradingPolicy,
    Level,
)
from discussions.grading.selectors import grades_off_scale, release_mode_of, rubric_with_levels
from discussions.models import AuditAction, Participation, Post, Prompt


class GradeConflict(Exception):
    """Someone else saved this grade since the grader's page was loaded."""

    def __init__(self, grade):
        super().__init__("This grade was changed by someone else.")
        self.grade = grade


def _check_student(prompt, student):
    is_student = Membership.objects.filter(
        course_id=prompt.course_id, user=student, role=Role.STUDENT
    ).exists()
    if not is_student:
        raise ValidationError("Only students of this course can be graded.", code="student")


def _locked_grade(prompt, student, expected_version):
    """The grade row, locked, or a new one; GradeConflict if it is not the version the
    grader saw (0: none yet)."""
    grade = Grade.objects.select_for_update().filter(prompt=prompt, student=student).first()
    if grade is None:
        if expected_version:
            raise GradeConflict(None)
        try:
            with transaction.atomic():
                grade = Grade.objects.create(prompt=prompt, student=student, version=0)
        except IntegrityError:
            # Another grader created it between our read and our insert.
            raise GradeConflict(Grade.objects.get(prompt=prompt, student=student)) from None
        return grade, None
    if grade.version != expected_version:
        raise GradeConflict(grade)
    return grade, (grade.status, grade.score)


@transaction.atomic
def save_grade(*, prompt, student, grader, status, entered=None, levels=None, feedback=None,
               expected_version, source="grader", now=None):  # fmt: skip
    """Save one student's grade: the score typed (or the rubric's levels, unless a score
    overrides them), less the late policy's deduction; the versions of the student's posts it
    was given for; a line in the grade's history and in the audit log. Shown to the student
    at once if the prompt's grades are released automatically or already released to
    everyone. ``levels`` and ``feedback`` of None keep what the grade had, and an imported
    score (``source="import"``) is the final score, as the exported CSV shows it."""
    now = now or timezone.now()
    _check_student(prompt, student)
    Prompt.objects.select_for_update().filter(pk=prompt.pk).first()  # one order of locks
    grade, before = _locked_grade(prompt, student, expected_version)
    policy = GradingPolicy.objects.filter(prompt=prompt).first() or GradingPolicy(prompt=prompt)
    grade.status = status
    if levels is not None:
        grade.rubric_id = policy.rubric_id if levels else None
        grade.rubric_levels = {str(c): lv.pk for c, lv in levels.items()}
        grade.rubric_total = scoring.rubric_total(levels.values()) if levels else None
    scale = scoring.rubric_scale(
        rubric_with_levels(grade.rubric_id) if grade.rubric_levels else None,
        prompt.points_possible,
    )
    _score(grade, prompt, policy, student, entered, scale, late_policy=source != "import")
    if feedback is not None:
        grade.feedback = feedback.strip()
        grade.feedback_html = render_text(grade.feedback) if grade.feedback else ""
    grade.graded_versions = {
        str(pk): n
        for pk, n in Post.objects.filter(prompt=prompt, author=student)
        .annotate(n=Count("revisions"))
        .values_list("pk", "n")
    }
    grade.graded_by, grade.graded_at, grade.version = grader, now, grade.version + 1
    if release_mode_of(prompt, policy) == GradeRelease.AUTOMATIC and grade.released_at is None:
        grade.released_at = now
    grade.save()
    _tell_if_shown(grade, policy, prompt, now)
    freeze_graded_posts(prompt=prompt, student_ids=[student.pk])
    _record(grade, before, prompt=prompt, student=student, grader=grader, source=source, now=now)
    return grade


def _tell_if_shown(grade, policy, prompt, now):
    """Mail the student (after commit) if the saved grade shows to them and they were not
    told of it yet."""
    visible = (grade.released_at is not None and grade.released_at <= now) or (
        policy.released_at is not None and policy.released_at <= now
    )
    if visible and policy.notify_on_release and grade.notified_at is None:
        transaction.on_commit(lambda: notifications.notify_released_grades.enqueue(prompt.pk))


@transaction.atomic
def rescale_rubric_grades(*, prompt, by, now=None):
    """Give every grade chosen with a rubric the score its levels give on today's scale
    (``selectors.grades_off_scale``: saved before rubrics were scaled onto the prompt's
    points, as Canvas scales them, or before the points possible changed). Each is saved as
    a grader's save would be: the late policy applied to the new score, a new version (so a
    grader's open page is refused and a learning platform is sent the new score), a line in
    the grade's history and in the audit log, the student told if not yet. Scores a grader
    typed over the rubric are theirs and stay. Returns the grades changed."""
    now = now or timezone.now()
    Prompt.objects.select_for_update().filter(pk=prompt.pk).first()  # one order of locks
    policy = GradingPolicy.objects.filter(prompt=prompt).first() or GradingPolicy(prompt=prompt)
    changed = []
    for item in grades_off_scale(prompt):
        grade = Grade.objects.select_for_update().select_related("student").get(pk=item.grade.pk)
        before = (grade.status, grade.score)
        scale = scoring.rubric_scale(rubric_with_levels(grade.rubric_id), prompt.points_possible)
        _score(grade, prompt, policy, grade.student, None, scale, late_policy=True)
        grade.version += 1
        grade.save()
        _tell_if_shown(grade, policy, prompt, now)
        _record(grade, before, prompt=prompt, student=grade.student, grader=by,
                source="rubric scale", now=now)  # fmt: skip
        changed.append(grade)
    return changed


def freeze_graded_posts(*, prompt, student_ids=None):
    """Mark each post a grade was given for with the moment that grade shows to its author
    (``Post.grade_released_at``: the earlier of the grade's own release and the prompt's);
    from then on the author may not delete it. Posts no grade covers, or whose grade is
    hidden again, lose the mark. Every write that changes a grade's posts or its release
    calls this, in its transaction; ``student_ids`` limits it to those students."""
    policy_at = (
        GradingPolicy.objects.filter(prompt=prompt).values_list("released_at", flat=True).first()
    )
    grades = Grade.objects.filter(prompt=prompt)
    posts = Post.objects.filter(prompt=prompt)
    if student_ids is not None:
        grades = grades.filter(student_id__in=student_ids)
        posts = posts.filter(author_id__in=student_ids)
    shown_at = {}
    for released_at, versions in grades.values_list("released_at", "graded_versions"):
        shown = min((t for t in (released_at, policy_at) if t is not None), default=None)
        if shown is not None:
            for pk in versions:
                shown_at.setdefault(shown, []).append(int(pk))
    frozen = [pk for pks in shown_at.values() for pk in pks]
    posts.exclude(pk__in=frozen).exclude(grade_released_at=None).update(grade_released_at=None)
    for shown, pks in shown_at.items():
        posts.filter(pk__in=pks).exclude(grade_released_at=shown).update(grade_released_at=shown)


def _score(grade, prompt, policy, student, entered, scale, *, late_policy):
    if grade.status != GradeStatus.GRADED:
        grade.entered, grade.late_deduction, grade.is_override = None, 0, False
        grade.score = scoring.ZERO if grade.status == GradeStatus.MISSING else None
        return
    from_rubric = scale.score(grade.rubric_total) if scale and grade.rubric_levels else None
    if entered is None:
        entered = from_rubric
    if entered is None:
        raise ValidationError("Enter a score, or choose a level for every criterion.")
    if entered < 0 or entered > prompt.points_possible:
        raise ValidationError(
            f"The score must be between 0 and {scoring.show(prompt.points_possible)}."
        )
    grade.is_override = from_rubric is not None and scoring.cents(entered) != from_rubric
    days = 0
    if late_policy:
        days = late_days_of(
            prompt, Participation.objects.filter(prompt=prompt, user=student).first()
        )
    deduction = scoring.late_deduction(
        entered=entered,
        points_possible=prompt.points_possible,
        days=days,
        percent_per_day=policy.late_percent_per_day,
        floor_percent=policy.late_floor_percent,
    )
    grade.entered = scoring.cents(entered)
    grade.late_deduction = deduction.amount
    grade.score = grade.entered - deduction.amount


def _record(grade, before, *, prompt, student, grader, source, now):
    """Every save goes into the grade's history and the course's audit log."""
    old_status, old_score = before or ("", None)
    audit.record(
        course=prompt.course,
        actor=grader,
        action=AuditAction.GRADE,
        prompt=prompt,
        student=student,
        reason="" if source == "grader" else f"by {source}",
        before=_said(old_status, old_score),
        after=_said(grade.status, grade.score),
    )
    GradeChange.objects.create(
        grade=grade,
        changed_by=grader,
        changed_at=now,
        old_status=old_status,
        new_status=grade.status,
        old_score=old_score,
        new_score=grade.score,
        source=source,
    )


def _said(status, score):
    if not status:
        return ""
    return scoring.show(score) if status == GradeStatus.GRADED else status


# Rubrics


@transaction.atomic
def save_rubric(*, rubric, criteria, by=None):
    """Create or replace a rubric's criteria: ``criteria`` is a list of (title, description,
    [(level title, points), ...]); ``by`` is its creator, or the teacher the audit log names
    for a change. Grades keep the levels they chose by id, so criteria of a rubric already
    used for grading are never replaced, only renamed in place. Raises ``ValidationError``
    (codes ``total``, ``in_use``) and then saves nothing."""
    is_new = rubric.pk is None
    if is_new:
        rubric.created_by = by
    was = "" if is_new else _rubric_text(type(rubric).objects.select_for_update().get(pk=rubric.pk))
    rubric.save()
    existing = list(rubric.criteria.prefetch_related("levels"))
    now = _rubric_text(rubric, criteria)
    if was != now:
        audit.record(course=rubric.course, actor=by, action=AuditAction.RUBRIC, before=was,
                     after=now)  # fmt: skip
    # A rubric's total is scaled onto each prompt's points (scoring.rubric_scale), so any
    # total fits; one worth nothing cannot be scaled.
    if rubric.prompts.exists() and not any(
        points > 0 for _, _, levels in criteria for _, points in levels
    ):
        raise ValidationError(
            "Prompts grade with this rubric: at least one level must be worth points, or "
            "its scores cannot be scaled to theirs.",
            code="total",
        )
    if Grade.objects.filter(rubric=rubric).exists():
        # Grades point at its levels and students read their points: only words may change.
        shape = [[lv.points for lv in c.levels.all()] for c in existing]
        if shape != [[points for _, points in levels] for _, _, levels in criteria]:
            raise ValidationError(
                "This rubric has been used for grading: you can rename its criteria and "
                "levels, but not change points or add or remove any. Make a new rubric "
                "instead.",
                code="in_use",
            )
        for criterion, (title, description, levels) in zip(existing, criteria, strict=True):
            criterion.title, criterion.description = title, description
            criterion.save(update_fields=["title", "description"])
            for level, (level_title, _) in zip(criterion.levels.all(), levels, strict=True):
                level.title = level_title
                level.save(update_fields=["title"])
        return rubric
    rubric.criteria.all().delete()
    for position, (title, description, levels) in enumerate(criteria, start=1):
        criterion = Criterion.objects.create(
            rubric=rubric, position=position, title=title, description=description
        )
        Level.objects.bulk_create(
            Level(criterion=criterion, position=i, title=t, points=p)
            for i, (t, p) in enumerate(levels, start=1)
        )
    return rubric


def _rubric_text(rubric, criteria=None):
    """A rubric as the audit log shows it: its title, then a line per criterion with its
    levels and points (``criteria`` as ``save_rubric`` takes them, else the stored ones)."""
    if criteria is None:
        criteria = [
            (c.title, c.description, [(lv.title, lv.points) for lv in c.levels.all()])
            for c in rubric.criteria.prefetch_related("levels")
        ]
    lines = [rubric.title]
    for title, _, levels in criteria:
        shown = "; ".join(f"{name} ({scoring.show(points)})" for name, points in levels)
        lines.append(f"{title}: {shown}")
    return "\n".join(lines)


POLICY_FIELDS = ("rubric", "release_mode", "late_percent_per_day", "late_floor_percent")


@transaction.atomic
def save_policy(*, policy, by=None):
    """Save a prompt's rubric, late policy and release mode, recording a change in the audit
    log (naming ``by``). Grades already saved keep their score; a changed late policy
    applies from the next save of each grade."""
    was = GradingPolicy.objects.select_for_update().filter(pk=policy.pk).first() or GradingPolicy(
        prompt=policy.prompt
    )
    policy.save()
    audit.record_changes(course=policy.prompt.course, actor=by,
                         action=AuditAction.GRADING_POLICY, was=was, now=policy,
                         fields=POLICY_FIELDS, prompt=policy.prompt)  # fmt: skip
    return policy


# Release


@transaction.atomic
def release_grades(*, prompt, by, everyone, at=None, notify=True, now=None):
    """Show the prompt's grades to students, now or from ``at``: every student's (grades
    entered later show at once) or only those already graded. Mail follows unless turned
    off."""
    now = now or timezone.now()
    at = at or now
    policy, _ = GradingPolicy.objects.select_for_update().get_or_create(prompt=prompt)
    policy.notify_on_release = notify
    if everyone:
        policy.released_at, policy.released_by = at, by
    policy.save(update_fields=["released_at", "released_by", "notify_on_release"])
    grades = Grade.objects.filter(prompt=prompt)
    grades.filter(Q(released_at__isnull=True) | Q(released_at__gt=at)).update(released_at=at)
    audit.record(
        course=prompt.course,
        actor=by,
        action=AuditAction.RELEASE,
        prompt=prompt,
        reason=f"{'to everyone' if everyone else 'to those graded'}, "
        f"from {times.iso(at, prompt.course)}" + ("" if notify else ", without mail"),
    )
    freeze_graded_posts(prompt=prompt)
    if not notify:
        grades.filter(notified_at__isnull=True).update(notified_at=at)
    else:
        transaction.on_commit(lambda: _queue_release_mail(prompt.pk, at, now))
    return policy


def _queue_release_mail(prompt_id, at, now):
    if at > now and default_task_backend.supports_defer:
        notifications.notify_released_grades.using(run_after=at).enqueue(prompt_id)
    else:
        notifications.notify_released_grades.enqueue(prompt_id)


@transaction.atomic
def hide_grades(*, prompt, by):
    """Undo a release: students see nothing of the prompt's grades until the next one."""
    GradingPolicy.objects.filter(prompt=prompt).update(released_at=None, released_by=None)
    Grade.objects.filter(prompt=prompt).update(released_at=None)
    freeze_graded_posts(prompt=prompt)
    audit.record(course=prompt.course, actor=by, action=AuditAction.HIDE_GRADES, prompt=prompt)


@transaction.atomic
def import_scores(*, course, prompts, changes, by):
    """Save every change of a checked import, or none: a grade changed by someone since the
    preview raises GradeConflict and undoes them all."""
    audit.record(
        course=course,
        actor=by,
        action=AuditAction.IMPORT,
        reason=f"{len(changes)} scores from a gradebook CSV",
    )
    by_id = {p.pk: p for p in prompts}
    students = {
        m.user_id: m.user
        for m in Membership.objects.current()
        .filter(course=course, role=Role.STUDENT, user__in={c.user_id for c in changes})
        .select_related("user")
    }
    versions = {
        (student, prompt): version
        for student, prompt, version in Grade.objects.filter(
            prompt__in=prompts, student__in=list(students)
        ).values_list("student_id", "prompt_id", "version")
    }
    for change in changes:
        save_grade(
            prompt=by_id[change.prompt_id],
            student=students[change.user_id],
            grader=by,
            status=GradeStatus.EXCUSED if change.new.is_excused else GradeStatus.GRADED,
            entered=change.new.score,
            expected_version=versions.get((change.user_id, change.prompt_id), 0),
            source="import",
        )
