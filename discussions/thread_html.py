"""The thread's posts as HTML, built in Python.

A thread can hold thousands of posts, and the template engine's per-variable cost made the
page many times slower than looping over the posts' stored HTML. So the per-post markup is
assembled here, with every value escaped; the page template stays in charge of everything
around it. Keep this markup in step with the CSS classes in site.css.
"""

import secrets
from html import escape

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Holds the posts' place in the page until the template has run; unguessable, so no text in
# the page can be mistaken for it.
SLOT = f"<!--posts {secrets.token_hex(16)}-->"


def thread_response(request, template_name, context, *, posts, csrf_token, closed, status):
    """The page, with the posts joined in after the template has run: passed through the
    template, a long thread's megabyte of HTML was copied again at every level of nesting."""
    page = render_to_string(template_name, {**context, "posts_html": mark_safe(SLOT)}, request)
    before, _, after = page.partition(SLOT)
    return HttpResponse(
        [before, render_posts(posts, csrf_token=csrf_token, closed=closed), after], status=status
    )


def render_posts(posts, *, csrf_token, closed):
    authors = {}  # each author's name and badge, escaped once per page
    return "".join([_post(post, csrf_token, closed, authors) for post in posts])


def _post(post, csrf_token, closed, authors):
    links = post.links
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
            text = "Hidden by the instructor."
        else:
            text = "A post you cannot see yet."
        return (
            f'{head}<h3 class="post__author post__placeholder" id="{anchor}-by">{text}</h3>'
            "</article></li>"
        )
    author = authors.get((post.author_name, post.author_role))
    if author is None:
        author = authors[post.author_name, post.author_role] = _author(post)
    name, badge = author
    replying = (
        f' <span class="post__replying">replying to {escape(post.replying_to)}</span>'
        if post.replying_to
        else ""
    )
    meta = [
        f'<a href="{links["permalink"]}" class="post__time"><time datetime="{post.created_iso}" '
        f'title="{post.exact_time}">{post.short_time}</time></a>'
    ]
    if post.edited_at:
        meta.append(f'<span title="Edited {post.edited_time}">edited</span>')
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
        f"{name}{badge}{replying}</h3>"
        f'<p class="post__meta">{" · ".join(meta)}</p></header>{_moderation(post)}'
        f'<div class="post__body prose">{post.body_html}</div>'
        f"{_actions(links, name, csrf_token, closed)}</article></li>"
    )


def _author(post):
    badge = (
        f' <span class="badge badge--role">{escape(post.get_author_role_display())}</span>'
        if post.author_role != "student"
        else ""
    )
    return escape(post.author_name), badge


def _moderation(post):
    """What the author and moderators are told about a post classmates cannot see, or about
    an edit of it they cannot see yet."""
    if post.hidden:
        reason = f": {escape(post.hidden_reason)}" if post.hidden_reason else "."
        return f'<p class="notice post__notice">Hidden by the instructor{reason}</p>'
    if post.held:
        return '<p class="notice post__notice">Awaiting review: classmates do not see it yet.</p>'
    if post.edit_pending:
        return (
            '<p class="notice post__notice">An edit awaits review: classmates read this '
            "version until it is approved.</p>"
        )
    return ""


def _actions(links, name, csrf_token, closed):
    actions = []
    if "reply" in links and not closed:
        actions.append(
            f'<a href="{links["reply"]}">Reply<span class="visually-hidden"> to {name}</span></a>'
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
    for key, label in (("delete", "Delete"), ("restore", "Restore")):
        if key in links:
            actions.append(
                f'<form method="post" action="{links[key]}"><input type="hidden" '
                f'name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
                f'<button class="link-button">{label}</button></form>'
            )
    if not actions:
        return ""
    return f'<div class="post__actions actions no-print">{"".join(actions)}</div>'
