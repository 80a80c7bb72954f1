"""Writes of course-wide settings and of the class list. Here, above the apps, because a
change of a rule that decides grades or who sees and does what, and a change of who is in
the course with which role, is recorded in the discussions' audit log, in the same
transaction. Each raises ``ValidationError`` with a message for the person when a rule says
no, having written nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from destalin.models import Course, Membership, Role
from discussions import audit
from discussions.models import AuditAction

# The course settings that decide grades, visibility or rights. The time zone is one: it
# decides which calendar day a post falls on, and so how many days late it is.
RULES = ("grade_release", "is_joining_open", "is_archived", "tas_may_hold_posts",
         "tas_may_assign_readings", "require_two_factor", "time_zone", "tas_may_add_readings",
         "originals_downloadable")  # fmt: skip


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


def _lock_teachers(course):
    """Serialise changes to a course's instructors so two of them cannot both step down."""
    Course.objects.select_for_update().filter(pk=course.pk).first()
    return Membership.objects.current().filter(course=course, role=Role.INSTRUCTOR).count()


def _in_course(membership):
    return f"in the course as {membership.get_role_display()}"


@transaction.atomic
def set_member_role(*, membership, role, by):
    """Change a current member's role (promote a student to TA, demote, ...), recording the
    old and new role in the audit log, naming ``by``. Setting the role they have is a no-op."""
    if role not in Role.values:
        raise ValidationError("Unknown role.", code="invalid")
    if membership.removed_at is not None:
        raise ValidationError("This person was removed from the course.", code="removed")
    if membership.role == role:
        return membership
    if membership.role == Role.INSTRUCTOR and _lock_teachers(membership.course) <= 1:
        raise ValidationError(
            "A course needs at least one instructor. Make someone else an instructor first.",
            code="last_instructor",
        )
    was = Membership(role=membership.role)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record_changes(
        course=membership.course,
        actor=by,
        action=AuditAction.MEMBER_ROLE,
        was=was,
        now=membership,
        fields=["role"],
        student=membership.user,
    )
    return membership


@transaction.atomic
def remove_member(*, membership, by):
    """Remove a member from the course (their posts and grades stay), recorded in the audit
    log; removing a removed member is a no-op."""
    if membership.removed_at is not None:
        return membership
    if membership.role == Role.INSTRUCTOR and _lock_teachers(membership.course) <= 1:
        raise ValidationError(
            "You cannot remove the course's last instructor.", code="last_instructor"
        )
    membership.removed_at = timezone.now()
    membership.save(update_fields=["removed_at"])
    audit.record(
        course=membership.course,
        actor=by,
        action=AuditAction.MEMBER_REMOVE,
        student=membership.user,
        before=_in_course(membership),
        after="removed",
    )
    return membership


@transaction.atomic
def restore_member(*, membership, by):
    """Bring a removed member back with the role they had, recorded in the audit log;
    restoring a current member is a no-op."""
    if membership.removed_at is None:
        return membership
    membership.removed_at = None
    membership.save(update_fields=["removed_at"])
    audit.record(
        course=membership.course,
        actor=by,
        action=AuditAction.MEMBER_RESTORE,
        student=membership.user,
        before="removed",
        after=_in_course(membership),
    )
    return membership
