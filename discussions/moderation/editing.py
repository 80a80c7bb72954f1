"""Editing, deleting and restoring a post, by its author or by a moderator. Each page
chooses between the author's own change (a discussions service) and a moderator's audited
one (a moderation service), which is why these pages live here, above discussions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from destalin.forms import posted, status_of
from destalin.markdown import render_text
from discussions import permissions, post_services, selectors, services
from discussions.forms import PostForm
from discussions.moderation import services as moderation


@require_http_methods(["GET", "POST"])
def post_edit(request, course, pk):
    """Edit one's own post (the previous version is kept; under pre-moderation the edit waits
    for review), or a moderator's edit of anyone's."""
    post, access = selectors.get_post_access(request.user, course, pk)
    participation = services.ensure_participation(access, request.user)
    permissions.check_edit_post(
        request.user,
        access.role,
        post,
        timezone.now(),
        participation,
        is_locked=selectors.is_thread_locked(post),
    )
    is_author = post.author_id == request.user.pk
    # The author goes on from their edit awaiting review, not from the approved text.
    pending = is_author and post.pending_at is not None
    form = PostForm(posted(request), initial={"body": post.pending_body if pending else post.body})
    preview = None
    if form.is_valid():
        if request.POST.get("action") == "preview":
            preview = render_text(form.cleaned_data["body"])
        else:
            try:
                post = _save_edit(request, post, form.cleaned_data["body"], is_author=is_author)
            except ValidationError as error:
                form.add_error("body", error)
            else:
                return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")
    return render(
        request,
        "discussions/post_edit.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "post": post,
            "pending": pending,
            "is_own": is_author,
            "form": form,
            "preview": preview,
        },
        status=status_of(form),
    )


def _save_edit(request, post, body, *, is_author):
    if not is_author:
        moderation.edit_post(post=post, by=request.user, body=body)
        messages.success(request, "The post was edited; the author's version is kept.")
        return post
    post = post_services.edit_post(post=post, editor=request.user, body=body)
    if post.pending_at:
        messages.info(
            request,
            f"Your edit awaits review; classmates read the approved version until then. "
            f"{post.pending_reason}",
        )
    elif post.held_at:
        messages.info(request, f"Your post was updated and awaits review. {post.held_reason}")
    else:
        messages.success(request, "Your post was updated; the earlier version is kept.")
    return post


@require_http_methods(["GET", "POST"])
def post_delete(request, course, pk):
    """Delete a post, after a page that asks (GET) whether to: a student cannot undo it.
    Its place in the thread stays, its text goes."""
    post, access = selectors.get_post_access(request.user, course, pk)
    has_replies = post.replies.filter(
        deleted_at__isnull=True, hidden_at__isnull=True, held_at__isnull=True
    ).exists()
    participation = services.ensure_participation(access, request.user)
    permissions.check_delete_post(
        request.user,
        access.role,
        post,
        timezone.now(),
        participation,
        has_replies=has_replies,
        is_graded=post.pk
        in selectors.graded_posts(
            prompt=access.prompt, user=request.user, participation=participation
        ),
        is_locked=selectors.is_thread_locked(post),
    )
    if request.method == "GET":
        context = {"course": access.course, "prompt": access.prompt, "post": post}
        context["is_own"] = post.author_id == request.user.pk
        return render(request, "discussions/post_delete.html", context)
    if post.author_id != request.user.pk:
        moderation.delete_post(post=post, by=request.user)
        messages.success(request, "The post was deleted. It can be restored for 30 days.")
    else:
        post_services.delete_post(post=post, by=request.user)
        messages.success(request, "Your post was deleted.")
    return redirect(access.prompt)


@require_POST
def post_restore(request, course, pk):
    """Bring back a deleted post."""
    post, access = selectors.get_post_access(request.user, course, pk)
    permissions.check_restore_post(access.role, post)
    moderation.restore_post(post=post, by=request.user)
    messages.success(request, "The post is back.")
    return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")
