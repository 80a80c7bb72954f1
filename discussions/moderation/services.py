"""Moderation writes: hide, delete, edit, lock, pin, endorse, approve held posts, flags and
their review. Each is one transaction with its line in the audit log; doing a thing twice
changes nothing the second time."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from destalin.models import Membership
from discussions import audit, notifications, post_services, services
from discussions.models import AuditAction, AuthorRole, Flag, Post, Prompt, Resolution

MAX_REASON = 500


def _check_reason(reason):
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.", code="reason")
    return reason


def _locked(post):
    # Only the post's row: its prompt, course and author are read, not locked.
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("prompt__course", "author")
        .get(pk=post.pk)
    )


def _role_in_course(user, course):
    # A moderator who is no current member of the course is site staff.
    role = (
        Membership.objects.current()
        .filter(user=user, course=course)
        .values_list("role", flat=True)
        .first()
    )
    return role or AuthorRole.STAFF


@transaction.atomic
def hide_post(*, post, by, reason):
    """Hide ``post`` from the class, with the reason its author is told; the post records the
    role of who hid it (the thread says "Hidden by a TA"), the audit log the person."""
    reason = _check_reason(reason)
    post = _locked(post)
    if post.hidden_at is None:
        # A held post hidden in review has been reviewed: it leaves the queue, still unseen.
        post.hidden_at, post.hidden_reason = timezone.now(), reason
        post.hidden_by_role = _role_in_course(by, post.prompt.course)
        post.held_at, post.held_reason = None, ""
        post.save(
            update_fields=["hidden_at", "hidden_reason", "hidden_by_role", "held_at", "held_reason"]
        )
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.HIDE, post=post,
                     reason=reason)  # fmt: skip
        # Hiding takes back what the post earned (the reveal, the requirement) as deleting does.
        services.recompute_participation(prompt=post.prompt, user=post.author)
    _resolve_flags(post, by, Resolution.HIDDEN)
    return post


@transaction.atomic
def unhide_post(*, post, by):
    post = _locked(post)
    if post.hidden_at is not None:
        post.hidden_at, post.hidden_reason, post.hidden_by_role = None, "", ""
        post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by_role"])
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.UNHIDE, post=post)
        services.recompute_participation(prompt=post.prompt, user=post.author)
    return post


@transaction.atomic
def delete_post(*, post, by, reason=""):
    reason = _check_reason(reason)
    post = _locked(post)
    if not post.is_deleted:
        post_services.delete_post(post=post, by=by)
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.DELETE, post=post,
                     reason=reason)  # fmt: skip
    _resolve_flags(post, by, Resolution.DELETED)
    return post


@transaction.atomic
def restore_post(*, post, by):
    post = _locked(post)
    if post.is_deleted:
        post_services.restore_post(post=post)
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.RESTORE, post=post)
    return post


@transaction.atomic
def edit_post(*, post, by, body):
    """A moderator's edit: the author's text stays in the history, the post says who edited."""
    post = _locked(post)
    before = post.body
    post_services.edit_post(post=post, editor=by, body=body)
    if post.body != before:
        Post.objects.filter(pk=post.pk).update(edited_by_moderator=True)
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.EDIT, post=post,
                     before=before, after=post.body)  # fmt: skip
    return post


def _toggle(post, by, field, value, on, off):
    post = _locked(post)
    current = getattr(post, field) is not None
    if current != value:
        setattr(post, field, timezone.now() if value else None)
        post.save(update_fields=[field])
        audit.record(course=post.prompt.course, actor=by, action=on if value else off, post=post)
    return post


@transaction.atomic
def set_pinned(*, post, by, pinned):
    return _toggle(post, by, "pinned_at", pinned, AuditAction.PIN, AuditAction.UNPIN)


@transaction.atomic
def set_endorsed(*, post, by, endorsed):
    return _toggle(post, by, "endorsed_at", endorsed, AuditAction.ENDORSE, AuditAction.UNENDORSE)


@transaction.atomic
def set_thread_locked(*, post, by, locked):
    """Lock a thread: the response at its root takes the mark."""
    root = post.root or post
    return _toggle(root, by, "locked_at", locked, AuditAction.LOCK, AuditAction.UNLOCK)


@transaction.atomic
def set_prompt_locked(*, prompt, by, locked):
    prompt = (
        Prompt.objects.select_for_update(of=("self",)).select_related("course").get(pk=prompt.pk)
    )
    if (prompt.locked_at is not None) != locked:
        prompt.locked_at = timezone.now() if locked else None
        prompt.save(update_fields=["locked_at"])
        audit.record(course=prompt.course, actor=by, prompt=prompt,
                     action=AuditAction.LOCK if locked else AuditAction.UNLOCK)  # fmt: skip
    return prompt


@transaction.atomic
def approve_post(*, post, by):
    """Publish a held post, or a published post's pending edit. A held post's classmates now
    see it, it counts for its author's participation (and may open the gate), and whoever it
    answers is told."""
    post = _locked(post)
    if post.held_at is not None:
        post.held_at, post.held_reason, post.published_at = None, "", timezone.now()
        post.save(update_fields=["held_at", "held_reason", "published_at"])
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.APPROVE, post=post)
        services.recompute_participation(prompt=post.prompt, user=post.author)
        pk = post.pk
        transaction.on_commit(lambda: notifications.notify_new_post.enqueue(pk), robust=True)
    elif post.pending_at is not None:
        before = post.body
        post_services.apply_pending_edit(post=post)
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.APPROVE, post=post,
                     before=before, after=post.body)  # fmt: skip
    _resolve_flags(post, by, Resolution.KEPT)
    return post


@transaction.atomic
def decline_edit(*, post, by, reason=""):
    """Refuse a post's pending edit: the approved text stays, the refused one is kept in the
    audit log."""
    reason = _check_reason(reason)
    post = _locked(post)
    if post.pending_at is not None:
        pending = post.pending_body
        post_services.decline_pending_edit(post=post)
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.DECLINE, post=post,
                     reason=reason, before=post.body, after=pending)  # fmt: skip
    return post


@transaction.atomic
def keep_post(*, post, by):
    """Review says the post stays: its open flags are closed, and a held post or a pending
    edit is approved."""
    post = _locked(post)
    if post.held_at is not None or post.pending_at is not None:
        return approve_post(post=post, by=by)
    if _resolve_flags(post, by, Resolution.KEPT):
        audit.record(course=post.prompt.course, actor=by, action=AuditAction.KEEP, post=post)
    return post


def _resolve_flags(post, by, resolution):
    return Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=resolution
    )


def flag_post(*, post, by, reason, details=""):
    """Report a post to the moderators, once per person."""
    details = _check_reason(details)
    try:
        with transaction.atomic():
            return Flag.objects.create(
                post=post,
                course_id=post.prompt.course_id,
                flagged_by=by,
                reason=reason,
                details=details,
            )
    except IntegrityError:
        raise ValidationError(
            "You have already flagged this post; the moderators have it.", code="duplicate"
        ) from None


@transaction.atomic
def save_settings(*, course, by, hold_posts, word_list):
    """The course's holding of new posts and its word list; only these two columns are
    written, so a page loaded earlier cannot put back other settings."""
    stored = type(course).objects.select_for_update().values("hold_posts", "word_list")
    was = stored.get(pk=course.pk)
    before = f"hold posts: {was['hold_posts']}\n{was['word_list']}"
    course.hold_posts, course.word_list = hold_posts, word_list
    course.save(update_fields=["hold_posts", "word_list"])
    after = f"hold posts: {hold_posts}\n{word_list}"
    if before != after:
        audit.record(course=course, actor=by, action=AuditAction.SETTINGS, before=before,
                     after=after)  # fmt: skip
    return course
