"""Moderation: one page per post with every action, flags, the review queue, the audit log
and the course's moderation settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin import times
from destalin.csv_cells import csv_lines, csv_response, wants_bom
from destalin.forms import posted, status_of
from destalin.permissions import can_manage_course, check_manage_course
from destalin.selectors import get_course_access, teachers_of
from discussions import audit, permissions, selectors
from discussions.moderation import selectors as moderation_selectors
from discussions.moderation import services
from discussions.moderation.forms import (
    ActionForm,
    FlagForm,
    LogFilterForm,
    ModerationSettingsForm,
)

# Each action: the service that does it and what the moderator is told.
ACTIONS = {
    "hide": (lambda p, by, why: services.hide_post(post=p, by=by, reason=why),
             "The post is hidden from the class."),
    "unhide": (lambda p, by, why: services.unhide_post(post=p, by=by),
               "The post is shown to the class again."),
    "delete": (lambda p, by, why: services.delete_post(post=p, by=by, reason=why),
               "The post was deleted. It can be restored for 30 days."),
    "pin": (lambda p, by, why: services.set_pinned(post=p, by=by, pinned=True),
            "The post is pinned to the top of the discussion."),
    "unpin": (lambda p, by, why: services.set_pinned(post=p, by=by, pinned=False),
              "The post is no longer pinned."),
    "endorse": (lambda p, by, why: services.set_endorsed(post=p, by=by, endorsed=True),
                "The post is endorsed."),
    "unendorse": (lambda p, by, why: services.set_endorsed(post=p, by=by, endorsed=False),
                  "The endorsement was withdrawn."),
    "lock": (lambda p, by, why: services.set_thread_locked(post=p, by=by, locked=True),
             "The thread is locked: no new replies."),
    "unlock": (lambda p, by, why: services.set_thread_locked(post=p, by=by, locked=False),
               "The thread takes replies again."),
    "approve": (lambda p, by, why: services.approve_post(post=p, by=by),
                "Approved: the class now reads this text."),
    "decline": (lambda p, by, why: services.decline_edit(post=p, by=by, reason=why),
                "The edit was declined; the approved text stays."),
    "keep": (lambda p, by, why: services.keep_post(post=p, by=by),
             "The post stays as it is; its flags are closed."),
}  # fmt: skip


LOG_PAGE = 100


def _moderated_post(request, course, pk):
    post, access = selectors.get_post_access(request.user, course, pk)
    permissions.check_moderate(access.role)
    return post, access


@require_http_methods(["GET", "POST"])
def post_moderate(request, course, pk):
    """Every moderation action on one post, with the post in context and its open flags."""
    post, access = _moderated_post(request, course, pk)
    form = ActionForm(posted(request), post=post, actions=ACTIONS)
    if request.method == "POST":
        permissions.check_course_open(access.course)
    if form.is_valid():
        act, done = ACTIONS[form.cleaned_data["action"]]
        try:
            act(post, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, done)
            target = _next(request) or f"{access.prompt.get_absolute_url()}#{post.anchor}"
            return redirect(target)
    return render(
        request,
        "discussions/moderation/post.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "post": post,
            "form": form,
            "flags": post.flags.filter(resolved_at__isnull=True),
            "is_thread_locked": selectors.is_thread_locked(post),
            "can_restore": post.is_deleted and permissions.can_restore_post(access.role, post),
            # Where the moderator came from (the review queue), to go back there after.
            "next": _next(request),
        },
        status=status_of(form),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@require_POST
def prompt_lock(request, course, pk):
    """Lock a whole discussion (no new posts; existing ones stay), or unlock it."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_moderate(access.role)
    permissions.check_course_open(access.course)
    locked = request.POST.get("locked") == "1"
    services.set_prompt_locked(prompt=access.prompt, by=request.user, locked=locked)
    messages.success(
        request, "The discussion is locked." if locked else "The discussion is open again."
    )
    return redirect(access.prompt)


@require_http_methods(["GET", "POST"])
def post_flag(request, course, pk):
    """Report a post to the course's moderators."""
    post, access = selectors.get_post_access(request.user, course, pk)
    permissions.check_flag_post(request.user, access.role, post)
    if request.method == "POST":
        permissions.check_course_open(access.course)
    form = FlagForm(posted(request))
    if form.is_valid():
        try:
            services.flag_post(
                post=post,
                by=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you: the moderators will look at this post.")
            return redirect(f"{access.prompt.get_absolute_url()}#{post.anchor}")
    return render(
        request,
        "discussions/moderation/flag.html",
        {"course": access.course, "prompt": access.prompt, "post": post, "form": form},
        status=status_of(form),
    )


@require_GET
def review_queue(request, course):
    """Flagged and held posts, oldest first, each in context with one-click actions."""
    access = get_course_access(request.user, course)
    permissions.check_moderate(access.role)
    return render(
        request,
        "discussions/moderation/queue.html",
        {
            "course": access.course,
            "items": moderation_selectors.review_queue(course=access.course),
            "can_manage": can_manage_course(access.role),
        },
    )


def _log(request, access):
    people = teachers_of(access.course)
    form = LogFilterForm(request.GET, people=people)
    actor = action = None
    if form.is_valid():
        actor = next((p for p in people if p.pk == form.cleaned_data["actor"]), None)
        action = form.cleaned_data["action"]
    return form, audit.entries(course=access.course, actor=actor, action=action)


@require_GET
def audit_log(request, course):
    """Every moderation and grading action in the course, for its instructors."""
    access = get_course_access(request.user, course)
    check_manage_course(access.role)
    form, entries = _log(request, access)
    page = Paginator(entries, LOG_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "discussions/moderation/log.html",
        {"course": access.course, "form": form, "page": page, "query": filters.urlencode()},
    )


@require_GET
def audit_log_csv(request, course):
    """The audit log, filtered as on its page, as a CSV (formula-safe), streamed."""
    access = get_course_access(request.user, course)
    check_manage_course(access.role)
    _, entries = _log(request, access)
    header = ["when", "who", "action", "prompt", "post", "student", "reason", "before", "after"]

    def rows():
        yield header
        for e in entries.iterator(chunk_size=500):
            yield [
                times.iso(e.created_at, access.course), e.actor.display_name if e.actor else "",
                e.get_action_display(), e.prompt.title if e.prompt else "", e.post_id or "",
                e.student.display_name if e.student else "", e.reason, e.before, e.after,
            ]  # fmt: skip

    return csv_response(
        csv_lines(rows()), filename=f"{access.course.slug}-audit.csv", bom=wants_bom(request)
    )


@require_http_methods(["GET", "POST"])
def moderation_settings(request, course):
    """Hold every new post for review, and the course's word list."""
    access = get_course_access(request.user, course)
    check_manage_course(access.role)
    if request.method == "POST":
        permissions.check_course_open(access.course)
    form = ModerationSettingsForm(posted(request), instance=access.course)
    if form.is_valid():
        services.save_settings(
            course=access.course,
            by=request.user,
            hold_posts=form.cleaned_data["hold_posts"],
            word_list=form.cleaned_data["word_list"],
        )
        messages.success(request, "Moderation settings saved.")
        return redirect("discussions:review-queue", course=course)
    return render(
        request,
        "discussions/moderation/settings.html",
        {"course": access.course, "form": form},
        status=status_of(form),
    )
