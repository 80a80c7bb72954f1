"""The thread's posts as HTML, built in Python.

A thread can hold thousands of posts, and the template engine's per-variable cost made the
page many times slower than looping over the posts' stored HTML. So the per-post markup is
assembled here, with every value escaped; the page template stays in charge of everything
around it. A test renders a thread of every kind of post both here and through a plain
reference template (tests/discussions/thread_reference.html) and compares the two: change
them together, and keep both in step with the CSS classes in site.css.
"""

from html import escape

from destalin import times
from discussions.models import HIDDEN_BY
from discussions.thread.posts import NOT_SHOWN

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
# Minutes and seconds as two digits, looked up: an f-string's ":02d" cost more than the rest
# of a post's times.
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


def render_posts(posts, *, csrf_token, course):
    """The ``<li>`` of each post (``ThreadPost``s from ``read_thread``), joined; times in the
    viewer's zone for ``course`` (destalin.times; tests/core/test_times.py holds this format
    to the helper's). A viewer whose own zone is not the course's gets both readings, from the
    helper."""
    zone = times.viewer_zone(course)
    page = _Page(csrf_token=escape(csrf_token), zone=zone)
    page.course = course
    page.two_zones = zone.key != times.course_zone(course).key
    return "".join([page.post(post) for post in posts])


def thread_times(moment, zone, days):
    """An aware datetime as the thread shows it in ``zone``: (exact, short), e.g.
    ("Monday, March 2, 2026, 9:05:07 PM EST", "Mar 2, 9:05 PM"). Formatted by hand, with
    each day's names made once per page in ``days`` (a dict the page keeps): strftime was a
    noticeable share of a long thread's time."""
    local = moment.astimezone(zone)
    day = local.toordinal()
    names = days.get(day)
    if names is None:
        month = _MONTHS[local.month]
        names = days[day] = (
            f"{_DAYS[local.weekday()]}, {month} {local.day}, {local.year}",
            f"{month[:3]} {local.day}",
        )
    hour = local.hour
    half = "AM" if hour < 12 else "PM"
    clock = f"{hour % 12 or 12}:{_TWO_DIGITS[local.minute]}"
    return (
        f"{names[0]}, {clock}:{_TWO_DIGITS[local.second]} {half} {local.tzname()}",
        f"{names[1]}, {clock} {half}",
    )


class _Page:
    """What every post of one page shares: the form token, the zone, each day's names and
    each author's escaped name and badge, made once."""

    def __init__(self, *, csrf_token, zone):
        self.csrf_token = csrf_token
        self.zone = zone
        self.days = {}
        self.authors = {}

    def post(self, post):
        anchor = f"post-{post.pk}"
        classes = (
            "post"
            + (" post--deleted" if post.deleted_at else "")
            + (" post--hidden" if post.hidden or post.held else "")
            + (" post--new" if post.is_new else "")
        )
        head = (
            f'<li class="post-item indent-{post.indent}">'
            f'<article class="{classes}" id="{anchor}" aria-labelledby="{anchor}-by">'
        )
        if not post.readable:
            if post.deleted_at:
                text = "This post was deleted."
            elif post.hidden:
                text = f"{HIDDEN_BY[post.hidden_by_role]}."
            else:
                text = "A post you cannot see yet."
            return (
                f'{head}<h3 class="post__author post__placeholder" id="{anchor}-by">{text}</h3>'
                "</article></li>"
            )
        author = self.authors.get((post.author_name, post.author_role))
        if author is None:
            author = self.authors[post.author_name, post.author_role] = _author(post)
        name, badge = author
        replying = (
            f' <span class="post__replying">replying to {_named(post.replying_to)}</span>'
            if post.replying_to
            else ""
        )
        # Times and marks inline, not in a method of their own: a call per post shows on a
        # long thread.
        if self.two_zones:
            exact = times.show(post.created_at, "exact", course=self.course)
            short = times.show(post.created_at, "moment", course=self.course)
        else:
            exact, short = thread_times(post.created_at, self.zone, self.days)
        utc = post.created  # the query's text, in UTC: sliced, not formatted, for speed
        meta = [
            f'<a href="{post.links["permalink"]}" class="post__time"><time datetime="'
            f'{utc[:10]}T{utc[11:19]}Z" title="{exact}">{short}</time></a>'
        ]
        if post.edited_at:
            edited = times.show(post.edited_at, "exact", course=self.course)
            meta.append(f'<span title="Edited {edited}">edited</span>')
        if post.is_late:
            meta.append('<span class="late">late</span>')
        if post.is_new:
            meta.append('<strong class="new">new</strong>')
        if post.edited_by_moderator:
            meta.append("edited by the instructor")
        if post.deleted_at:
            meta.append("<strong>deleted</strong>")
        if post.pinned:
            meta.append("<strong>pinned</strong>")
        if post.endorsed:
            meta.append('<strong class="endorsed">endorsed by the instructor</strong>')
        if post.locked:
            meta.append("thread locked")
        return (
            f'{head}<header class="post__header"><h3 class="post__author" id="{anchor}-by">'
            f'{name}{badge}{replying}</h3><p class="post__meta">{" · ".join(meta)}</p></header>'
            f'{_moderation(post)}<div class="post__body prose">{post.body_html}</div>'
            f"{self._actions(post.links, name)}</article></li>"
        )

    def _actions(self, links, name):
        actions = []
        if "reply" in links:
            actions.append(
                f'<a href="{links["reply"]}">Reply<span class="visually-hidden"> to {name}</span>'
                "</a>"
            )
        if "edit" in links:
            actions.append(
                f'<a href="{links["edit"]}">Edit<span class="visually-hidden"> your post</span></a>'
            )
        if "history" in links:
            actions.append(f'<a href="{links["history"]}">History</a>')
        if "moderate" in links:
            actions.append(
                f'<a href="{links["moderate"]}">Moderate<span class="visually-hidden"> '
                f"{name}'s post</span></a>"
            )
        if "flag" in links:
            actions.append(
                f'<a href="{links["flag"]}">Flag<span class="visually-hidden"> {name}\'s post'
                "</span></a>"
            )
        if "delete" in links:
            # A page that asks first: a student cannot undo a deletion.
            actions.append(
                f'<a href="{links["delete"]}">Delete<span class="visually-hidden"> {name}\'s '
                "post</span></a>"
            )
        if "restore" in links:
            actions.append(
                f'<form method="post" action="{links["restore"]}"><input type="hidden" '
                f'name="csrfmiddlewaretoken" value="{self.csrf_token}">'
                '<button type="submit" class="link-button">Restore</button></form>'
            )
        if not actions:
            return ""
        return f'<div class="post__actions actions no-print">{"".join(actions)}</div>'


def _named(replying_to):
    # A name is people's text, isolated; "a post not shown" is ours.
    if replying_to == NOT_SHOWN:
        return replying_to
    return f"<bdi>{escape(replying_to)}</bdi>"


def _author(post):
    badge = (
        f' <span class="badge badge--role">{escape(post.get_author_role_display())}</span>'
        if post.author_role != "student"
        else ""
    )
    return f"<bdi>{escape(post.author_name)}</bdi>", badge


def _moderation(post):
    """What the author and moderators are told about a post classmates cannot see, or about
    an edit of it they cannot see yet."""
    if post.hidden:
        reason = f": {escape(post.hidden_reason)}" if post.hidden_reason else "."
        return f'<p class="notice post__notice">{HIDDEN_BY[post.hidden_by_role]}{reason}</p>'
    if post.held:
        return '<p class="notice post__notice">Awaiting review: classmates do not see it yet.</p>'
    if post.edit_pending:
        return (
            '<p class="notice post__notice">An edit awaits review: classmates read this '
            "version until it is approved.</p>"
        )
    return ""
