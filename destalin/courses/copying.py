"""Copy a course into a new term: its settings, syllabus, prompts, rubrics and grading
policies, with every date moved by the same number of calendar days; never its people's work
(members other than the person copying, posts, grades, flags). It is a course page's work,
above every app, because it copies every app's part of a course."""

from django.db import transaction

from destalin import times
from destalin.models import Course
from destalin.services import create_course
from discussions.grading.models import Criterion, GradingPolicy, Level, Rubric
from discussions.models import Prompt
from readings.models import Assignment


@transaction.atomic
def copy_course(*, course, by, title, code, term, shift_days):
    """A new course for ``term`` with ``by`` as its instructor, in the same time zone; every
    date moved by ``shift_days`` calendar days (an int) keeping its wall-clock time there, so
    a Thu 11:59 PM due date stays 11:59 PM across a change of daylight saving
    (``destalin.times.shift_days``). Prompts come back as drafts, to be checked before
    students see them."""
    new = create_course(
        creator=by,
        title=title,
        code=code,
        term=term,
        description=course.description,
        time_zone=course.time_zone,
    )
    zone = times.course_zone(course)

    def shifted(moment):
        return times.shift_days(moment, shift_days, zone)

    Course.objects.filter(pk=new.pk).update(
        grade_release=course.grade_release,
        hold_posts=course.hold_posts,
        word_list=course.word_list,
    )
    assignments = list(course.assignments.prefetch_related("sections"))
    copies = Assignment.objects.bulk_create(
        Assignment(
            course=new,
            reading_id=a.reading_id,
            position=a.position,
            due_at=shifted(a.due_at),
            instructions=a.instructions,
        )
        for a in assignments
    )
    # A reading assigned in part stays assigned in the same part.
    Assignment.sections.through.objects.bulk_create(
        Assignment.sections.through(assignment_id=copy.pk, section_id=section.pk)
        for old, copy in zip(assignments, copies, strict=True)
        for section in old.sections.all()
    )
    rubrics = {
        old.pk: _copy_rubric(old, new, by)
        for old in course.rubrics.prefetch_related("criteria__levels")
    }
    for prompt in course.prompts.prefetch_related("readings").select_related("grading_policy"):
        _copy_prompt(prompt, new, by, shifted, rubrics)
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


def _copy_prompt(prompt, course, by, shifted, rubrics):
    copy = Prompt.objects.create(
        course=course,
        title=prompt.title,
        body=prompt.body,
        body_html=prompt.body_html,
        opens_at=shifted(prompt.opens_at),
        due_at=shifted(prompt.due_at),
        cutoff_at=shifted(prompt.cutoff_at),
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
    policy = getattr(prompt, "grading_policy", None)
    if policy is not None:
        GradingPolicy.objects.create(
            prompt=copy,
            rubric=rubrics.get(policy.rubric_id),
            release_mode=policy.release_mode,
            late_percent_per_day=policy.late_percent_per_day,
            late_floor_percent=policy.late_floor_percent,
        )
    return copy
