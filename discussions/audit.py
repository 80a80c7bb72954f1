"""The audit log: every moderation and grading action, written in the same transaction as
the action itself, so neither exists without the other."""

from discussions.models import AuditEntry


def record(*, course, actor, action, prompt=None, post=None, student=None, reason="",
           before="", after=""):  # fmt: skip
    return AuditEntry.objects.create(
        course=course,
        actor=actor,
        action=action,
        prompt=prompt or (post.prompt if post is not None else None),
        post=post,
        student=student or (post.author if post is not None else None),
        reason=reason,
        before=before,
        after=after,
    )


def entries(*, course, actor=None, action=None):
    """The course's log, newest first, optionally for one person or one kind of action."""
    log = AuditEntry.objects.filter(course=course).select_related("actor", "student", "prompt")
    if actor is not None:
        log = log.filter(actor=actor)
    if action:
        log = log.filter(action=action)
    return log
