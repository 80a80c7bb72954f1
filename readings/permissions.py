"""Who may do what with readings. Roles as in ``destalin.permissions``.

=====================================  =======  ===  ==========  =====
action                                 student  TA   instructor  staff
=====================================  =======  ===  ==========  =====
read the course's assigned readings    yes      yes  yes         yes
mark a reading read                    yes      yes  yes         no
assign, reorder, unassign, set dates   no       yes  yes         yes
see who has opened and read            no       yes  yes         yes
browse the library of all readings     teachers anywhere (instructors, TAs), staff
=====================================  =======  ===  ==========  =====
"""

from django.core.exceptions import PermissionDenied

from destalin.permissions import STAFF, TEACHING_ROLES


def can_manage_syllabus(role):
    return role in TEACHING_ROLES


def can_see_progress(role):
    return role in TEACHING_ROLES


def can_track_progress(role):
    return role is not None and role != STAFF


def can_browse_library(user, *, teaches):
    return user.is_authenticated and (user.is_staff or user.is_instructor or teaches)


def check_manage_syllabus(role):
    if not can_manage_syllabus(role):
        raise PermissionDenied("Only the course's instructors and TAs can change the syllabus.")


def check_see_progress(role):
    if not can_see_progress(role):
        raise PermissionDenied("Only the course's instructors and TAs can see reading progress.")


def check_track_progress(role):
    if not can_track_progress(role):
        raise PermissionDenied("Only members of the course keep reading progress.")


def check_browse_library(user, *, teaches):
    if not can_browse_library(user, teaches=teaches):
        raise PermissionDenied("The library is for instructors and TAs.")
