"""A post outside its thread: its permanent address and its earlier versions."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from discussions import permissions, selectors


@require_GET
def post_permalink(request, course, pk):
    """A post's permanent address: its place in the thread."""
    post, access = selectors.get_post_access(request.user, course, pk)
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
