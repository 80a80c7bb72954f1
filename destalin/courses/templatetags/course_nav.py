"""The course navigation's links about grades and moderation, for any course page. It lives
with the course pages, above every app: the classroom core's pages (People, Settings) and
the discussion pages pass the course and the viewer's role, and import nothing above them."""

from django import template

from discussions import permissions
from discussions.grading import permissions as grading_permissions
from discussions.moderation.selectors import review_count

register = template.Library()


@register.simple_tag
def course_nav(course, role):
    """What the navigation offers this role (the number waiting for review costs one query,
    for moderators only)."""
    can_moderate = permissions.can_moderate(role)
    return {
        "can_grade": grading_permissions.can_grade(role),
        "has_own_grades": grading_permissions.has_own_grades(role),
        "can_moderate": can_moderate,
        "review_count": review_count(course) if can_moderate else 0,
    }
