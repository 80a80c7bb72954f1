"""Writes in discussions about posts: publishing a response or a reply with its quotes,
editing (with versions, and pending edits under pre-moderation), deleting and restoring. Each
service is one transaction; mail goes out only after it commits."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from destalin.markdown import quoted_passages, render_text
from destalin.text import count_words
from discussions import notifications, services
from discussions.holds import hold_reason
from discussions.models import (
    MAX_DEPTH,
    PATH_WIDTH,
    Post,
    PostRevision,
    Prompt,
    PromptKind,
    Quote,
    Visibility,
)
from discussions.permissions import due_of
from readings.anchors import Passage, describe
from readings.models import Paragraph

DUPLICATE_WINDOW = timedelta(minutes=1)


@transaction.atomic
def post_reply(
    *, prompt, author, role, body, parent=None, now=None, visibility=None, is_question=False
):
    """Publish a response (no parent) or a reply, with its quotes; update the author's
    participation, the counters, and notify after commit.

    ``visibility`` (a ``Visibility``) and ``is_question`` are for notes in a reading's margin
    (an annotation prompt); a reply takes its note's visibility, whatever is asked. Raises
    ``ValidationError`` for text that shows no word, a duplicate, a wrong parent, or a
    visibility other than the course's on a discussion."""
    now = now or timezone.now()
    body = body.strip()
    # Locks in one order everywhere, prompt then participation, so posting never deadlocks
    # with an instructor editing the rules; the due date is read under the lock.
    prompt.due_at, prompt.min_words = (
        Prompt.objects.select_for_update().values_list("due_at", "min_words").get(pk=prompt.pk)
    )
    # One lock per author and prompt: a double submit waits here, then sees the first post.
    participation = services.lock_participation(prompt, author)
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
        visibility = parent.visibility
    visibility = visibility or Visibility.COURSE
    if prompt.kind != PromptKind.ANNOTATION and (visibility != Visibility.COURSE or is_question):
        raise ValidationError(
            "Only notes in a reading's margin can be private or questions.", code="visibility"
        )
    words = _own_words(body)
    due = due_of(prompt, participation)
    held = hold_reason(
        prompt=prompt, role=role, body=body, private=visibility == Visibility.PRIVATE
    )
    post = Post.objects.create(
        prompt=prompt,
        author=author,
        author_role=role,
        parent=parent,
        root=parent.root if parent is not None and parent.root_id else parent,
        depth=parent.depth + 1 if parent is not None else 0,
        body=body,
        visibility=visibility,
        is_question=is_question and parent is None,
        word_count=words,
        # The minimum of the post's day: a rule raised later applies to new posts only.
        min_words_at_posting=prompt.min_words,
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
    services.count_participation(participation, prompt, author)
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
    held = (
        hold_reason(
            prompt=post.prompt,
            role=post.author_role,
            body=body,
            private=post.visibility == Visibility.PRIVATE,
        )
        if by_author
        else ""
    )
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
    services.recompute_participation(prompt=post.prompt, user=post.author)
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
    services.recompute_participation(prompt=post.prompt, user=post.author)
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
    services.recompute_participation(prompt=post.prompt, user=post.author)
    return post


@transaction.atomic
def restore_post(*, post):
    if not post.is_deleted:
        return post
    post.deleted_at = None
    post.deleted_by = None
    post.save(update_fields=["deleted_at", "deleted_by"])
    Prompt.objects.filter(pk=post.prompt_id).update(post_count=F("post_count") + 1)
    services.recompute_participation(prompt=post.prompt, user=post.author)
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
        exact = passage.text[:5000]
        # Words not (or no longer) in the paragraph keep no context and no position: their
        # anchor then says "changed" rather than pointing at other words.
        anchor = describe(paragraph.key, paragraph.text, exact) or Passage(
            block=paragraph.key, exact=exact, prefix="", suffix="", start=0, end=0
        )
        quote = Quote.of_passage(
            anchor, post=post, reading_id=reading_id, paragraph_number=paragraph.number
        )
        quote.save()
        html = html.replace(f'href="{passage.href}"', f'href="{quote_url(post, quote)}"', 1)
    return html


def quote_url(post, quote):
    return reverse(
        "discussions:quote-source", kwargs={"course": post.prompt.course.slug, "pk": quote.pk}
    )


def _quoted_paragraph(course, href):
    """The (reading id, paragraph) a link points to (``#p-<key>``), if it is a paragraph of a
    reading assigned in this course."""
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
            key=int(parts.fragment[2:]),
        )
        .only("reading_id", "number", "key", "text")
        .first()
    )
    return (paragraph.reading_id, paragraph) if paragraph else None
