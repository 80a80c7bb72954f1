"""The audit log: every moderation and grading action, every change of a rule that affects
grades or visibility (a prompt's dates, points, requirements, reveal and holding, its grading
policies, rubrics, extensions, the course's settings and moderation settings) and every
change of the class list (a member's role, removal and return), written in the same
transaction as the action itself, so neither exists without the other."""

from datetime import datetime
from decimal import Decimal

from destalin import times
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


def record_changes(*, course, actor, action, was, now, fields, prompt=None, student=None):
    """Record a change of settings: the ``fields`` of ``now`` that differ from ``was`` (two
    instances of one model), as "label: value" lines before and after. Nothing is recorded,
    and None returned, when none differ."""
    changed = [name for name in fields if _raw(was, name) != _raw(now, name)]
    if not changed:
        return None
    return record(
        course=course,
        actor=actor,
        action=action,
        prompt=prompt,
        student=student,
        before=describe(was, changed, course),
        after=describe(now, changed, course),
    )


def _raw(instance, name):
    # The stored value: a foreign key's id, so comparing loads nothing.
    return getattr(instance, instance._meta.get_field(name).attname)


def describe(instance, fields, course):
    """The named fields of a model instance as "label: value" lines, times in ISO 8601 with
    the course zone's offset (as the log's CSV writes them)."""
    return "\n".join(
        f"{instance._meta.get_field(name).verbose_name}: {_shown(instance, name, course)}"
        for name in fields
    )


def _shown(instance, name, course):
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return "none"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        # As stored: a form's "10" and the database's "10.00" are one value.
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, datetime):
        return times.iso(value, course)
    return str(value)


def entries(*, course, actor=None, action=None):
    """The course's log, newest first, optionally for one person or one kind of action."""
    log = AuditEntry.objects.filter(course=course).select_related("actor", "student", "prompt")
    if actor is not None:
        log = log.filter(actor=actor)
    if action:
        log = log.filter(action=action)
    return log
