"""A post outside its thread: its permanent address and its earlier versions."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from discussions import permissions, post_selectors, selectors


@require_GET
def post_permalink(request, course, pk):
    """A post's permanent address: its place in the thread. A post the reader will see once
    they have posted (or at the due date) says so, rather than a bare 404."""
    try:
        post, access = selectors.get_post_access(request.user, course, pk)
    except Http404:
        withheld = post_selectors.why_post_is_withheld(request.user, course, pk, timezone.now())
        if withheld is None:
            raise
        prompt, notice = withheld
        context = {"course": prompt.course, "prompt": prompt, "notice": notice}
        return render(request, "discussions/post_withheld.html", context, status=403)
    return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")


@require_GET
def post_history(request, course, pk):
    """Every version of a post, newest first (the graded one is never lost)."""
    post, access = selectors.get_post_access(request.user, course, pk)
    permissions.check_see_history(access.role)
    return render(
        request,
        "discussions/post_history.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "post": post,
            "revisions": post.revisions.select_related("replaced_by").order_by("-created_at"),
        },
    )
