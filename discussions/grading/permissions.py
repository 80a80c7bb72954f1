"""Who may grade and who sees grades. Roles as in ``destalin.permissions``.

======================================  =======================  ===  ==========  =====
action                                  student                  TA   instructor  staff
======================================  =======================  ===  ==========  =====
open the grader, grade, see the         no                       yes  yes         yes
gradebook, exports and analytics;
build rubrics; import scores
set a prompt's rubric, late policy      no                       no   yes         yes
and release mode; release or hide
grades
see a grade, its rubric and feedback    their own, once          yes  yes         yes
                                        released
======================================  =======================  ===  ==========  =====

Nobody grades in an archived course (its grades stay readable).
"""

from django.core.exceptions import PermissionDenied

from destalin.models import Role
from destalin.permissions import MANAGING_ROLES, TEACHING_ROLES


def can_grade(role):
    return role in TEACHING_ROLES


def can_manage_grading(role):
    return role in MANAGING_ROLES


def has_own_grades(role):
    return role == Role.STUDENT


def check_grade(role):
    if not can_grade(role):
        raise PermissionDenied("Only the course's instructors and TAs can grade.")


def check_manage_grading(role):
    if not can_manage_grading(role):
        raise PermissionDenied(
            "Only the course's instructors can change how this prompt is graded and released."
        )


def check_course_writable(course):
    if course.is_archived:
        raise PermissionDenied("This course is archived; its grades are read-only.")


def check_has_own_grades(role):
    if not has_own_grades(role):
        raise PermissionDenied("Grades pages are for the course's students.")
