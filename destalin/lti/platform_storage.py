"""A launch inside a platform's frame that may keep no cookie: the OIDC ``state`` and
``nonce`` kept in the platform's storage instead, through postMessages (1EdTech "LTI OIDC
Login with LTI Client Side postMessages" and "LTI Client Side postMessages: Platform
Storage", ``lti.put_data`` / ``lti.get_data``, as Canvas implements them). Neither pylti1p3
(nor its fork) nor any maintained Python library has it; the browser's half is
``static/destalin/lti.js``.

A platform that offers its storage names the frame to talk to in ``lti_storage_target``, in
the login initiation and again in the launch. Then:

1. Login: the page tries a cookie first (a frame that may keep one goes on as always). If it
   may not, it stores ``state`` and ``nonce`` in the platform's storage (``lti.put_data``,
   addressed to the origin of the platform's OIDC endpoint only) and goes on to the platform;
   where that fails too, it offers the same launch in a new window (pylti1p3's check).
2. Launch: without the state cookie, the posted launch is kept here for a few minutes under a
   one-time key, and a page asks the platform's storage for the state and the nonce the
   id_token names (``lti.get_data``). Only when both are there does it post the key back, and
   the launch is checked as any other, its state taken as proven. The key is in that page
   alone, which no other site can read; a launch forced on a browser by someone else finds
   nothing in that browser's storage and stops there.
3. Such a frame cannot keep a session either, so the signed-in person continues in a new
   window through a one-time link (``continue``), as after pylti1p3's cookie check.
"""

import secrets

import jwt
from django.core.cache import cache
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from destalin.lti.models import origin_of

TARGET = "lti_storage_target"
CHECK = "lti_storage_check"
# Seconds a launch waits for its storage check, and a continuation link lives.
SECONDS = 300
_CHECK_KEY = "lti-storage-check-"
_CONTINUE_KEY = "lti-continue-"


def offered(params):
    """The frame the platform named for its storage, or "" (``params``: GET or POST)."""
    return params.get(TARGET, "")[:100]


def needs_check(request):
    """Whether a posted launch must prove its state through the platform's storage: the
    platform offers it and the browser sent no state cookie."""
    state = request.POST.get("state", "")
    # pylti1p3's state cookie: "lti1p3-" and the state.
    return bool(offered(request.POST)) and bool(state) and f"lti1p3-{state}" not in request.COOKIES


def platform_origin(issuer, client_id):
    """The origin the platform's storage answers from (its OIDC endpoint's), by the
    registration of ``issuer`` and ``client_id``; "" for an unknown platform."""
    tools = LtiTool.objects.filter(issuer=issuer, is_active=True)
    if client_id:
        tools = tools.filter(client_id=client_id)
    tool = tools.first()
    return origin_of(tool.auth_login_url) if tool else ""


def hold_launch(post):
    """Keep a posted launch for its storage check; returns the page's facts: the one-time
    ``check`` key, the ``state`` and ``nonce`` to ask for, the ``origin`` to ask, the frame
    (``target``). The id_token is read without checking it here: only its nonce is used, as
    a key to ask for; the launch is checked in full afterwards. Raises ValueError for a
    token that cannot be read or names no platform registered here."""
    id_token = post.get("id_token", "")
    body = jwt.decode(id_token, options={"verify_signature": False})
    aud = body.get("aud")
    client_id = aud if isinstance(aud, str) else (aud or [""])[0]
    origin = platform_origin(body.get("iss", ""), client_id)
    if not origin or not body.get("nonce"):
        raise ValueError(f"no registered platform or nonce in {body.get('iss')!r}")
    check = secrets.token_urlsafe(32)
    form = {"id_token": id_token, "state": post.get("state", ""), TARGET: offered(post)}
    cache.set(_CHECK_KEY + check, form, SECONDS)
    return {
        "check": check,
        "state": form["state"],
        "nonce": body["nonce"],
        "origin": origin,
        "target": form[TARGET],
    }


def _take(key):
    # The delete that removed the key is the one use: two requests racing for it cannot
    # both have it.
    data = cache.get(key)
    return data if data is not None and cache.delete(key) else None


def take_launch(check):
    """The launch held under ``check``, once (None when unknown, used or expired)."""
    return _take(_CHECK_KEY + check)


def continuation(data):
    """A one-time key under which ``data`` (who signed in, and where to) waits for the new
    window."""
    token = secrets.token_urlsafe(32)
    cache.set(_CONTINUE_KEY + token, data, SECONDS)
    return token


def take_continuation(token):
    """What waits under ``token``, once (None when unknown, used or expired)."""
    return _take(_CONTINUE_KEY + token)
