"""Who may do what with readings. Roles as in ``destalin.permissions``.

=====================================  =======  ===  ==========  =====
action                                 student  TA   instructor  staff
=====================================  =======  ===  ==========  =====
read the course's assigned readings    yes      yes  yes         yes
mark a reading read                    yes      yes  yes         no
assign, reorder, unassign, set dates   no       (1)  yes         yes
edit a reading's text (kept versions)  no       (1)  yes         yes
add a reading (upload, paste, publish) no       (2)  yes         yes
download a reading's original file     (3)      (3)  yes         yes
see who has opened and read            no       yes  yes         yes
browse the library of all readings     teachers anywhere (instructors, TAs), staff
=====================================  =======  ===  ==========  =====

(1) if the course lets TAs assign readings (``Course.tas_may_assign_readings``, on unless the
instructor turns it off, as Canvas lets TAs manage course content by default).
(2) if the course lets TAs add readings (``Course.tas_may_add_readings``, on by default for
the same reason); adding a reading puts it on the syllabus, which is part of adding it.
(3) if the course lets its members download originals (``Course.originals_downloadable``, on
unless copyright allows reading on the site only); those who add readings always may.
"""

from django.core.exceptions import PermissionDenied

from destalin.models import Role
from destalin.permissions import MANAGING_ROLES, STAFF, TEACHING_ROLES


def can_manage_syllabus(role, course):
    return role in MANAGING_ROLES or (role == Role.TA and course.tas_may_assign_readings)


def can_edit_reading(role, course):
    """Editing changes the text every course with the reading reads, so the edit page says
    which other courses assign it and how many posts point into it before saving."""
    return can_manage_syllabus(role, course)


def can_add_reading(role, course):
    return role in MANAGING_ROLES or (role == Role.TA and course.tas_may_add_readings)


def can_download_original(role, course):
    return can_add_reading(role, course) or (role is not None and course.originals_downloadable)


def can_see_progress(role):
    return role in TEACHING_ROLES


def can_track_progress(role):
    return role is not None and role != STAFF


def can_browse_library(user, *, teaches):
    return user.is_authenticated and (user.is_staff or user.is_instructor or teaches)


def check_manage_syllabus(role, course):
    if not can_manage_syllabus(role, course):
        raise PermissionDenied(
            "Only the course's instructors, and its TAs if the instructor lets them, can "
            "change the syllabus."
        )


def check_edit_reading(role, course):
    if not can_edit_reading(role, course):
        raise PermissionDenied(
            "Only the course's instructors, and its TAs if the instructor lets them, can "
            "edit its readings."
        )


def check_add_reading(role, course):
    if not can_add_reading(role, course):
        raise PermissionDenied(
            "Only the course's instructors, and its TAs if the instructor lets them, can add "
            "readings."
        )


def check_download_original(role, course):
    if not can_download_original(role, course):
        raise PermissionDenied(
            "The original files of this course's readings are not available for download."
        )


def check_see_progress(role):
    if not can_see_progress(role):
        raise PermissionDenied("Only the course's instructors and TAs can see reading progress.")


def check_track_progress(role):
    if not can_track_progress(role):
        raise PermissionDenied("Only members of the course keep reading progress.")


def check_browse_library(user, *, teaches):
    if not can_browse_library(user, teaches=teaches):
        raise PermissionDenied("The library is for instructors and TAs.")
