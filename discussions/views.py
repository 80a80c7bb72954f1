"""Prompts and their threads: reading, posting, editing, deleting, history, extensions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from destalin.forms import as_id, posted, status_of
from destalin.markdown import render_text
from destalin.selectors import get_course_access
from discussions import permissions, selectors, services
from discussions.forms import ExtensionForm, PostForm, PromptForm
from discussions.models import PATH_WIDTH, Post, Prompt
from discussions.moderation import services as moderation
from discussions.thread_html import thread_response


@require_http_methods(["GET", "POST"])
def prompt_create(request, course):
    """Write a new prompt (saved as a draft unless published)."""
    access = get_course_access(request.user, course)
    permissions.check_manage_prompts(access.role)
    return _prompt_form(request, access, Prompt(course=access.course))


@require_http_methods(["GET", "POST"])
def prompt_edit(request, course, pk):
    """Edit a prompt's text, readings and rules."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    return _prompt_form(request, access, access.prompt)


def _prompt_form(request, access, prompt):
    course = access.course
    form = PromptForm(
        posted(request),
        instance=prompt,
        course=course,
        can_set_hold=permissions.can_set_hold(access.role, course),
    )
    if form.is_valid():
        prompt = services.save_prompt(
            prompt=form.save(commit=False),
            readings=form.cleaned_data["readings"],
            by=request.user,
        )
        state = "published" if prompt.is_published else "saved as a draft"
        messages.success(request, f"“{prompt}” was {state}.")
        return redirect(prompt)
    return render(
        request,
        "discussions/prompt_form.html",
        {"course": course, "form": form, "prompt": prompt if prompt.pk else None},
        status=status_of(form),
    )


@require_POST
def prompt_publish(request, course, pk):
    """Publish a draft, or take a prompt back to draft."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    publish = request.POST.get("publish") != "0"
    services.set_published(prompt=access.prompt, is_published=publish, by=request.user)
    messages.success(
        request, "Published." if publish else "Back to draft: students no longer see it."
    )
    return redirect(access.prompt)


@require_POST
def prompt_move(request, course, pk):
    """Move a prompt up or down the course page."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        messages.error(request, "Say whether to move the prompt up or down.")
    else:
        services.move_prompt(prompt=access.prompt, offset=offset)
    return redirect(access.course)


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
    participation = selectors.get_participation(access, request.user)
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
    participation = selectors.get_participation(access, request.user)
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
    participation = selectors.get_participation(access, request.user)
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


def _post_access(request, course, pk):
    return selectors.get_post_access(request.user, course, pk)


@require_GET
def post_permalink(request, course, pk):
    """A post's permanent address: its place in the thread."""
    post, access = _post_access(request, course, pk)
    return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")


@require_http_methods(["GET", "POST"])
def post_edit(request, course, pk):
    """Edit one's own post; the previous version is kept."""
    post, access = _post_access(request, course, pk)
    participation = selectors.get_participation(access, request.user)
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
    post = services.edit_post(post=post, editor=request.user, body=body)
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


@require_POST
def post_delete(request, course, pk):
    """Delete one's own post: its place in the thread stays, its text goes."""
    post, access = _post_access(request, course, pk)
    has_replies = post.replies.filter(
        deleted_at__isnull=True, hidden_at__isnull=True, held_at__isnull=True
    ).exists()
    participation = selectors.get_participation(access, request.user)
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
    if post.author_id != request.user.pk:
        moderation.delete_post(post=post, by=request.user)
        messages.success(request, "The post was deleted. It can be restored for 30 days.")
    else:
        services.delete_post(post=post, by=request.user)
        messages.success(request, "Your post was deleted.")
    return redirect(access.prompt)


@require_POST
def post_restore(request, course, pk):
    """Bring back a deleted post."""
    post, access = _post_access(request, course, pk)
    permissions.check_restore_post(access.role, post)
    moderation.restore_post(post=post, by=request.user)
    messages.success(request, "The post is back.")
    return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")


@require_GET
def post_history(request, course, pk):
    """Every version of a post, newest first (the graded one is never lost)."""
    post, access = _post_access(request, course, pk)
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


@require_GET
def prompt_progress(request, course, pk):
    """Every student's standing in the prompt: posts, requirements, when each was met."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    return render(
        request,
        "discussions/prompt_progress.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "standings": selectors.standings(prompt=access.prompt),
        },
    )


@require_http_methods(["GET", "POST"])
def extensions(request, course, pk):
    """Give a student a later due date and cut-off."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    students = selectors.students_of(access.course)
    form = ExtensionForm(posted(request), students=students)
    if form.is_valid():
        services.grant_extension(
            prompt=access.prompt,
            student=form.cleaned_data["student"],
            due_at=form.cleaned_data["due_at"],
            cutoff_at=form.cleaned_data["cutoff_at"],
            granted_by=request.user,
        )
        messages.success(request, f"Extension saved for {form.cleaned_data['student']}.")
        return redirect("discussions:extensions", course=course, pk=pk)
    return render(
        request,
        "discussions/extensions.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "form": form,
            "granted": selectors.extensions_of(access.prompt),
        },
        status=status_of(form),
    )
