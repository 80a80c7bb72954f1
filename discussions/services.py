"""Writes in discussions: prompts, posts and what follows a post. Each service is one
transaction; mail goes out only after it commits."""

from copy import copy
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, F, Max, When
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from destalin.markdown import quoted_passages, render_text
from destalin.models import Role
from destalin.text import count_words
from discussions import audit, notifications
from discussions.holds import hold_reason
from discussions.models import (
    MAX_DEPTH,
    PATH_WIDTH,
    AuditAction,
    Participation,
    Post,
    PostRevision,
    Prompt,
    Quote,
)
from discussions.permissions import due_of
from readings.models import Paragraph

DUPLICATE_WINDOW = timedelta(minutes=1)
CONTEXT_CHARS = 32


# Prompts


@transaction.atomic
def save_prompt(*, prompt, readings=None, by=None):
    """Create or update a prompt from a validated form's instance, rendering its body; ``by``
    is the teacher saving it (its creator, or the actor the audit log names for a change of
    its rules). When the rules change, everyone's participation and every post's lateness
    follow at once."""
    prompt.body_html = render_text(prompt.body)
    prompt.updated_at = timezone.now()
    if prompt.pk is None:
        last = Prompt.objects.filter(course=prompt.course).aggregate(last=Max("position"))["last"]
        prompt.position = (last or 0) + 1
        prompt.created_by = by
        prompt.save()
    else:
        before = Prompt.objects.select_for_update().get(pk=prompt.pk)
        # Write only what editing owns: the counter and the position move concurrently (posts,
        # reordering) and a page loaded earlier must not put old values back.
        prompt.save(update_fields=[*EDITABLE, "body_html", "updated_at"])
        if any(getattr(before, f) != getattr(prompt, f) for f in RULES):
            _refresh_participations(prompt)
        audit.record_changes(course=prompt.course, actor=by, action=AuditAction.PROMPT_RULES,
                             was=before, now=prompt, fields=GOVERNING, prompt=prompt)  # fmt: skip
    if readings is not None:
        prompt.readings.set(readings)
    return prompt


EDITABLE = (
    "title", "body", "opens_at", "due_at", "cutoff_at", "points_possible", "reveal_mode",
    "min_words", "required_responses", "required_replies", "hold_posts", "is_published",
)  # fmt: skip
RULES = ("min_words", "required_responses", "required_replies", "due_at")
# What decides grades or who sees what: a change to any of these goes into the audit log.
GOVERNING = (
    "opens_at", "due_at", "cutoff_at", "points_possible", "reveal_mode", "min_words",
    "required_responses", "required_replies", "hold_posts", "is_published",
)  # fmt: skip


def _refresh_participations(prompt):
    participations = Participation.objects.select_for_update().filter(prompt=prompt)
    for participation in participations.select_related("user"):
        _mark_lateness(prompt, participation)
        _recompute(participation, prompt, participation.user)


def _mark_lateness(prompt, participation):
    due = due_of(prompt, participation)
    posts = Post.objects.filter(prompt=prompt, author_id=participation.user_id)
    if due is None:
        posts.update(is_late=False)
    else:
        posts.update(
            is_late=Case(
                When(created_at__gt=due, then=True), default=False, output_field=BooleanField()
            )
        )


@transaction.atomic
def set_published(*, prompt, is_published, by=None):
    """Publish a draft or take a prompt back to draft (students no longer see it); a change
    is recorded in the audit log."""
    was = Prompt.objects.select_for_update().get(pk=prompt.pk)
    prompt.is_published = is_published
    prompt.save(update_fields=["is_published"])
    audit.record_changes(course=prompt.course, actor=by, action=AuditAction.PROMPT_RULES,
                         was=was, now=prompt, fields=["is_published"], prompt=prompt)  # fmt: skip
    return prompt


@transaction.atomic
def move_prompt(*, prompt, offset):
    """Move a prompt up (-1) or down (+1) the course's list."""
    prompts = list(
        Prompt.objects.select_for_update().filter(course=prompt.course).order_by("position", "id")
    )
    index = next(i for i, p in enumerate(prompts) if p.pk == prompt.pk)
    target = index + offset
    if 0 <= target < len(prompts):
        prompts[index], prompts[target] = prompts[target], prompts[index]
        for position, item in enumerate(prompts, start=1):
            item.position = position
        Prompt.objects.bulk_update(prompts, ["position"])


@transaction.atomic
def grant_extension(*, prompt, student, due_at, cutoff_at, granted_by):
    """Give one student a later due date and cut-off (None clears either); a change is
    recorded in the audit log."""
    participation = _locked_participation(prompt, student)
    was = copy(participation)
    participation.extended_due_at = due_at
    participation.extended_cutoff_at = cutoff_at
    participation.extended_by = granted_by
    participation.save(update_fields=["extended_due_at", "extended_cutoff_at", "extended_by"])
    audit.record_changes(
        course=prompt.course,
        actor=granted_by,
        action=AuditAction.EXTENSION,
        was=was,
        now=participation,
        fields=["extended_due_at", "extended_cutoff_at"],
        prompt=prompt,
        student=student,
    )
    _mark_lateness(prompt, participation)
    return _recompute(participation, prompt, student)


# Posts


@transaction.atomic
def post_reply(*, prompt, author, role, body, parent=None, now=None):
    """Publish a response (no parent) or a reply, with its quotes; update the author's
    participation, the counters, and notify after commit."""
    now = now or timezone.now()
    body = body.strip()
    # Locks in one order everywhere, prompt then participation, so posting never deadlocks
    # with an instructor editing the rules; the due date is read under the lock.
    prompt.due_at = (
        Prompt.objects.select_for_update().values_list("due_at", flat=True).get(pk=prompt.pk)
    )
    # One lock per author and prompt: a double submit waits here, then sees the first post.
    participation = _locked_participation(prompt, author)
    if Post.objects.filter(
        prompt=prompt,
        author=author,
        parent=parent,
        body=body,
        deleted_at__isnull=True,
        created_at__gte=now - DUPLICATE_WINDOW,
    ).exists():
        raise ValidationError(
            "You posted this same text a moment ago; it is already in the discussion.",
            code="duplicate",
        )
    if parent is not None:
        _check_parent(prompt, parent)
    words = _own_words(body)
    due = due_of(prompt, participation)
    held = hold_reason(prompt=prompt, role=role, body=body)
    post = Post.objects.create(
        prompt=prompt,
        author=author,
        author_role=role,
        parent=parent,
        root=parent.root if parent is not None and parent.root_id else parent,
        depth=parent.depth + 1 if parent is not None else 0,
        body=body,
        word_count=words,
        is_late=due is not None and now > due,
        created_at=now,
        published_at=now,
        held_at=now if held else None,
        held_reason=held,
    )
    post.path = (parent.path if parent is not None else "") + f"{post.pk:0{PATH_WIDTH}d}"
    post.body_html = _render_with_quotes(post)
    post.save(update_fields=["path", "body_html"])
    Prompt.objects.filter(pk=prompt.pk).update(post_count=F("post_count") + 1)
    _recompute(participation, prompt, author)
    # Queued once the post is committed: a slow or failing mail server never touches posting.
    # A held post is announced when a moderator approves it.
    if not held:
        transaction.on_commit(lambda: notifications.notify_new_post.enqueue(post.pk), robust=True)
    return post


NOTHING_VISIBLE = (
    "This post would show no words to readers (only spaces, invisible characters, "
    "punctuation or formatting). Write at least one word."
)


def _own_words(body):
    """The words a post's author wrote as readers see them (quotations left out), after
    refusing a post that would show no word at all: such a post could otherwise stand in for
    a response, unlock classmates' posts or meet a requirement while saying nothing."""
    html = render_text(body)
    if count_words(html) == 0:
        raise ValidationError(NOTHING_VISIBLE, code="empty")
    return count_words(html, quotes=False)


def _check_parent(prompt, parent):
    if parent.prompt_id != prompt.pk:
        raise ValidationError("You can only reply to posts in this discussion.", code="parent")
    if parent.is_deleted:
        raise ValidationError("That post was deleted; you cannot reply to it.", code="parent")
    if parent.depth + 1 >= MAX_DEPTH:
        raise ValidationError("This thread is too deep to reply further.", code="depth")


@transaction.atomic
def edit_post(*, post, editor, body, now=None):
    """Change a post's text, keeping the previous version.

    A student's edit of a published post that would be held if it were new (the course or the
    prompt holds posts, or it adds a listed word) waits for review as the post's pending edit:
    classmates keep reading the approved text, and the participation it earned stands, until a
    moderator approves (``apply_pending_edit``). A post still held simply takes the new text
    and keeps waiting. Raises ``ValidationError`` (code ``empty``) for a text that shows no
    word."""
    now = now or timezone.now()
    body = body.strip()
    by_author = editor.pk == post.author_id
    if body == post.body:
        if by_author and post.pending_at is not None:
            # Back to the approved text: nothing is left to review.
            _clear_pending(post)
            post.save(update_fields=PENDING_FIELDS)
        return post
    words = _own_words(body)
    held = hold_reason(prompt=post.prompt, role=post.author_role, body=body) if by_author else ""
    if held and post.held_at is None and post.hidden_at is None:
        post.pending_body, post.pending_at, post.pending_reason = body, now, held
        post.save(update_fields=PENDING_FIELDS)
        return post
    fields = _apply_text(post, body=body, words=words, editor=editor, now=now)
    if by_author:
        # The author's own words again: no longer "edited by the instructor".
        post.edited_by_moderator = False
        fields.append("edited_by_moderator")
        if post.pending_at is not None:
            _clear_pending(post)
            fields += PENDING_FIELDS
        if held and post.held_at is not None:
            # Still waiting: the reason is the new text's.
            post.held_reason = held
            fields.append("held_reason")
    post.save(update_fields=fields)
    recompute_participation(prompt=post.prompt, user=post.author)
    return post


PENDING_FIELDS = ["pending_body", "pending_at", "pending_reason"]


def _clear_pending(post):
    post.pending_body, post.pending_at, post.pending_reason = "", None, ""


def _apply_text(post, *, body, words, editor, now):
    """Give the post a new text, keeping the one it replaces as a revision; the fields to
    save."""
    PostRevision.objects.create(
        post=post,
        body=post.body,
        body_html=post.body_html,
        created_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=editor,
    )
    post.body = body
    post.word_count = words
    post.edited_at = now
    post.quotes.all().delete()
    post.body_html = _render_with_quotes(post)
    return ["body", "word_count", "edited_at", "body_html"]


@transaction.atomic
def apply_pending_edit(*, post):
    """Publish a post's pending edit (a moderator approved it): the approved text becomes a
    revision, the author's participation follows the new text. The post's row is locked by the
    caller."""
    if post.pending_at is None:
        return post
    body = post.pending_body
    words = count_words(render_text(body), quotes=False)
    fields = _apply_text(post, body=body, words=words, editor=post.author, now=post.pending_at)
    post.edited_by_moderator = False
    _clear_pending(post)
    post.save(update_fields=[*fields, "edited_by_moderator", *PENDING_FIELDS])
    recompute_participation(prompt=post.prompt, user=post.author)
    return post


def decline_pending_edit(*, post):
    """Drop a post's pending edit: the approved text stays. The caller holds the row lock."""
    _clear_pending(post)
    post.save(update_fields=PENDING_FIELDS)
    return post


@transaction.atomic
def delete_post(*, post, by, now=None):
    """Soft-delete: the thread keeps its shape, the text is gone for students, teachers can
    restore it. Deleting twice changes nothing."""
    if post.is_deleted:
        return post
    post.deleted_at = now or timezone.now()
    post.deleted_by = by
    post.save(update_fields=["deleted_at", "deleted_by"])
    Prompt.objects.filter(pk=post.prompt_id).update(post_count=F("post_count") - 1)
    recompute_participation(prompt=post.prompt, user=post.author)
    return post


@transaction.atomic
def restore_post(*, post):
    if not post.is_deleted:
        return post
    post.deleted_at = None
    post.deleted_by = None
    post.save(update_fields=["deleted_at", "deleted_by"])
    Prompt.objects.filter(pk=post.prompt_id).update(post_count=F("post_count") + 1)
    recompute_participation(prompt=post.prompt, user=post.author)
    return post


def _render_with_quotes(post):
    """Render the post, record the reading passages it quotes, and point each quote's source
    link at the quote itself, which finds the passage even after the reading changes."""
    html = render_text(post.body)
    for passage in quoted_passages(post.body):
        target = _quoted_paragraph(post.prompt.course, passage.href)
        if target is None:
            continue
        reading_id, paragraph = target
        quote = Quote.objects.create(
            post=post,
            reading_id=reading_id,
            paragraph_number=paragraph.number,
            exact=passage.text[:5000],
            **_context(paragraph.text, passage.text),
        )
        html = html.replace(f'href="{passage.href}"', f'href="{quote_url(post, quote)}"', 1)
    return html


def quote_url(post, quote):
    return reverse(
        "discussions:quote-source", kwargs={"course": post.prompt.course.slug, "pk": quote.pk}
    )


def _quoted_paragraph(course, href):
    """The (reading id, paragraph) a link points to, if it is a paragraph of a reading
    assigned in this course."""
    parts = urlsplit(href)
    if not parts.fragment.startswith("p-") or not parts.fragment[2:].isdigit():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "reading-detail" or match.kwargs.get("course") != course.slug:
        return None
    paragraph = (
        Paragraph.objects.filter(
            reading__slug=match.kwargs["reading"],
            reading__assignments__course=course,
            number=int(parts.fragment[2:]),
        )
        .only("reading_id", "number", "text")
        .first()
    )
    return (paragraph.reading_id, paragraph) if paragraph else None


def _context(text, exact):
    index = text.find(exact)
    if index < 0:
        return {"prefix": "", "suffix": ""}
    end = index + len(exact)
    return {
        "prefix": text[max(0, index - CONTEXT_CHARS) : index],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


# Participation


def _locked_participation(prompt, user):
    Participation.objects.get_or_create(prompt=prompt, user=user)
    return Participation.objects.select_for_update().get(prompt=prompt, user=user)


def ensure_participation(access, user):
    """The viewer's participation in the prompt (``access`` from ``get_prompt_access``): the one
    loaded with the access, else one made now, so a first visit has a row to record."""
    if access.participation is not None:
        return access.participation
    participation, _ = Participation.objects.get_or_create(prompt=access.prompt, user=user)
    return participation


@transaction.atomic
def recompute_participation(*, prompt, user):
    """Recount the student's participation in the prompt from their live posts."""
    return _recompute(_locked_participation(prompt, user), prompt, user)


def _recompute(participation, prompt, user):
    live = list(
        Post.objects.filter(prompt=prompt, author=user, deleted_at__isnull=True)
        .select_related("parent", "root")
        .order_by("created_at", "id")
    )
    # Only what classmates can read counts: a held or hidden post opens no gate and meets no
    # requirement, exactly as if it were deleted, until it is approved or shown again.
    posts = [p for p in live if p.held_at is None and p.hidden_at is None]
    was_met_at = participation.met_at or participation.was_met_at
    responses = [p for p in posts if p.parent_id is None]
    qualifying = [p for p in responses if p.word_count >= prompt.min_words]
    # A reply counts when it answers a classmate (another student), outside the student's own
    # thread, and each classmate counts once.
    classmates, counted = [], set()
    for post in posts:
        parent = post.parent
        if (
            parent is not None
            and parent.author_id != user.pk
            and parent.author_role == Role.STUDENT
            and post.root.author_id != user.pk
            and parent.author_id not in counted
        ):
            counted.add(parent.author_id)
            classmates.append(post)
    response_met = _met(qualifying, prompt.required_responses)
    replies_met = _met(classmates, prompt.required_replies)
    participation.responses = len(responses)
    participation.qualifying_responses = len(qualifying)
    participation.replies = len(posts) - len(responses)
    participation.classmates_replied_to = len(classmates)
    participation.words = sum(p.word_count for p in posts)
    participation.response_words = sum(p.word_count for p in responses)
    participation.response_met_by = response_met
    participation.response_met_at = response_met.created_at if response_met else None
    participation.replies_met_by = replies_met
    participation.replies_met_at = replies_met.created_at if replies_met else None
    all_met = participation.meets(prompt)
    moments = [m.created_at for m in (response_met, replies_met) if m is not None]
    participation.met_at = max(moments) if all_met and moments else None
    participation.was_met_at = None if all_met else was_met_at
    # From when classmates could first read it: an approved post's approval, not its writing.
    participation.unlocked_at = min((p.published_at for p in qualifying), default=None)
    participation.last_posted_at = live[-1].created_at if live else None
    participation.save()
    return participation


def _met(posts, required):
    """The post that completed the requirement, if it is complete and needs a post."""
    if required == 0 or len(posts) < required:
        return None
    return posts[required - 1]


# Visits


def record_visit(*, participation, now, anything_new):
    """Note this visit on the person's participation (already loaded by the page), unless
    nothing in the prompt was published since the last one: moving the mark would change no
    "new" marker or count, and most views of a thread would otherwise be writes."""
    if participation.last_visited_at is None or anything_new:
        participation.last_visited_at = now
        Participation.objects.filter(pk=participation.pk).update(last_visited_at=now)
