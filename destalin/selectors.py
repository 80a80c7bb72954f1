"""Reads that pages need: courses for a person, a course with the viewer's role, rosters."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404

from destalin.models import Course, Membership, Role, is_join_code
from destalin.permissions import STAFF, TEACHING_ROLES
from destalin.text import by_name, name_key


@dataclass(frozen=True)
class CourseAccess:
    """A course as seen by one viewer: their effective role and membership (if any)."""

    course: Course
    role: str
    membership: Membership | None


def get_course_access(user, slug):
    """The course and the viewer's role; 404 unless the viewer is a current member or staff,
    so a course's existence is never revealed to outsiders."""
    course = Course.objects.filter(slug=slug).first() if user.is_authenticated else None
    if course is None:
        raise Http404("No such course.")
    membership = (
        Membership.objects.current().filter(course=course, user=user).select_related("user").first()
    )
    if membership is not None:
        return CourseAccess(course=course, role=membership.role, membership=membership)
    if user.is_staff:
        return CourseAccess(course=course, role=STAFF, membership=None)
    raise Http404("No such course.")


def teaches_anywhere(user):
    """Whether the user is an instructor or TA of any current course."""
    return Membership.objects.current().filter(user=user, role__in=TEACHING_ROLES).exists()


def courses_for_dashboard(user):
    """The user's current courses with their role, active ones first."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("course")
        .order_by("course__is_archived", "-course__created_at")
    )


_ROLE_ORDER = Case(
    When(role=Role.INSTRUCTOR, then=Value(0)),
    When(role=Role.TA, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def roster(course):
    """Everyone who is or was in the course: teachers first, removed members last, each
    group by name (``destalin.text.name_key``)."""
    members = Membership.objects.filter(course=course).select_related("user")
    return sorted(
        members.annotate(role_order=_ROLE_ORDER),
        key=lambda m: (
            m.removed_at is not None,
            m.role_order,
            name_key(m.user.display_name),
            m.user.email,
        ),
    )


def teachers_of(course):
    """The course's current instructors and TAs, by name."""
    return by_name(
        m.user
        for m in Membership.objects.current()
        .filter(course=course, role__in=TEACHING_ROLES)
        .select_related("user")
    )


def students_of(course):
    """The course's current students, by name (``destalin.text.by_name``)."""
    return by_name(
        m.user
        for m in Membership.objects.current()
        .filter(course=course, role=Role.STUDENT)
        .select_related("user")
    )


def course_for_join_link(*, user, code):
    """What a join link shows this person: ``(course to join, None)`` for a course taking new
    students that they are not in, ``(None, course)`` for a course they are already a current
    member of, and ``(None, None)`` otherwise, alike for a wrong code and a course closed to
    joining, so the link names no course to an outsider that would not take them."""
    course = Course.objects.filter(join_code=code).first() if is_join_code(code) else None
    if course is None:
        return None, None
    if Membership.objects.current().filter(user=user, course=course).exists():
        return None, course
    if course.is_joining_open and not course.is_archived:
        return course, None
    return None, None
