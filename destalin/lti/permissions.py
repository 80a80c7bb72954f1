"""Who may do what with LTI, the one place these rules live (roles as in
``destalin.permissions``: a member's role in the course, or ``STAFF``).

=====================================  =======  ===  ==========  =====
action                                 student  TA   instructor  staff
=====================================  =======  ===  ==========  =====
place items in the platform's course   no       yes  yes         yes
sync the roster from the platform      no       no   yes         yes
=====================================  =======  ===  ==========  =====

As in Canvas, where TAs may add external tool items but enrolments are the teacher's.
"""

from django.core.exceptions import PermissionDenied

from destalin.permissions import MANAGING_ROLES, TEACHING_ROLES


def can_place_items(role):
    return role in TEACHING_ROLES


def can_sync_roster(role):
    return role in MANAGING_ROLES


def check_place_items(role):
    if not can_place_items(role):
        raise PermissionDenied(
            "Only the course's instructors and TAs can add Destalin items to it."
        )


def check_sync_roster(role):
    if not can_sync_roster(role):
        raise PermissionDenied("Only the course's instructors can sync its roster.")
