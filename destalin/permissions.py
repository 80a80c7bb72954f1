"""Who may do what in a course: the one place these rules live.

Roles are a member's role in the course (``Role``) or ``STAFF`` for site staff who are not
members; ``None`` means no access at all (the course is then a 404, never a 403).

=============================  =======  ===  ==========  =====
action                         student  TA   instructor  staff
=============================  =======  ===  ==========  =====
view the course                yes      yes  yes         yes
see the roster                 no       yes  yes         yes
edit the course, join code     no       no   yes         yes
change roles, remove members   no       no   yes         yes
=============================  =======  ===  ==========  =====

Creating a course depends on the ``COURSE_CREATION`` setting: ``"anyone"`` signed in, or
only ``"instructors"`` (users staff marked as such, and staff).

Two-factor sign-in is required of a teacher (staff, users marked as instructors, and the
instructors and TAs of any current course) when ``TWO_FACTOR_REQUIRED_FOR`` is
``"teachers"``, or when one of the courses they teach requires it; students may turn it on
and are never made to.

``can_*`` functions answer; their ``check_*`` twins raise ``PermissionDenied`` with a message
for the person.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from destalin.models import Role

STAFF = "staff"
# The one spelling of "the course's teachers", in rules and in queries alike (no membership or
# post stores STAFF, so filtering ``role__in=TEACHING_ROLES`` finds instructors and TAs).
TEACHING_ROLES = frozenset({Role.INSTRUCTOR, Role.TA, STAFF})
MANAGING_ROLES = frozenset({Role.INSTRUCTOR, STAFF})


def can_see_roster(role):
    return role in TEACHING_ROLES


def can_manage_course(role):
    return role in MANAGING_ROLES


def must_use_two_factor(*, teaches, course_requires, site_requires_teachers):
    """Whether a person must sign in with a second factor: ``teaches`` (staff, an instructor,
    or a teacher in a current course), ``course_requires`` (one of the courses they teach
    requires it), ``site_requires_teachers`` (``TWO_FACTOR_REQUIRED_FOR == "teachers"``)."""
    return teaches and (site_requires_teachers or course_requires)


def can_create_course(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return settings.COURSE_CREATION == "anyone" or user.is_instructor or user.is_staff


def check_see_roster(role):
    if not can_see_roster(role):
        raise PermissionDenied("Only the course's instructors and TAs can see the class list.")


def check_manage_course(role):
    if not can_manage_course(role):
        raise PermissionDenied("Only the course's instructors can change this.")


def check_create_course(user):
    if not can_create_course(user):
        raise PermissionDenied(
            "Creating courses is limited to instructors. Ask the site's staff to mark your "
            "account as an instructor."
        )
