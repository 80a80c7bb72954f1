"""The thread page: the prompt, the student's checklist, the thread and the response form."""

import secrets

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from discussions import permissions, selectors
from discussions.thread.markup import render_posts

# Holds the posts' place in the page until the template has run; unguessable, so no text in
# the page can be mistaken for it.
SLOT = f"<!--posts {secrets.token_hex(16)}-->"


def thread_page(request, access, thread, *, participation, now, form, preview=None, status=200):
    """The page for ``thread`` (from ``read_thread`` for the same viewer, ``participation``
    and ``now``), with ``form`` for a new response. The posts' HTML is joined in after the
    template has run: passed through the template, a long thread's megabyte of HTML was
    copied again at every level of nesting."""
    prompt, posts = access.prompt, thread.posts
    context = {
        "course": access.course,
        "prompt": prompt,
        "items": posts,
        "first_new": next((post for post in posts if post.is_new), None),
        "pinned": [post for post in posts if post.readable and post.pinned and not post.deleted_at],
        "checklist": None
        if access.teaching
        else selectors.checklist(prompt=prompt, participation=participation),
        "participation": participation,
        "due": permissions.due_of(prompt, participation),
        "closes": permissions.closing_of(prompt, participation),
        "withheld": None
        if access.teaching
        else selectors.withheld_notice(prompt=prompt, participation=participation, now=now),
        "closed": thread.closed,
        "respond_elsewhere": permissions.why_not_responding_here(prompt),
        "form": form,
        "preview": preview,
        "teaching": access.teaching,
        "viewer_role": access.role,
        "can_see_history": permissions.can_see_history(access.role),
        "posts_html": mark_safe(SLOT),
    }
    page = render_to_string("discussions/prompt_detail.html", context, request)
    before, _, after = page.partition(SLOT)
    posts_html = render_posts(posts, csrf_token=get_token(request), course=access.course)
    return HttpResponse([before, posts_html, after], status=status)
