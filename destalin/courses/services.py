"""Writes of course-wide settings. Here, above the apps, because a change of a rule that
decides grades or who sees and does what is recorded in the discussions' audit log."""

from django.db import transaction

from destalin.models import Course
from discussions import audit
from discussions.models import AuditAction

# The course settings that decide grades, visibility or rights.
RULES = ("grade_release", "is_joining_open", "is_archived", "tas_may_hold_posts",
         "tas_may_assign_readings")  # fmt: skip


@transaction.atomic
def save_course_settings(*, course, by, fields):
    """Save these ``fields`` of the course and nothing else (a page loaded earlier must not put
    back the moderation settings or the join code), recording any change of a rule (see
    ``RULES``) in the audit log, naming ``by``."""
    was = Course.objects.select_for_update().get(pk=course.pk)
    course.save(update_fields=fields)
    audit.record_changes(course=course, actor=by, action=AuditAction.COURSE_SETTINGS, was=was,
                         now=course, fields=RULES)  # fmt: skip
    return course
