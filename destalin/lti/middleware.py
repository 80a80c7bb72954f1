"""Framing for LTI: platforms show tools inside their own pages (Canvas and Moodle do by
default), while every other page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY``.

A page may be framed only by registered platforms: the LTI endpoints by any registered
platform's origins, and the pages of a session that an LTI launch signed in by that one
platform's origins. Such a session's cookie is ``SameSite=None; Secure`` (over HTTPS), which a
frame on another site needs; every other session keeps ``SameSite=Lax``.
"""

from django.conf import settings
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from destalin.lti.models import PlatformPolicy, origin_of

LTI_PREFIX = "/lti/"


def _registered_origins():
    origins = set()
    for tool in LtiTool.objects.filter(is_active=True).select_related("policy"):
        policy = getattr(tool, "policy", None) or PlatformPolicy(tool=tool)
        origins.update(policy.origins())
    return sorted(origins)


class LtiFramingMiddleware:
    """Placed after CSPMiddleware and before SessionMiddleware, so that its response work
    runs after the session cookie is set and before the CSP header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        state = session.get("lti") if session is not None else None
        if hasattr(request, "lti_frame_origins"):
            origins = [o for o in request.lti_frame_origins if o]
        elif request.path.startswith(LTI_PREFIX):
            origins = _registered_origins()
        elif state:
            origins = [o for o in state.get("origins", []) if origin_of(o) == o]
        else:
            return response
        if origins:
            response._csp_replace = {"frame-ancestors": origins}
            if "X-Frame-Options" in response:
                del response["X-Frame-Options"]
        cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if state and cookie is not None and request.is_secure():
            cookie["samesite"] = "None"
            cookie["secure"] = True
        return response
