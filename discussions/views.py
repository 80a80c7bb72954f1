"""The thread page: a prompt with its thread, posting a response or a reply, and the reply
form. Prompts are managed in ``prompt_views``, single posts in ``post_views``, and editing
or deleting a post in ``moderation.editing``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from destalin.forms import as_id, status_of
from destalin.markdown import render_text
from discussions import permissions, selectors, services
from discussions.forms import PostForm
from discussions.models import PATH_WIDTH, Post
from discussions.thread_html import thread_response


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
    if parent is not None:
        locked = permissions.why_thread_is_locked(
            access.role, is_locked=selectors.is_thread_locked(parent)
        )
        if locked:
            raise PermissionDenied(locked)
    publishing = form.is_valid() and request.POST.get("action") != "preview"
    too_fast = publishing and _posting_too_fast(request, access)
    if too_fast:
        form.add_error(None, f"{too_fast} Your text is still here.")
        if parent is not None:
            return _reply_page(request, access, parent, form, status=429)
        return _thread_page(request, access, form=form, status=429)
    if publishing:
        try:
            post = services.post_reply(
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


def _posting_too_fast(request, access):
    """Why a student may not post yet (per minute, then per hour), or None; teachers are never
    limited. Only attempts the minute allows count against the hour."""
    if permissions.can_moderate(access.role):
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
    prompt, now = access.prompt, timezone.now()
    participation = services.ensure_participation(access, request.user)
    # Site staff read everything, even in a course where they are enrolled as a student.
    reads_all = access.teaching or request.user.is_staff
    items, anything_new = selectors.thread(
        prompt=prompt,
        user=request.user,
        participation=participation,
        since=participation.last_visited_at,
        now=now,
        reads_all=reads_all,
    )
    services.record_visit(participation=participation, now=now, anything_new=anything_new)
    _decorate(items, request.user, access, participation, now)
    closed = permissions.why_posting_is_closed(access.role, prompt, now, participation)
    return thread_response(
        request,
        "discussions/prompt_detail.html",
        {
            "course": access.course,
            "prompt": prompt,
            "items": items,
            "first_new": next((post for post in items if post.is_new), None),
            "pinned": [
                post for post in items if post.readable and post.pinned and not post.deleted_at
            ],
            "checklist": None
            if access.teaching
            else selectors.checklist(prompt=prompt, participation=participation),
            "participation": participation,
            "due": permissions.due_of(prompt, participation),
            "closes": permissions.closing_of(prompt, participation),
            "withheld": None
            if access.teaching
            else selectors.withheld_notice(prompt=prompt, participation=participation, now=now),
            "closed": closed,
            "form": form,
            "preview": preview,
            "teaching": access.teaching,
            "can_see_history": permissions.can_see_history(access.role),
        },
        posts=items,
        csrf_token=get_token(request),
        closed=closed,
        status=status,
    )


def _decorate(items, user, access, participation, now):
    """Give each post of the thread its times as text and the links the viewer may follow,
    with URLs built from one reversed pattern each rather than reversed per post."""
    course, prompt = access.course.slug, access.prompt.pk
    marker = 2_147_483_647

    def pattern(name, **kwargs):
        return reverse(name, kwargs={**kwargs, "course": course, "pk": marker}).replace(
            str(marker), "{}", 1
        )

    post_url = pattern("discussions:post")
    edit_url, delete_url = pattern("discussions:post-edit"), pattern("discussions:post-delete")
    restore_url = pattern("discussions:post-restore")
    history_url = pattern("discussions:post-history")
    moderate_url, flag_url = pattern("discussions:post-moderate"), pattern("discussions:post-flag")
    moderating = permissions.can_moderate(access.role)
    locked = {post.pk for post in items if post.depth == 0 and post.locked}
    replies_when_locked = not permissions.why_thread_is_locked(access.role, is_locked=True)
    reply_url = reverse(
        "discussions:reply", kwargs={"course": course, "pk": prompt, "post": marker}
    ).replace(str(marker), "{}", 1)
    history = permissions.can_see_history(access.role)
    graded = selectors.graded_posts(prompt=access.prompt, user=user, participation=participation)
    zone = timezone.get_current_timezone()
    days = {}
    viewer_id = user.pk  # read once: request.user is a lazy object, slow per attribute
    for post in items:
        links = post.links
        _times(post, zone, days)
        links["permalink"] = post_url.format(post.pk)
        if not post.readable:
            continue
        deleted = post.deleted_at is not None
        if not deleted and (
            replies_when_locked or not locked or int(post.path[:PATH_WIDTH]) not in locked
        ):
            links["reply"] = reply_url.format(post.pk)
        if moderating:
            links["moderate"] = moderate_url.format(post.pk)
        elif post.author_id != viewer_id and not deleted:
            links["flag"] = flag_url.format(post.pk)
        if post.author_id == viewer_id:  # only authors edit or delete; skip the checks otherwise
            in_locked = int(post.path[:PATH_WIDTH]) in locked
            if permissions.can_edit_post(
                user, access.role, post, now, participation, is_locked=in_locked
            ):
                links["edit"] = edit_url.format(post.pk)
            if permissions.can_delete_post(
                user,
                access.role,
                post,
                now,
                participation,
                has_replies=post.has_replies,
                is_graded=post.pk in graded,
                is_locked=in_locked,
            ):
                links["delete"] = delete_url.format(post.pk)
        if deleted and permissions.can_restore_post(access.role, post):
            links["restore"] = restore_url.format(post.pk)
        if history and post.edited_at:
            links["history"] = history_url.format(post.pk)


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _times(post, zone, days):
    """Give a post its time as the page shows it. Formatted by hand, with each day's names
    made once per page (``days``): strftime was a noticeable share of a long thread's time."""
    local = post.created_at.astimezone(zone)
    day = local.toordinal()
    names = days.get(day)
    if names is None:
        month = _MONTHS[local.month]
        names = days[day] = (
            f"{_DAYS[local.weekday()]}, {month} {local.day}, {local.year}",
            f"{month[:3]} {local.day}",
        )
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    clock = f"{hour}:{local.minute:02d}"
    post.exact_time = f"{names[0]}, {clock}:{local.second:02d} {half} {local.tzname()}"
    post.short_time = f"{names[1]}, {clock} {half}"
    if post.edited_at:
        post.edited_time = post.edited_at.astimezone(zone).strftime("%A, %B %-d, %Y, %-I:%M %p")


def _quoted(request, access):
    """The reply form's starting text when arriving from "Quote in a discussion": the
    passage as a block quote with its source."""
    passage = selectors.quoted_passage(course=access.course, params=request.GET)
    if passage is None:
        return ""
    paragraph, text = passage
    return selectors.quote_markdown(course=access.course, paragraph=paragraph, text=text)
