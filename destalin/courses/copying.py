"""Copy a course into a new term: its settings, syllabus, prompts, rubrics and grading
policies, with every date moved by one offset; never its people's work (members other than
the person copying, posts, grades, flags). It is a course page's work, above every app, because it
copies every app's part of a course."""

from django.db import transaction

from destalin.models import Course
from destalin.services import create_course
from discussions.grading.models import Criterion, Level, PromptGrading, Rubric
from discussions.models import Prompt
from readings.models import Assignment


def _shifted(moment, shift):
    return moment + shift if moment is not None else None


@transaction.atomic
def copy_course(*, course, by, title, code, term, shift):
    """A new course for ``term`` with ``by`` as its instructor; dates moved by ``shift`` (a
    timedelta). Prompts come back as drafts, to be checked before students see them."""
    new = create_course(
        creator=by, title=title, code=code, term=term, description=course.description
    )
    Course.objects.filter(pk=new.pk).update(
        grade_release=course.grade_release,
        hold_posts=course.hold_posts,
        word_list=course.word_list,
    )
    Assignment.objects.bulk_create(
        Assignment(
            course=new,
            reading_id=a.reading_id,
            position=a.position,
            due_at=_shifted(a.due_at, shift),
            instructions=a.instructions,
        )
        for a in course.assignments.all()
    )
    rubrics = {
        old.pk: _copy_rubric(old, new, by)
        for old in course.rubrics.prefetch_related("criteria__levels")
    }
    for prompt in course.prompts.prefetch_related("readings").select_related("grading"):
        _copy_prompt(prompt, new, by, shift, rubrics)
    return new


def _copy_rubric(old, course, by):
    rubric = Rubric.objects.create(course=course, title=old.title, created_by=by)
    for criterion in old.criteria.all():
        copy = Criterion.objects.create(
            rubric=rubric,
            position=criterion.position,
            title=criterion.title,
            description=criterion.description,
        )
        Level.objects.bulk_create(
            Level(criterion=copy, position=lv.position, title=lv.title, points=lv.points)
            for lv in criterion.levels.all()
        )
    return rubric


def _copy_prompt(prompt, course, by, shift, rubrics):
    copy = Prompt.objects.create(
        course=course,
        title=prompt.title,
        body=prompt.body,
        body_html=prompt.body_html,
        opens_at=_shifted(prompt.opens_at, shift),
        due_at=_shifted(prompt.due_at, shift),
        cutoff_at=_shifted(prompt.cutoff_at, shift),
        points_possible=prompt.points_possible,
        reveal_mode=prompt.reveal_mode,
        min_words=prompt.min_words,
        required_responses=prompt.required_responses,
        required_replies=prompt.required_replies,
        hold_posts=prompt.hold_posts,
        is_published=False,
        position=prompt.position,
        created_by=by,
    )
    copy.readings.set(prompt.readings.all())
    policy = getattr(prompt, "grading", None)
    if policy is not None:
        PromptGrading.objects.create(
            prompt=copy,
            rubric=rubrics.get(policy.rubric_id),
            release_mode=policy.release_mode,
            late_percent_per_day=policy.late_percent_per_day,
            late_floor_percent=policy.late_floor_percent,
        )
    return copy
