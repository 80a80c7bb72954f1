"""LTI 1.3 endpoints: the tool's keys and configuration, OIDC login initiation, the launch,
and deep linking (LTI 1.3 Core 5; Deep Linking 2.0). Platforms post here from other sites,
so these views are public and exempt from CSRF; each checks what the spec says instead."""

import logging

import jwt
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool
from pylti1p3.exception import LtiException, OIDCException

from destalin.lti import (
    deep_links,
    keys,
    launches,
    permissions,
    platform_storage,
    selectors,
    services,
    tasks,
)
from destalin.lti.models import (
    LtiContext,
    PlatformPolicy,
    RegistrationLink,
    RegistrationStatus,
    origin_of,
)
from destalin.selectors import get_course_access

log = logging.getLogger("destalin.lti")

SESSION_KEY = "lti"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _error(request, message, reason, status=400):
    log.warning("LTI refused %s: %s", request.path, reason)
    return render(request, "lti/error.html", {"message": message}, status=status)


@login_not_required
@require_GET
def jwks(request):
    """The tool's public keys, every key not yet retired (so a rotation never breaks a
    platform that cached the previous one)."""
    return JsonResponse(keys.public_jwks())


@login_not_required
@require_GET
def configuration(request):
    """The tool's configuration as Canvas reads it for a developer key ("Paste JSON"):
    Canvas's LTI 1.3 configuration format, the same URLs Moodle asks for by hand."""
    return JsonResponse(keys.canvas_configuration(request))


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def oidc_login(request):
    """Third-party initiated login: check the issuer and client, then send the browser to
    the platform's OIDC endpoint with a fresh state and nonce. Inside a frame that blocks
    cookies, the state and nonce go to the platform's storage where it offers one
    (``platform_storage``), else the page offers to continue the same launch in a new
    window."""
    params = request.POST if request.method == "POST" else request.GET
    target = params.get("target_link_uri", "")
    if not target.startswith(request.build_absolute_uri(reverse("lti:launch"))):
        return _error(
            request,
            "This link does not lead to Destalin's launch page. Ask the platform's "
            "administrator to check the tool's settings.",
            f"target_link_uri {target!r}",
        )
    try:
        oidc = launches.OidcLogin(request)
        oidc.validate_oidc_login()  # refuse an unknown platform before the cookie check
        storage = platform_storage.offered(params)
        if storage and not params.get("lti1p3_new_window"):
            oidc.offer_platform_storage(storage, target)
        return oidc.enable_check_cookies().redirect(target)
    except (LtiException, OIDCException) as error:
        return _error(
            request,
            "This learning platform is not registered with Destalin, or the link is "
            "incomplete. Ask the site's administrators to register it.",
            f"{type(error).__name__}: {error}",
        )


def _storage_check(request):
    """``(held, page)``: the launch held for the platform's storage that has just proven its
    state (or None for any other launch), or the page to answer with instead: the page that
    asks the storage, or a refusal."""
    if platform_storage.CHECK in request.POST:
        held = platform_storage.take_launch(request.POST[platform_storage.CHECK])
        if held is None:
            return None, _error(
                request,
                "This launch took too long to check, or was used already. Go back to your "
                "course in the learning platform and open the link again.",
                "platform storage check: key unknown, used or expired",
            )
        return held, None
    if not platform_storage.needs_check(request):
        return None, None
    try:
        page = platform_storage.hold_launch(request.POST)
    except (ValueError, jwt.PyJWTError) as error:
        return None, _error(
            request,
            "This launch could not be checked, so it was refused. Go back to your course in "
            "the learning platform and open the link again.",
            f"platform storage check: {error}",
        )
    return None, render(request, "lti/storage_check.html", page)


@login_not_required
@csrf_exempt
@require_POST
def launch(request):
    """The platform's signed launch: check it, sign the person in, and open the course, the
    prompt the link names, or the deep-linking picker. In a frame without cookies whose
    platform offers its storage, the state is proven through that storage first, and the
    person continues in a new window (``platform_storage``)."""
    held, page = _storage_check(request)
    if page is not None:
        return page
    try:
        checked = launches.validate(request, held)
        body = checked.get_launch_data()
        tool = LtiTool.objects.get(issuer=body["iss"], client_id=checked.get_client_id())
        user, context, link = services.enter_launch(tool=tool, body=body)
    except launches.LaunchError as error:
        return _error(request, error.message, error.reason)
    except services.LaunchRefused as refused:
        return _error(request, refused.message, refused.message, status=403)
    policy, _ = PlatformPolicy.objects.get_or_create(tool=tool)
    session = {
        "tool": tool.pk,
        "origins": policy.origins(),
        "launch": checked.get_launch_id(),
        "context": context.pk,
        "cookieless": held is not None,
    }
    transaction.on_commit(lambda: tasks.schedule_sync(context.pk))
    if checked.is_deep_link_launch():
        destination = reverse("lti:deep-link")
    else:
        destination = deep_links.destination(context, link, body)
    if held is not None:
        token = platform_storage.continuation(
            {"user": user.pk, "session": session, "destination": destination}
        )
        return render(request, "lti/storage_continue.html", {"token": token})
    login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = session
    return redirect(destination)


@login_not_required
@csrf_exempt
@require_POST
def continue_launch(request, token):
    """The new window a launch proven through the platform's storage continues in: the
    person is signed in as the launch said, once (the form that posts here is in the
    launch's page alone; a frame without cookies could keep no session)."""
    data = platform_storage.take_continuation(token)
    if data is None:
        return _error(
            request,
            "This link has expired or was used already. Open the tool again from your course "
            "in the learning platform.",
            "continuation unknown, used or expired",
            status=404,
        )
    user = get_object_or_404(get_user_model(), pk=data["user"], is_active=True)
    login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = data["session"]
    return redirect(data["destination"])


@require_http_methods(["GET", "POST"])
def deep_link(request):
    """The instructor picks what to place in the platform's course; the signed answer goes
    back to the platform. Only someone who teaches the launch's course may place its items."""
    state = request.session.get(SESSION_KEY) or {}
    context = get_object_or_404(
        LtiContext.objects.select_related("course", "tool"), pk=state.get("context")
    )
    access = get_course_access(request.user, context.course.slug)
    try:
        permissions.check_place_items(access.role)
        checked = launches.restore(
            request, state.get("launch", ""), cookieless=state.get("cookieless", False)
        )
        deep_links.check_launch(checked, user=request.user, context=context)
    except PermissionDenied as denied:
        return _error(request, str(denied), f"user {request.user.pk}: {denied}", status=403)
    except launches.LaunchError as error:
        return _error(request, error.message, error.reason)
    items = deep_links.items_of(context.course)
    page = {"course": context.course, "items": items.values()}
    if request.method == "GET":
        return render(request, "lti/deep_link.html", page)
    chosen = [items[key] for key in request.POST.getlist("item") if key in items]
    if not chosen:
        return render(request, "lti/deep_link.html", {**page, "error": True}, status=400)
    answer = {
        "return_url": deep_links.return_url(checked),
        "jwt": deep_links.response_jwt(request, checked, chosen),
    }
    return render(request, "lti/deep_link_return.html", answer)


@require_http_methods(["GET", "POST"])
def roster_sync(request, course):
    """The course's link with its platform: the roster's last sync, each linked prompt's
    scores (sent, waiting, failed), and buttons to sync the roster and send scores now
    (the work runs in the task worker)."""
    access = get_course_access(request.user, course)
    context = get_object_or_404(LtiContext.objects.select_related("tool"), course=access.course)
    try:
        permissions.check_sync_roster(access.role)
    except PermissionDenied as denied:
        return render(request, "403.html", {"exception": str(denied)}, status=403)
    if request.method == "POST":
        if request.POST.get("action") == "roster":
            tasks.sync_roster.enqueue(context.pk)
            messages.success(request, "The roster sync is queued; reload in a minute.")
        else:
            tasks.send_scores.enqueue(context.pk)
            messages.success(request, "Sending scores is queued; reload in a minute.")
        return redirect("lti:roster-sync", course=course)
    page = {
        "course": access.course,
        "context": context,
        "links": selectors.link_statuses(context),
    }
    return render(request, "lti/course.html", page)


@login_not_required
@require_GET
def register(request, token):
    """LTI Dynamic Registration: the platform opens this one-time address (from the admin)
    with its ``openid_configuration``; the worker registers, and this page follows it and
    tells the platform when it is done (``org.imsglobal.lti.close``)."""
    link = RegistrationLink.objects.filter(token=token).first()
    if link is None or (
        link.status != RegistrationStatus.DONE and link.expires_at < timezone.now()
    ):
        return _error(
            request,
            "This registration address is unknown or has expired. Ask the site's "
            "administrators for a new one.",
            f"registration token {token[:6]}… unknown or expired",
            status=404,
        )
    configuration = request.GET.get("openid_configuration", "")
    if configuration and link.status in {RegistrationStatus.NEW, RegistrationStatus.FAILED}:
        if not origin_of(configuration):
            return _error(
                request,
                "The platform sent no usable configuration address.",
                f"openid_configuration {configuration!r}",
            )
        link.openid_configuration = configuration
        link.registration_token = request.GET.get("registration_token", "")
        link.status, link.error = RegistrationStatus.QUEUED, ""
        link.save(update_fields=["openid_configuration", "registration_token", "status", "error"])
        tasks.register_platform.enqueue(link.pk)
        link.refresh_from_db()
    # The platform shows this page in its own frame; it is the only one that may.
    request.lti_frame_origins = [origin_of(link.openid_configuration)]
    return render(request, "lti/register.html", {"link": link, "statuses": RegistrationStatus})
