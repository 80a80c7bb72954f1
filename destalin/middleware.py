import time
import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from destalin import times

# Refresh the idle clock at most this often, so a busy session is not rewritten on every request.
_TOUCH_EVERY = 300


class SessionLifetimeMiddleware:
    """Sign people out after SESSION_IDLE_SECONDS idle or SESSION_ABSOLUTE_SECONDS in all:
    classrooms share computers, and a forgotten session must not last the day."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("started_at", now)
            seen = session.get("seen_at", now)
            if (
                now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - seen > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
                messages.info(request, "Your session ended. Please sign in again.")
                return redirect_to_login(request.get_full_path())
            if now - seen >= _TOUCH_EVERY or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Signed-in pages carry grades and students' writing: no shared or browser caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
            patch_vary_headers(response, ["Cookie"])
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features the site never uses, for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NormalizeTextMiddleware:
    """Everything people send in a form is stored NFC, whichever way their keyboard composed
    it ("é" as one character or as "e" plus a combining acute), so text compares, sorts,
    counts and searches as it reads. Passwords are left exactly as typed: their hashes were
    made from the bytes sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.POST:
            data = request.POST.copy()
            for key, values in data.lists():
                if "password" not in key:
                    data.setlist(key, [unicodedata.normalize("NFC", v) for v in values])
            data._mutable = False
            request.POST = data
        return self.get_response(request)


class TimeZoneMiddleware:
    """Show times in the signed-in person's own zone when they chose one (destalin.times);
    Django's current zone follows it, for the admin and anything else of Django's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        name = user.time_zone if user.is_authenticated else ""
        token = times.activate_personal(name)
        if name:
            timezone.activate(times.zone(name))
        try:
            return self.get_response(request)
        finally:
            times.reset_personal(token)
            timezone.deactivate()
