"""Writes in discussions: prompts, posts and what follows a post. Each service is one
transaction; mail goes out only after it commits."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Count, F, Max, When
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from destalin.markdown import quoted_passages, render_text
from destalin.models import Role
from destalin.text import by_name, count_words
from discussions import notifications
from discussions.holds import hold_reason
from discussions.models import (
    MAX_DEPTH,
    PATH_WIDTH,
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
def save_prompt(*, prompt, readings=None, author=None):
    """Create or update a prompt from a validated form's instance, rendering its body. When
    the rules change, everyone's participation and every post's lateness follow at once."""
    prompt.body_html = render_text(prompt.body)
    prompt.updated_at = timezone.now()
    if prompt.pk is None:
        last = Prompt.objects.filter(course=prompt.course).aggregate(last=Max("position"))["last"]
        prompt.position = (last or 0) + 1
        prompt.created_by = author
        prompt.save()
    else:
        before = Prompt.objects.select_for_update().get(pk=prompt.pk)
        # Write only what editing owns: the counter and the position move concurrently (posts,
        # reordering) and a page loaded earlier must not put old values back.
        prompt.save(update_fields=[*EDITABLE, "body_html", "updated_at"])
        if any(getattr(before, f) != getattr(prompt, f) for f in RULES):
            _refresh_participations(prompt)
    if readings is not None:
        prompt.readings.set(readings)
    return prompt


EDITABLE = (
    "title", "body", "opens_at", "due_at", "cutoff_at", "points_possible", "reveal_mode",
    "min_words", "required_responses", "required_replies", "hold_posts", "is_published",
)  # fmt: skip
RULES = ("min_words", "required_responses", "required_replies", "due_at")


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


def set_published(*, prompt, is_published):
    prompt.is_published = is_published
    prompt.save(update_fields=["is_published"])
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
    """Give one student a later due date and cut-off (None clears either)."""
    participation = _locked_participation(prompt, student)
    participation.extended_due_at = due_at
    participation.extended_cutoff_at = cutoff_at
    participation.extended_by = granted_by
    participation.save(update_fields=["extended_due_at", "extended_cutoff_at", "extended_by"])
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
    prompt.due_at, prompt.min_words = (
        Prompt.objects.select_for_update().values_list("due_at", "min_words").get(pk=prompt.pk)
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
        min_words_at_posting=prompt.min_words,
        is_late=due is not None and now > due,
        created_at=now,
        published_at=now,
        held_at=now if held else None,
        held_reason=held,
    )
    post.path = (parent.path if parent is not None else "") + f"{post.pk:0{PATH_WIDTH}d}"
    post.body_html = _render_with_quotes(post)
    post.word_count = count_words(post.body_html, quotes=False)
    post.save(update_fields=["path", "body_html", "word_count"])
    Prompt.objects.filter(pk=prompt.pk).update(post_count=F("post_count") + 1)
    _recompute(participation, prompt, author)
    # Queued once the post is committed: a slow or failing mail server never touches posting.
    # A held post is announced when a moderator approves it.
    if not held:
        transaction.on_commit(lambda: notifications.notify_new_post.enqueue(post.pk), robust=True)
    return post


def _check_parent(prompt, parent):
    if parent.prompt_id != prompt.pk:
        raise ValidationError("You can only reply to posts in this discussion.", code="parent")
    if parent.is_deleted:
        raise ValidationError("That post was deleted; you cannot reply to it.", code="parent")
    if parent.depth + 1 >= MAX_DEPTH:
        raise ValidationError("This thread is too deep to reply further.", code="depth")


@transaction.atomic
def edit_post(*, post, editor, body, now=None):
    """Change a post's text, keeping the previous version."""
    now = now or timezone.now()
    body = body.strip()
    if body == post.body:
        return post
    PostRevision.objects.create(
        post=post,
        body=post.body,
        body_html=post.body_html,
        created_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=editor,
    )
    post.body = body
    post.edited_at = now
    post.quotes.all().delete()
    post.body_html = _render_with_quotes(post)
    post.word_count = count_words(post.body_html, quotes=False)
    fields = ["body", "word_count", "edited_at", "body_html"]
    if editor.pk == post.author_id:
        # The author's own words again: no longer "edited by the instructor", and a listed
        # word edited in is held like one posted.
        post.edited_by_moderator = False
        fields.append("edited_by_moderator")
        held = hold_reason(prompt=post.prompt, role=post.author_role, body=body, is_new=False)
        if held and post.held_at is None:
            post.held_at, post.held_reason = now, held
            fields += ["held_at", "held_reason"]
    post.save(update_fields=fields)
    recompute_participation(prompt=post.prompt, user=post.author)
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
    posts = list(
        Post.objects.filter(prompt=prompt, author=user, deleted_at__isnull=True)
        .select_related("parent", "root")
        .order_by("created_at", "id")
    )
    was_met_at = participation.met_at or participation.was_met_at
    responses = [p for p in posts if p.parent_id is None]
    qualifying = [p for p in responses if qualifies(p, prompt)]
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
    participation.unlocked_at = qualifying[0].created_at if qualifying else None
    participation.last_posted_at = posts[-1].created_at if posts else None
    participation.save()
    return participation


def qualifies(post, prompt):
    """Whether a response is long enough: by the minimum in force when it was posted, or by
    today's if that is lower. Rules changed mid-discussion apply to new posts; raising the
    minimum never re-locks a student whose response unlocked the thread."""
    return post.word_count >= min(post.min_words_at_posting, prompt.min_words)


def rule_change_effects(*, prompt, readings=None):
    """What saving ``prompt`` (edited, unsaved) would change in students' participation: a list
    of (student, [what changes]) for everyone affected, by name. Computed by the real rules:
    the prompt is saved and everyone recomputed inside a transaction that is then rolled back,
    so nothing is written."""

    def participation():
        late = dict(
            Post.objects.filter(prompt_id=prompt.pk, is_late=True, deleted_at__isnull=True)
            .order_by()
            .values_list("author_id")
            .annotate(n=Count("id"))
        )
        students = Participation.objects.filter(
            prompt_id=prompt.pk,
            user__memberships__course_id=prompt.course_id,
            user__memberships__role=Role.STUDENT,
        ).select_related("user")
        return {
            p.user_id: (
                p.user,
                p.met_at is not None,
                p.unlocked_at is not None,
                late.get(p.user_id, 0),
            )
            for p in students
        }

    before = participation()
    with transaction.atomic():
        save_prompt(prompt=prompt, readings=readings)
        after = participation()
        transaction.set_rollback(True)
    effects = []
    for user_id, (user, met, unlocked, late) in before.items():
        _, met_now, unlocked_now, late_now = after.get(user_id, (user, met, unlocked, late))
        what = []
        if met and not met_now:
            what.append("no longer meets the requirements")
        if not met and met_now:
            what.append("now meets the requirements")
        if unlocked and not unlocked_now:
            what.append("would no longer see classmates' posts")
        if late != late_now:
            what.append(f"late posts: {late} → {late_now}")
        if what:
            effects.append((user, what))
    return by_name(effects, name=lambda e: e[0].display_name, then=lambda e: e[0].pk)


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
