"""Reads for grading pages, each in a fixed number of queries whatever the class size."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from destalin.models import GradeRelease
from destalin.text import by_name
from discussions.grading import scoring
from discussions.grading.models import Grade, GradeStatus, GradingPolicy, Rubric
from discussions.models import Prompt


def policy_of(prompt):
    """The prompt's grading policy, unsaved defaults if it has none yet."""
    return GradingPolicy.objects.select_related("rubric").filter(prompt=prompt).first() or (
        GradingPolicy(prompt=prompt)
    )


def release_mode_of(prompt, policy):
    return policy.release_mode or prompt.course.grade_release


def released_prompt_ids(prompts, now=None):
    """Of these prompts, those whose grades students see: every grade saved so far is
    visible, and grades saved next will be too (released to everyone, or automatically).
    Two queries."""
    now = now or timezone.now()
    policies = {g.prompt_id: g for g in GradingPolicy.objects.filter(prompt__in=prompts)}
    withheld = set(
        Grade.objects.filter(prompt__in=prompts)
        .exclude(pk__in=Grade.objects.released(now).values("pk"))
        .values_list("prompt_id", flat=True)
    )
    released = set()
    for prompt in prompts:
        policy = policies.get(prompt.pk) or GradingPolicy(prompt=prompt)
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


@dataclass(frozen=True)
class OffScale:
    """A grade chosen with a rubric whose score is not its levels on today's scale, and what
    they give now (before any late deduction, as ``Grade.entered``)."""

    grade: Grade
    entered: Decimal


def grades_off_scale(prompt):
    """The prompt's grades chosen with a rubric (not overridden by a typed score) whose
    ``entered`` differs from the rubric's total scaled onto the prompt's points today: saved
    before rubrics were scaled, or before the prompt's points possible changed. Students in
    name order; one query plus three per rubric used."""
    grades = Grade.objects.filter(
        prompt=prompt, status=GradeStatus.GRADED, is_override=False, rubric__isnull=False
    ).select_related("student")
    scales, off = {}, []
    for grade in grades:
        if not grade.rubric_levels or grade.rubric_total is None:
            continue
        if grade.rubric_id not in scales:
            scales[grade.rubric_id] = scoring.rubric_scale(
                rubric_with_levels(grade.rubric_id), prompt.points_possible
            )
        scale = scales[grade.rubric_id]
        if scale is not None and scale.score(grade.rubric_total) != grade.entered:
            off.append(OffScale(grade, scale.score(grade.rubric_total)))
    return by_name(
        off, name=lambda item: item.grade.student.display_name, then=lambda item: item.grade.pk
    )


def is_released(grade, policy, now=None):
    """Whether the student sees this grade now: the rule of ``Grade.objects.released()``."""
    now = now or timezone.now()
    return (grade.released_at is not None and grade.released_at <= now) or (
        policy.released_at is not None and policy.released_at <= now
    )


# A student's own grades


@dataclass
class OwnGrade:
    prompt: Prompt
    grade: Grade | None
    levels: list  # (criterion, chosen level) pairs
    is_out: bool = False  # the prompt's grades are released to everyone
    scale: scoring.RubricScale | None = None  # how the rubric's points map onto the prompt's

    @property
    def rubric_score(self):
        """What the chosen levels give on the prompt's scale."""
        if self.scale is None or self.grade is None or self.grade.rubric_total is None:
            return None
        return self.scale.score(self.grade.rubric_total)


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
        GradingPolicy.objects.filter(prompt__in=prompts, released_at__lte=now).values_list(
            "prompt_id", flat=True
        )
    )
    result = []
    for prompt in prompts:
        grade = grades.get(prompt.pk)
        rubric = rubrics.get(grade and grade.rubric_id)
        levels = chosen_levels(rubric, grade)
        scale = scoring.rubric_scale(rubric, prompt.points_possible) if levels else None
        result.append(OwnGrade(prompt, grade, levels, is_out=prompt.pk in out, scale=scale))
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


def graded_prompts(course):
    return list(course.prompts.filter(points_possible__gt=0).order_by("position", "id"))
