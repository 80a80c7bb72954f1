"""Writes to courses and joining them. Each service is one transaction and raises
``ValidationError`` with a message for the person when a rule says no. (Teachers' changes
to memberships are audited, so they live above, in ``destalin.courses.services``.)"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from destalin.models import (
    Course,
    Membership,
    Role,
    default_time_zone,
    is_join_code,
    new_join_code,
    normalize_join_code,
)
from destalin.text import fold


def unique_slug(base):
    base = (slugify(base) or "course")[:100]
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_course(*, creator, title, code, term, description="", time_zone=""):
    """Create a course with its creator as the instructor; ``time_zone`` (an IANA name)
    defaults to the site's."""
    # Compared folded in Python: SQLite's iexact ignores case in ASCII only ("ИСТ 274").
    wanted = (fold(code), fold(term))
    mine = Course.objects.filter(created_by=creator).values_list("code", "term")
    if any((fold(c), fold(t)) == wanted for c, t in mine):
        raise ValidationError(f"You already have a course {code} in {term}.", code="duplicate")
    course = Course.objects.create(
        title=title,
        code=code,
        term=term,
        description=description,
        time_zone=time_zone or default_time_zone(),
        slug=unique_slug(f"{code} {term}"),
        created_by=creator,
    )
    Membership.objects.create(user=creator, course=course, role=Role.INSTRUCTOR)
    return course


NO_COURSE = (
    "That code does not match any course taking new students. Check it with your instructor."
)


def join_course(*, user, code):
    """Make the user a student of the course whose join code this is.

    Returns ``(course, created)``; joining twice is not an error. A join code never grants
    more than the student role, and never restores someone an instructor removed. Raises
    ``ValidationError``: ``unknown`` alike for a wrong code and for a course that is closed to
    joining or archived, ``removed`` for someone removed from the course.
    """
    code = normalize_join_code(code)
    course = Course.objects.filter(join_code=code).first() if is_join_code(code) else None
    existing = (
        Membership.objects.filter(user=user, course=course).first() if course is not None else None
    )
    if existing is not None:
        if existing.removed_at is not None:
            raise ValidationError(
                "You were removed from this course. Ask its instructor to add you back.",
                code="removed",
            )
        return course, False
    if course is None or not course.is_joining_open or course.is_archived:
        # One answer for a wrong code and a course not taking students, so that trying codes
        # tells an outsider nothing about which courses exist.
        raise ValidationError(NO_COURSE, code="unknown")
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, course=course, role=Role.STUDENT)
    except IntegrityError:
        # A double submit raced us to it: the person is in, which is what they asked for.
        return course, False
    return course, True


@transaction.atomic
def regenerate_join_code(*, course):
    """Give the course a new join code; the old one stops working at once."""
    old = course.join_code
    while course.join_code == old or Course.objects.filter(join_code=course.join_code).exists():
        course.join_code = new_join_code()
    course.save(update_fields=["join_code"])
    return course.join_code
