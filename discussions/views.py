"""The thread page: a prompt with its thread, posting a response or a reply, and the reply
form. Prompts are managed in ``prompt_views``, single posts in ``post_views``, and editing
or deleting a post in ``moderation.editing``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from destalin.forms import as_id, status_of
from destalin.markdown import render_text
from discussions import permissions, post_services, selectors, services
from discussions.forms import PostForm
from discussions.models import Post
from discussions.thread.page import thread_page
from discussions.thread.posts import read_thread


@require_GET
def prompt_detail(request, course, pk):
    """The prompt, the student's checklist, the thread, and the response form."""
    access = selectors.get_prompt_access(request.user, course, pk)
    return _thread_page(request, access, form=PostForm(initial={"body": _quoted(request, access)}))


@require_POST
def post_create(request, course, pk):
    """Preview or publish a response or a reply."""
    access = selectors.get_prompt_access(request.user, course, pk)
    form = PostForm(request.POST)
    parent = _parent(request, access)
    participation = services.ensure_participation(access, request.user)
    closed = permissions.why_posting_is_closed(
        access.role, access.prompt, timezone.now(), participation
    )
    if closed:
        raise PermissionDenied(closed)
    if parent is None and (elsewhere := permissions.why_not_responding_here(access.prompt)):
        raise PermissionDenied(elsewhere)
    if parent is not None:
        locked = permissions.why_thread_is_locked(
            access.role, is_locked=selectors.is_thread_locked(parent)
        )
        if locked:
            raise PermissionDenied(locked)
    publishing = form.is_valid() and request.POST.get("action") != "preview"
    too_fast = publishing and posting_too_fast(request, access.role)
    if too_fast:
        form.add_error(None, f"{too_fast} Your text is still here.")
        if parent is not None:
            return _reply_page(request, access, parent, form, status=429)
        return _thread_page(request, access, form=form, status=429)
    if publishing:
        try:
            post = post_services.post_reply(
                prompt=access.prompt,
                author=request.user,
                role=access.role,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except ValidationError as error:
            form.add_error("body" if error.code in {"duplicate", "empty"} else None, error)
        else:
            if post.held_at:
                messages.info(request, f"Your post is saved and awaits review. {post.held_reason}")
            else:
                messages.success(request, "Your post is up.")
            return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")
    preview = render_text(form.cleaned_data["body"]) if form.is_valid() else None
    status = status_of(form)
    if parent is not None:
        return _reply_page(request, access, parent, form, preview, status)
    return _thread_page(request, access, form=form, preview=preview, status=status)


def posting_too_fast(request, role):
    """Why a student may not post yet (per minute, then per hour), or None; teachers are never
    limited. Only attempts the minute allows count against the hour. Posts and notes in a
    reading's margin share the limits."""
    if permissions.can_moderate(role):
        return None
    for rate, message in (
        (settings.POST_RATE_PER_MINUTE, "You are posting faster than the course allows. "
         "Wait a minute, then post again."),
        (settings.POST_RATE_PER_HOUR, "You have posted as much as the course allows in an "
         "hour. Post again later."),
    ):  # fmt: skip
        if is_ratelimited(request, group=f"post-{rate}", key="user", rate=rate, increment=True):
            return message
    return None


def _parent(request, access):
    raw = request.POST.get("parent", "")
    if not raw:
        return None
    parent = (
        Post.objects.visible_to(request.user)
        .filter(pk=as_id(raw), prompt=access.prompt)
        .select_related("author", "root")
        .first()
    )
    if parent is None:
        raise Http404("The post you are replying to is not in this discussion.")
    return parent


@require_GET
def reply_form(request, course, pk, post):
    """A reply form under the post it answers (works without JavaScript)."""
    access = selectors.get_prompt_access(request.user, course, pk)
    parent = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("author", "root"),
        pk=post,
        prompt=access.prompt,
    )
    return _reply_page(
        request, access, parent, PostForm(initial={"body": _quoted(request, access)})
    )


def _reply_page(request, access, parent, form, preview=None, status=200):
    participation = services.ensure_participation(access, request.user)
    return render(
        request,
        "discussions/reply.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "parent": parent,
            "form": form,
            "preview": preview,
            "closed": permissions.why_posting_is_closed(
                access.role, access.prompt, timezone.now(), participation
            )
            or permissions.why_thread_is_locked(
                access.role, is_locked=selectors.is_thread_locked(parent)
            ),
        },
        status=status,
    )


def _thread_page(request, access, *, form, preview=None, status=200):
    """The thread page (``discussions.thread``), noting the visit once the thread is read."""
    now = timezone.now()
    participation = services.ensure_participation(access, request.user)
    thread = read_thread(access=access, user=request.user, participation=participation, now=now)
    services.record_visit(participation=participation, now=now, anything_new=thread.anything_new)
    return thread_page(
        request,
        access,
        thread,
        participation=participation,
        now=now,
        form=form,
        preview=preview,
        status=status,
    )


def _quoted(request, access):
    """The form's starting text when arriving from "Quote in a discussion": the passage (or
    a note in a reading's margin) as a block quote with its source."""
    note = selectors.quoted_note(course=access.course, user=request.user, params=request.GET)
    if note is not None:
        return selectors.note_quote_markdown(course=access.course, note=note)
    passage = selectors.quoted_passage(course=access.course, params=request.GET)
    if passage is None:
        return ""
    paragraph, text = passage
    return selectors.quote_markdown(course=access.course, paragraph=paragraph, text=text)
