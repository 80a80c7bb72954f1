"""Reads for the discussion pages, each in a fixed number of queries."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections
from django.db.models import (
    F,
    FilteredRelation,
    Q,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from destalin.forms import as_id, is_slug
from destalin.models import Role
from destalin.permissions import STAFF, TEACHING_ROLES
from discussions import permissions
from discussions.models import (
    PATH_WIDTH,
    Participation,
    Post,
    Prompt,
    PromptReader,
    RevealMode,
    classmates_revealed,
)
from readings.models import Paragraph


class ThreadPost:
    """One post as the viewer's thread page shows it: what the page needs is computed once,
    so a 1,000-post thread renders without a per-post lookup, filter or URL reversal. Plain
    rows, not model instances, because building thousands of instances was most of a long
    thread's server time. Moderation marks are booleans; the page never shows their times."""

    __slots__ = (
        "author_id", "author_name", "author_role", "body_html", "created_at", "created_iso",
        "deleted_at", "depth", "edit_pending", "edited_at", "edited_by_moderator", "edited_time",
        "endorsed", "exact_time", "has_replies", "held", "hidden", "hidden_here",
        "hidden_reason", "indent", "is_late", "is_new", "links", "locked", "parent_id", "path",
        "pinned", "pk", "prompt", "published_since", "readable", "replying_to", "short_time",
    )  # fmt: skip

    def __init__(self, row, prompt, offset):
        (
            self.pk, self.author_id, self.author_name, self.author_role, self.parent_id,
            self.depth, self.path, self.body_html, self.is_late, created, edited_at,
            deleted_at, hidden_at, self.hidden_reason, held_at, self.edited_by_moderator,
            endorsed_at, pinned_at, locked_at, self.published_since, edit_pending,
        ) = row  # fmt: skip
        self.created_at = datetime.fromisoformat(created + offset)
        self.created_iso = f"{created[:10]}T{created[11:19]}Z"
        self.edited_at = edited_at and _aware(edited_at)
        self.deleted_at = deleted_at and _aware(deleted_at)
        self.hidden = hidden_at is not None
        self.held = held_at is not None
        self.edit_pending = bool(edit_pending)
        self.endorsed = endorsed_at is not None
        self.pinned = pinned_at is not None
        self.locked = locked_at is not None
        self.prompt = prompt
        self.replying_to = None
        # Filled in by the page: times as text, and the links the viewer may follow.
        self.links = {}

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def anchor(self):
        return f"post-{self.pk}"

    def get_author_role_display(self):
        return Role(self.author_role).label


def _aware(moment):
    # SQLite's driver returns naive datetimes in UTC, PostgreSQL's aware ones.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# The thread's one query, written out: compiled through the ORM it took as long to build as
# to run. Its rows are read as the driver returns them, skipping Django's per-value
# converters, and each post's creation time comes as text to be parsed here, because Django
# has psycopg parse timestamps with a regular expression in Python, slower than the query.
THREAD_SQL = """
    SELECT p.id, p.author_id, u.display_name, p.author_role, p.parent_id, p.depth, p.path,
        p.body_html, p.is_late, CAST(p.created_at AS text), p.edited_at, p.deleted_at,
        p.hidden_at, p.hidden_reason, p.held_at, p.edited_by_moderator, p.endorsed_at,
        p.pinned_at, p.locked_at, p.published_at > %s, p.pending_at IS NOT NULL
    FROM discussions_post p JOIN destalin_user u ON u.id = p.author_id
    WHERE p.prompt_id = %s
    ORDER BY p.path
"""


def _thread_rows(prompt, since):
    """The prompt's posts in reading order (see THREAD_SQL), and the offset their creation
    times need: PostgreSQL's text carries it (the connection's zone is UTC), SQLite's, in UTC,
    does not. Whether a post was published since the last visit is NULL on a first visit."""
    connection = connections[Post.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(THREAD_SQL, [connection.ops.adapt_datetimefield_value(since), prompt.pk])
        rows = cursor.fetchall()
    return rows, "" if connection.vendor == "postgresql" else "+00:00"


# Indentation stops here; deeper replies say whom they answer instead.
MAX_INDENT = 4


@dataclass(frozen=True)
class PromptAccess:
    prompt: Prompt
    role: str
    # The viewer's standing in the prompt, if they have one yet (see ensure_participation).
    standing: Participation | None = None

    @property
    def course(self):
        return self.prompt.course

    @property
    def teaching(self):
        return self.role in TEACHING_ROLES


def get_prompt_access(user, course_slug, pk):
    """The prompt with its course, the viewer's role and standing, in one query; 404 for
    non-members and, for students, for drafts."""
    # Joins rather than subqueries: the role and the standing are at most one row each
    # (one membership per person and course, one standing per person and prompt), and a
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
                standing=FilteredRelation("participations", condition=mine),
            )
            .select_related("course", "standing")
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
    # Set only when the viewer has a standing (the join found a row).
    standing = getattr(prompt, "standing", None)
    if standing is not None:
        standing.prompt = prompt
    return PromptAccess(prompt=prompt, role=viewer_role, standing=standing)


def graded_posts(*, prompt, user, participation):
    """Ids of the person's posts in the prompt that a released grade was given for (their
    author may no longer delete them). Before release nothing may hint that a grade exists,
    and a deletion is soft, so the grader keeps the text. No query unless the prompt is
    graded and they have posted."""
    if not prompt.is_graded or participation is None or participation.last_posted_at is None:
        return frozenset()
    # Grades belong to the grading app, which builds on this one: reached by relation name.
    versions = (
        prompt.grades.released().filter(student=user).values_list("graded_versions", flat=True)
    )
    return frozenset(int(pk) for graded in versions for pk in graded)


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


def thread(*, prompt, user, participation, since, now, reads_all):
    """The prompt's posts in reading order, as the viewer may see them: readable posts in
    full; unreadable ones only where readable replies hang under them, as a placeholder. And
    whether anything in the prompt was published since the viewer's last visit. One query."""
    viewer_id = user.pk
    reader = PromptReader(
        user_id=viewer_id, prompt=prompt, participation=participation, now=now, reads_all=reads_all
    )
    rows, offset = _thread_rows(prompt, since)
    posts, by_path = [], {}
    shown, answered = set(), set()
    anything_new = False
    for row in rows:
        post = ThreadPost(row, prompt, offset)
        posts.append(post)
        anything_new = anything_new or bool(post.published_since)
        parent = by_path.get(post.path[:-PATH_WIDTH]) if post.depth else None
        by_path[post.path] = post
        visible = reader.visible(
            post.author_id,
            post.author_role,
            post.depth,
            parent and parent.author_id,
            post.deleted_at,
            post.held,
        )
        post.readable = reader.readable(visible, post.author_id, post.hidden)
        # An edit waiting for review is the author's and the moderators' business only.
        post.edit_pending = post.edit_pending and (reads_all or post.author_id == viewer_id)
        post.hidden_here = visible and not post.readable
        if post.parent_id is not None and not (post.deleted_at or post.hidden or post.held):
            # Counts even when the viewer cannot read the reply (it exists for the class),
            # but not hidden or held replies, which must not show by any sign.
            answered.add(post.parent_id)
        if post.readable or post.hidden_here:
            # The post and every ancestor keep their place in the thread (stop at the first
            # ancestor already kept: its own ancestors are kept too); a post hidden by a
            # moderator keeps its place as "Hidden by the instructor".
            path = post.path
            while path and path not in shown:
                shown.add(path)
                path = path[:-PATH_WIDTH]
    items = []
    for post in posts:
        if post.path not in shown:
            continue
        post.indent = min(post.depth, MAX_INDENT)
        if post.depth > MAX_INDENT:
            parent = by_path[post.path[:-PATH_WIDTH]]
            post.replying_to = parent.author_name if parent.readable else "a post not shown"
        post.is_new = bool(post.readable and post.published_since and post.author_id != viewer_id)
        post.has_replies = post.pk in answered
        items.append(post)
    return items, anything_new


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
        items.append(
            Requirement(
                label="Response" if prompt.required_responses == 1 else "Responses",
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
            f"{timezone.localtime(prompt.due_at):%a %b %-d, %-I:%M %p}."
        )
    # Past the due date, but this student's extension runs on: they still write first.
    return (
        "Classmates' posts appear when your extension ends, "
        f"{timezone.localtime(participation.extended_due_at):%a %b %-d, %-I:%M %p}."
    )


def quote_markdown(*, course, paragraph, text):
    """A passage as a Markdown block quote whose last line names and links its source."""

    url = reverse(
        "reading-detail", kwargs={"course": course.slug, "reading": paragraph.reading.slug}
    )
    quoted = "\n".join(f"> {line}" if line else ">" for line in _escape(text).split("\n"))
    source = f"{paragraph.reading.title}, § {paragraph.section} ¶ {paragraph.number}"
    return f"{quoted}\n>\n> — [{_escape(source)}]({url}#p-{paragraph.number})\n\n"


def _escape(text):
    """Markdown-escape what would change a quotation's words (emphasis, links, code, HTML,
    entities, a list or heading marker at the start), and nothing else, so the text stays
    readable in the form."""
    text = "".join("\\" + ch if ch in "\\`*_[]<&" else ch for ch in text)
    if re.match(r"[#+>-]|\d+[.)]", text):
        text = "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def quoted_passage(*, course, params):
    """The paragraph and the words a "Quote in a discussion" link asks for: the selected
    words if they really are in the paragraph, else the whole paragraph. None if the link
    names no paragraph of a reading assigned in the course."""
    slug, number = params.get("reading", ""), as_id(params.get("p", ""))
    if not is_slug(slug) or not number:
        return None
    paragraph = (
        Paragraph.objects.filter(
            reading__slug=slug, reading__assignments__course=course, number=number
        )
        .select_related("reading", "section")
        .first()
    )
    if paragraph is None:
        return None
    selected = " ".join(params.get("text", "").split())[:2000]
    return paragraph, selected if selected and selected in paragraph.text else paragraph.text
