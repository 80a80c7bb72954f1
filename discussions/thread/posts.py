"""The thread's posts as the viewer may see them: the one query, who reads which post, and
the links the viewer may follow from each, decided in one pass over the rows.

Why it is written this way (``make bench``, README "Performance"): the query is written out
in SQL and its rows are read as the driver returns them, skipping Django's per-value
converters; each post is one plain object, not a model instance; and who reads which post is
decided in Python for the one prompt (``PromptReader``), the rule ``readable_by`` states in
SQL for every other page (a test compares the two on every kind of post, viewer and mode).
"""

import copy
from dataclasses import dataclass, field, make_dataclass
from datetime import UTC, datetime

from django.db import connections

from destalin.links import url_format
from destalin.permissions import TEACHING_ROLES
from discussions import permissions, selectors
from discussions.models import (
    PATH_WIDTH,
    AuthorRole,
    Post,
    Visibility,
    classmates_revealed,
)

# What "replying to" says of a post the viewer may not read.
NOT_SHOWN = "a post not shown"

# The thread's one query, column by column: the ThreadPost field each column fills, and its
# SQL. The query's SELECT list and ThreadPost's fields are both made from this, so they
# cannot disagree. Compiled through the ORM the query took as long to build as to run. The
# creation time comes as text, parsed here: Django has psycopg parse timestamps with a
# regular expression in Python, slower than the query.
COLUMNS = (
    ("pk", "p.id"),
    ("author_id", "p.author_id"),
    ("author_name", "u.display_name"),
    ("author_role", "p.author_role"),
    ("parent_id", "p.parent_id"),
    ("depth", "p.depth"),
    ("path", "p.path"),
    ("body_html", "p.body_html"),
    ("visibility", "p.visibility"),
    ("is_question", "p.is_question"),
    ("is_late", "p.is_late"),
    ("created", "CAST(p.created_at AS text)"),
    ("edited_at", "p.edited_at"),
    ("deleted_at", "p.deleted_at"),
    ("hidden", "p.hidden_at IS NOT NULL"),
    ("hidden_reason", "p.hidden_reason"),
    ("hidden_by_role", "p.hidden_by_role"),
    ("held", "p.held_at IS NOT NULL"),
    ("edited_by_moderator", "p.edited_by_moderator"),
    ("endorsed", "p.endorsed_at IS NOT NULL"),
    ("pinned", "p.pinned_at IS NOT NULL"),
    ("locked", "p.locked_at IS NOT NULL"),
    ("edit_pending", "p.pending_at IS NOT NULL"),
    # The query's first parameter: the viewer's last visit (NULL on a first visit).
    ("published_since", "p.published_at > %s"),
)

THREAD_SQL = f"""
    SELECT {", ".join(sql for _, sql in COLUMNS)}
    FROM discussions_post p JOIN destalin_user u ON u.id = p.author_id
    WHERE p.prompt_id = %s
    ORDER BY p.path
"""

# Filled in by the pass over the rows: the prompt, the aware creation time, whether the
# viewer reads the post, where it sits, and the links they may follow from it.
PAGE_FIELDS = (
    "prompt", "created_at", "readable", "hidden_here", "indent", "replying_to", "is_new",
    "has_replies", "links",
)  # fmt: skip

# Indentation stops here; deeper replies say whom they answer instead.
MAX_INDENT = 4


class _PostBehaviour:
    # What the permission functions and templates ask of a post, as on ``Post``.
    __slots__ = ()

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def anchor(self):
        return f"post-{self.pk}"

    def get_author_role_display(self):
        return AuthorRole(self.author_role).label


ThreadPost = make_dataclass(
    "ThreadPost",
    [name for name, _ in COLUMNS] + [(name, object, field(init=False)) for name in PAGE_FIELDS],
    bases=(_PostBehaviour,),
    slots=True,
    eq=False,
    repr=False,
)
ThreadPost.__doc__ = """One post as the viewer's thread page shows it: a row of ``COLUMNS``
(``ThreadPost(*row)``), then ``PAGE_FIELDS``. Plain rows, not model instances, because building
thousands of instances was most of a long thread's server time. Moderation marks are
booleans; the page never shows their times."""


@dataclass(frozen=True)
class Thread:
    """The thread as one viewer sees it: its posts in reading order (readable ones, and
    placeholders where readable replies hang under posts they may not read), whether anything
    was published since their last visit, and why they may not post (None if they may)."""

    posts: list
    anything_new: bool
    closed: str | None


def read_thread(*, access, user, participation, now):
    """The prompt's thread for ``user`` (``access`` from ``selectors.get_prompt_access``, with
    their ``participation``, whose last visit marks posts new). One query, and one more when a
    graded prompt must say which of the viewer's posts were graded."""
    prompt = access.prompt
    viewer_id = user.pk  # read first: it sets up request.user's lazy proxy, if not yet done
    # The proxy costs microseconds per attribute, and the permission functions read the
    # viewer once per post: they get a copy of the plain User behind it.
    user = copy.copy(user)
    # Site staff read everything, even in a course where they are enrolled as a student.
    reads_all = access.teaching or user.is_staff
    reader = PromptReader(
        user_id=viewer_id, prompt=prompt, participation=participation, now=now, reads_all=reads_all
    )
    rows, offset = _rows(prompt, participation.last_visited_at)
    posts, by_path = [], {}
    shown, answered = set(), set()
    anything_new = False
    for row in rows:
        post = ThreadPost(*row)
        posts.append(post)
        post.prompt = prompt
        post.created_at = datetime.fromisoformat(post.created + offset)
        if post.edited_at is not None:
            post.edited_at = _aware(post.edited_at)
        if post.deleted_at is not None:
            post.deleted_at = _aware(post.deleted_at)
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
            post.visibility,
            by_path[post.path[:PATH_WIDTH]].author_id,
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
            # moderator keeps its place as "Hidden by a TA" (or whoever hid it).
            path = post.path
            while path and path not in shown:
                shown.add(path)
                path = path[:-PATH_WIDTH]
    items = []
    for post in posts:
        if post.path not in shown:
            continue
        post.indent = min(post.depth, MAX_INDENT)
        post.replying_to = None
        if post.depth > MAX_INDENT:
            parent = by_path[post.path[:-PATH_WIDTH]]
            post.replying_to = parent.author_name if parent.readable else NOT_SHOWN
        post.is_new = bool(post.readable and post.published_since and post.author_id != viewer_id)
        post.has_replies = post.pk in answered
        items.append(post)
    closed = permissions.why_posting_is_closed(access.role, prompt, now, participation)
    _link(items, access=access, user=user, participation=participation, now=now, closed=closed)
    return Thread(posts=items, anything_new=anything_new, closed=closed)


def _rows(prompt, since):
    """The rows of ``THREAD_SQL``, and the offset their creation times need: PostgreSQL's
    text carries it (the connection's zone is UTC), SQLite's, in UTC, does not. On a first
    visit (``since`` None) every published post is new, as the course page counts it; a post
    never published (held) is new on no visit."""
    since = since or datetime(1970, 1, 1, tzinfo=UTC)
    connection = connections[Post.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(THREAD_SQL, [connection.ops.adapt_datetimefield_value(since), prompt.pk])
        rows = cursor.fetchall()
    return rows, "" if connection.vendor == "postgresql" else "+00:00"


def _aware(moment):
    # SQLite's driver returns naive datetimes in UTC, PostgreSQL's aware ones.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PromptReader:
    """``readable_by`` for the posts of one prompt, in Python, for the thread page.

    Within one prompt the rule depends only on the viewer's role and participation, known once per
    page, and on a few columns of each post; evaluated in SQL it cost a long thread more than
    its HTML did. Keep the two in step: a test compares them on every kind of post, viewer
    and reveal mode. ``visible`` answers as if hidden posts were not hidden, so the page can
    show a placeholder where a hidden post stands.
    """

    def __init__(self, *, user_id, prompt, participation, now, reads_all, revealed=None):
        """``revealed`` True asks what the viewer will read once classmates are revealed."""
        self.user_id = user_id
        self.reads_all = reads_all
        self.revealed = reads_all or revealed or classmates_revealed(prompt, participation, now)

    def visible(
        self,
        author_id,
        author_role,
        depth,
        parent_author_id,
        deleted,
        held,
        visibility,
        root_author_id,
    ):
        if author_id == self.user_id:
            return self.reads_all or not deleted
        if visibility == Visibility.PRIVATE:
            return False
        if self.reads_all:
            return True
        if deleted or held:
            return False
        if visibility == Visibility.TEACHERS:
            return root_author_id == self.user_id
        return self.revealed or (
            author_role in TEACHING_ROLES and (depth == 0 or parent_author_id == self.user_id)
        )

    def readable(self, visible, author_id, hidden):
        return visible and (self.reads_all or not hidden or author_id == self.user_id)


def _link(items, *, access, user, participation, now, closed):
    """Give each post the links the viewer may follow from it (``post.links``: name to URL),
    as the permission functions decide, with each URL pattern reversed once per page."""
    role, course, prompt = access.role, access.course.slug, access.prompt

    def url(name):
        return url_format(name, ["pk"], course=course)

    post_url, edit_url, delete_url = (
        url("discussions:post"), url("discussions:post-edit"), url("discussions:post-delete")
    )  # fmt: skip
    restore_url, history_url = url("discussions:post-restore"), url("discussions:post-history")
    moderate_url, flag_url = url("discussions:post-moderate"), url("discussions:post-flag")
    reply_url = url_format("discussions:reply", ["post"], course=course, pk=prompt.pk)
    moderating = permissions.can_moderate(role)
    history = permissions.can_see_history(role)
    # Replies: none anywhere once posting is closed; in a locked thread, only for those the
    # lock does not stop (the lock sits on the thread's response, first in the thread).
    replies_when_locked = not permissions.why_thread_is_locked(role, is_locked=True)
    locked = {post.pk for post in items if post.depth == 0 and post.locked}
    graded = selectors.graded_posts(prompt=prompt, user=user, participation=participation)
    viewer_id = user.pk
    for post in items:
        pk = post.pk
        links = post.links = {"permalink": post_url.format(pk)}
        if not post.readable:
            continue
        deleted = post.deleted_at is not None
        if not (closed or deleted) and (
            replies_when_locked or not locked or int(post.path[:PATH_WIDTH]) not in locked
        ):
            links["reply"] = reply_url.format(pk)
        if moderating:
            links["moderate"] = moderate_url.format(pk)
        elif permissions.can_flag_post(user, role, post):
            links["flag"] = flag_url.format(pk)
        # Edit and Delete are for one's own posts: a moderator acts on others' through
        # Moderate, which the permission functions would also allow here.
        if post.author_id == viewer_id:
            in_locked = int(post.path[:PATH_WIDTH]) in locked
            if permissions.can_edit_post(user, role, post, now, participation, is_locked=in_locked):
                links["edit"] = edit_url.format(pk)
            if permissions.can_delete_post(
                user,
                role,
                post,
                now,
                participation,
                has_replies=post.has_replies,
                is_graded=pk in graded,
                is_locked=in_locked,
            ):
                links["delete"] = delete_url.format(pk)
        if deleted and permissions.can_restore_post(role, post, now):
            links["restore"] = restore_url.format(pk)
        if history and post.edited_at:
            links["history"] = history_url.format(pk)
