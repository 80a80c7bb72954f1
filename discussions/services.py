"""Writes in discussions about prompts and each person's participation in them (posts are
``discussions.post_services``). Each service is one transaction."""

from copy import copy

from django.db import transaction
from django.db.models import BooleanField, Case, Count, Max, When
from django.utils import timezone

from destalin.markdown import render_text
from destalin.models import Role
from destalin.text import by_name
from discussions import audit
from discussions.models import (
    AuditAction,
    NoteTarget,
    Participation,
    Post,
    Prompt,
    Visibility,
)
from discussions.permissions import due_of
from readings.models import Paragraph

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
    "min_words", "required_responses", "required_replies", "required_sections", "hold_posts",
    "is_published",
)  # fmt: skip
RULES = ("min_words", "required_responses", "required_replies", "required_sections", "due_at")
# What decides grades or who sees what: a change to any of these goes into the audit log.
GOVERNING = (
    "opens_at", "due_at", "cutoff_at", "points_possible", "reveal_mode", "min_words",
    "required_responses", "required_replies", "required_sections", "hold_posts", "is_published",
)  # fmt: skip


def _refresh_participations(prompt):
    participations = Participation.objects.select_for_update().filter(prompt=prompt)
    for participation in participations.select_related("user"):
        _mark_lateness(prompt, participation)
        count_participation(participation, prompt, participation.user)


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
    participation = lock_participation(prompt, student)
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
    return count_participation(participation, prompt, student)


# Participation


def lock_participation(prompt, user):
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
    return count_participation(lock_participation(prompt, user), prompt, user)


def count_participation(participation, prompt, user):
    live = list(
        Post.objects.filter(prompt=prompt, author=user, deleted_at__isnull=True)
        .select_related("parent", "root")
        .order_by("created_at", "id")
    )
    # Only what classmates can read counts: a held or hidden post opens no gate and meets no
    # requirement, exactly as if it were deleted, until it is approved or shown again.
    # A private note is its author's alone: no one could grade it or be shown it.
    posts = [
        p
        for p in live
        if p.held_at is None and p.hidden_at is None and p.visibility != Visibility.PRIVATE
    ]
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
    response_met, participation.sections_annotated = _notes_met(prompt, qualifying)
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


def _notes_met(prompt, qualifying):
    """The response (or note) that completed the response requirement, and for an annotation
    assignment how many sections of the reading its qualifying notes are spread over: the
    requirement is met by the first note at which both the count and the spread are."""
    if not prompt.is_annotation:
        return _met(qualifying, prompt.required_responses), 0
    targets = dict(
        NoteTarget.objects.filter(post__in=qualifying).values_list("post_id", "block_key")
    )
    section_of = dict(
        Paragraph.objects.filter(
            reading_id=prompt.reading_id, key__in=set(targets.values())
        ).values_list("key", "section_id")
    )
    sections, met = set(), None
    for count, note in enumerate(qualifying, start=1):
        sections.add(section_of.get(targets.get(note.pk)))
        sections.discard(None)
        if (
            met is None
            and count >= prompt.required_responses
            and (len(sections) >= prompt.required_sections)
        ):
            met = note
    needed = prompt.required_responses or prompt.required_sections
    return (met if needed else None), len(sections)


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
