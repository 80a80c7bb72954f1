"""Reads for the discussion pages, each in a fixed number of queries."""

import re
from dataclasses import dataclass

from django.db.models import (
    F,
    FilteredRelation,
    Q,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from destalin import times
from destalin.forms import as_id, is_slug
from destalin.permissions import STAFF, TEACHING_ROLES
from discussions import permissions
from discussions.models import (
    Participation,
    Post,
    Prompt,
    PromptKind,
    RevealMode,
    Visibility,
    classmates_revealed,
)
from readings.models import Paragraph


@dataclass(frozen=True)
class PromptAccess:
    prompt: Prompt
    role: str
    # The viewer's participation in the prompt, if they have one yet (see ensure_participation).
    participation: Participation | None = None

    @property
    def course(self):
        return self.prompt.course

    @property
    def teaching(self):
        return self.role in TEACHING_ROLES


def get_prompt_access(user, course_slug, pk):
    """The prompt with its course, the viewer's role and participation, in one query; 404 for
    non-members and, for students, for drafts."""
    # Joins rather than subqueries: the role and the participation are at most one row each
    # (one membership per person and course, one participation per person and prompt), and a
    # subquery cost more to compile than the rest of the query.
    mine = Q(participations__user=user.pk)
    membership = Q(course__memberships__user=user.pk, course__memberships__removed_at__isnull=True)
    # Unordered: first() would order by the models' default ordering, which for one row by
    # primary key only costs time to compile.
    prompt = next(
        iter(
            Prompt.objects.annotate(
                membership=FilteredRelation("course__memberships", condition=membership),
                viewer_role=F("membership__role"),
                participation=FilteredRelation("participations", condition=mine),
            )
            .select_related("course", "participation")
            .filter(pk=pk, course__slug=course_slug)
            .order_by()[:1]
        ),
        None,
    )
    if prompt is None:
        raise Http404("No such discussion.")
    viewer_role = prompt.viewer_role or (STAFF if user.is_staff else None)
    if viewer_role is None or not (prompt.is_published or viewer_role in TEACHING_ROLES):
        raise Http404("No such discussion.")
    # Set only when the viewer has a participation (the join found a row).
    participation = getattr(prompt, "participation", None)
    if participation is not None:
        participation.prompt = prompt
    return PromptAccess(prompt=prompt, role=viewer_role, participation=participation)


def graded_posts(*, prompt, user, participation, now=None):
    """Ids of the person's posts in the prompt that a released grade was given for (their
    author may no longer delete them). Before release nothing may hint that a grade exists,
    and a deletion is soft, so the grader keeps the text. No query unless the prompt is
    graded and they have posted."""
    if not prompt.is_graded or participation is None or participation.last_posted_at is None:
        return frozenset()
    posts = Post.objects.filter(
        prompt=prompt, author=user, grade_released_at__lte=now or timezone.now()
    )
    return frozenset(posts.values_list("pk", flat=True))


def is_thread_locked(post):
    """Whether the thread a post belongs to is locked (the lock sits on its response)."""
    root = post.root if post.root_id else post
    return root.locked_at is not None


def get_post_access(user, course_slug, pk):
    """A post the viewer may see, with its prompt, course and the viewer's role; 404 for
    anything else."""
    post = (
        Post.objects.visible_to(user)
        .select_related("prompt__course", "author", "root", "parent__author")
        .filter(pk=pk, prompt__course__slug=course_slug)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    access = get_prompt_access(user, course_slug, post.prompt_id)
    post.prompt = access.prompt
    return post, access


@dataclass(frozen=True)
class Requirement:
    label: str
    is_met: bool
    detail: str
    met_at: object
    was_met_at: object
    is_late: bool


def checklist(*, prompt, participation):
    """The rules of the prompt as a student's checklist."""
    due = permissions.due_of(prompt, participation)
    items = []
    if prompt.required_responses:
        words = f"{participation.response_words} words"
        if prompt.min_words:
            words += f" (at least {prompt.min_words} each)"
        one, many = ("Note", "Notes") if prompt.is_annotation else ("Response", "Responses")
        items.append(
            Requirement(
                label=one if prompt.required_responses == 1 else many,
                is_met=participation.qualifying_responses >= prompt.required_responses,
                detail=(
                    f"{participation.qualifying_responses} of {prompt.required_responses}, {words}"
                    + _short(participation, prompt)
                ),
                met_at=participation.response_met_at,
                was_met_at=participation.was_met_at,
                is_late=_late(participation.response_met_at, due),
            )
        )
    if prompt.required_sections:
        items.append(
            Requirement(
                label="Sections annotated",
                is_met=participation.sections_annotated >= prompt.required_sections,
                detail=(
                    f"{participation.sections_annotated} of {prompt.required_sections}, "
                    "with a note long enough in each"
                ),
                met_at=participation.response_met_at,
                was_met_at=participation.was_met_at,
                is_late=_late(participation.response_met_at, due),
            )
        )
    if prompt.required_replies:
        items.append(
            Requirement(
                label="Replies to classmates",
                is_met=participation.classmates_replied_to >= prompt.required_replies,
                detail=(
                    f"{participation.classmates_replied_to} of {prompt.required_replies}, "
                    "to different people"
                ),
                met_at=participation.replies_met_at,
                was_met_at=participation.was_met_at,
                is_late=_late(participation.replies_met_at, due),
            )
        )
    return items


def _short(participation, prompt):
    short = participation.responses - participation.qualifying_responses
    if prompt.min_words and short > 0:
        return f"; {short} under the minimum"
    return ""


def _late(moment, due):
    return moment is not None and due is not None and moment > due


def withheld_notice(*, prompt, participation, now):
    """Why classmates' posts are not shown to this student yet, or None if they are."""
    if classmates_revealed(prompt, participation, now):
        return None
    if prompt.reveal_mode == RevealMode.AFTER_POST:
        words = f" of at least {prompt.min_words} words" if prompt.min_words else ""
        return f"Classmates' posts appear once you have posted your own response{words}."
    if now < prompt.due_at:
        return (
            "Everyone's posts appear together when the discussion is due, "
            f"{times.show(prompt.due_at, 'deadline', course=prompt.course)}."
        )
    # Past the due date, but this student's extension runs on: they still write first.
    return (
        "Classmates' posts appear when your extension ends, "
        f"{times.show(participation.extended_due_at, 'deadline', course=prompt.course)}."
    )


def quote_markdown(*, course, paragraph, text):
    """A passage as a Markdown block quote whose last line names and links its source."""

    url = reverse(
        "reading-detail", kwargs={"course": course.slug, "reading": paragraph.reading.slug}
    )
    quoted = "\n".join(f"> {line}" if line else ">" for line in _escape(text).split("\n"))
    source = f"{paragraph.reading.title}, § {paragraph.section} ¶ {paragraph.number}"
    return f"{quoted}\n>\n> — [{_escape(source)}]({url}#{paragraph.anchor})\n\n"


def quoted_note(*, course, user, params):
    """The note in a reading's margin that a "Quote this note" link names (``note``), if the
    viewer may read it in this course and the whole course may too; else None."""
    pk = as_id(params.get("note", ""))
    if not pk:
        return None
    # Only what the whole course reads may be quoted where the whole course reads it: not a
    # note for the teachers or its author alone, nor one hidden, held or deleted.
    return (
        Post.objects.visible_to(user)
        .filter(
            pk=pk,
            prompt__course=course,
            prompt__kind=PromptKind.ANNOTATION,
            depth=0,
            visibility=Visibility.COURSE,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            held_at__isnull=True,
        )
        .select_related("author", "prompt__reading", "target")
        .first()
    )


def note_quote_markdown(*, course, note):
    """A note as a Markdown block quote whose last line names its author and passage and
    links the note."""
    url = reverse("discussions:post", kwargs={"course": course.slug, "pk": note.pk})
    quoted = "\n".join(f"> {line}" if line else ">" for line in note.body.split("\n"))
    source = (
        f"{note.author.display_name}'s note on {note.prompt.reading.title} "
        f"¶ {note.target.paragraph_number}"
    )
    return f"{quoted}\n>\n> — [{_escape(source)}]({url})\n\n"


def _escape(text):
    """Markdown-escape what would change a quotation's words (emphasis, links, code, HTML,
    entities, a list or heading marker at the start), and nothing else, so the text stays
    readable in the form."""
    text = "".join("\\" + ch if ch in "\\`*_[]<&" else ch for ch in text)
    if re.match(r"[#+>-]|\d+[.)]", text):
        text = "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def quoted_passage(*, course, params):
    """The paragraph and the words a "Quote in a discussion" link asks for (``p`` is the
    block's key, as in its anchor ``p-<key>``): the selected words if they really are in the
    paragraph, else the whole paragraph. None if the link names no paragraph of a reading
    assigned in the course."""
    slug, key = params.get("reading", ""), as_id(params.get("p", ""))
    if not is_slug(slug) or not key:
        return None
    paragraph = (
        Paragraph.objects.filter(reading__slug=slug, reading__assignments__course=course, key=key)
        .select_related("reading", "section")
        .first()
    )
    if paragraph is None:
        return None
    selected = " ".join(params.get("text", "").split())[:2000]
    return paragraph, selected if selected and selected in paragraph.text else paragraph.text
