"""Checking an LTI 1.3 launch: pylti1p3 (the maintained fork, ``pylti1p3next``) checks the
state, the id_token's form and signature against the platform's JWKS, the registration, the
deployment and the message type; this module adds what it leaves out (``aud``, ``azp``,
``exp``/``iat`` required, a nonce never accepted twice) and turns every failure into one
exception with a sentence for the person and a reason for the log.

Rules: LTI 1.3 Core 5.1.3 (authentication response validation) and the IMS Security
Framework 5.1.3; OpenID Connect Core 3.1.3.7 for ``aud``/``azp``.
"""

import hashlib
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils import timezone
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.lti1p3_tool_config import DjangoDbToolConf
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.base import DisableSessionId

from destalin.lti.models import UsedNonce, origin_of

# A platform's keys are kept this long (seconds); a launch signed with a key not among them
# fetches them again once, so a platform that rotates its keys is followed at once.
PLATFORM_KEYS_SECONDS = 3600
# Seconds: an id_token older than this is refused even if the platform let it live longer
# (the OIDC flow takes seconds), and clocks may differ by this much.
MAX_TOKEN_AGE = 600
CLOCK_SKEW = 60
# Seconds to wait for a platform's server before giving up.
PLATFORM_TIMEOUT = 5


class LaunchError(Exception):
    """A launch that must not go on. ``message`` is for the person at the screen (what went
    wrong and what to do); ``reason`` is for the log (what exactly failed)."""

    def __init__(self, message, reason):
        super().__init__(reason)
        self.message = message
        self.reason = reason


class _TimedSession(requests.Session):
    """Every call to a platform gives up after PLATFORM_TIMEOUT seconds."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT)
        return super().request(*args, **kwargs)


def tool_conf():
    return DjangoDbToolConf()


class CookielessStorage(DjangoCacheDataStorage):
    """Launch data kept without pylti1p3's ``session-id`` cookie, for launches whose state
    the platform's storage proves (``platform_storage``): the keys are the random state,
    nonce and launch ids alone, which no one can guess."""

    _session_cookie_name = ""


def launch_storage(cookieless=False):
    storage = CookielessStorage if cookieless else DjangoCacheDataStorage
    return storage(cache_name="default")


class Launch(DjangoMessageLaunch):
    """pylti1p3's launch, with a timeout on platform calls and the platform's JWKS fetched
    again once when the token's ``kid`` is not in the cached set."""

    def __init__(self, request, tool_config=None, *, cookieless=False, **kwargs):
        # from_cache passes None for these: None means ours too.
        kwargs["launch_data_storage"] = kwargs.get("launch_data_storage") or launch_storage(
            cookieless
        )
        kwargs["requests_session"] = kwargs.get("requests_session") or _TimedSession()
        super().__init__(request, tool_config or tool_conf(), **kwargs)
        self.set_public_key_caching(launch_storage(), cache_lifetime=PLATFORM_KEYS_SECONDS)

    def get_public_key(self):
        try:
            return super().get_public_key()
        except LtiException:
            key_set_url = self._registration.get_key_set_url()
            if not key_set_url:
                raise
            cache_key = "key-set-url-" + hashlib.md5(key_set_url.encode()).hexdigest()
            with DisableSessionId(self._public_key_cache_data_storage):
                self._public_key_cache_data_storage.set_value(cache_key, None, 1)
            self._registration.set_key_set(None)
            return super().get_public_key()


class OidcLogin(DjangoOIDCLogin):
    """pylti1p3's login initiation; its cookie check is our page with our script (the site's
    CSP allows no inline script), linking to the same launch in a new window."""

    def __init__(self, request, cookieless=False):
        super().__init__(request, tool_conf(), launch_data_storage=launch_storage(cookieless))
        self.storage_page = {}

    def offer_platform_storage(self, target, target_link_uri):
        """Where the platform offers its storage (``lti_storage_target``): the cookie check's
        page also carries a second state and nonce, made without cookies, for the page to
        store there when the frame may keep no cookie (``platform_storage``)."""
        cookieless = OidcLogin(self._request.request, cookieless=True)
        auth_url = cookieless.get_redirect_object(target_link_uri).get_redirect_url()
        params = parse_qs(urlsplit(auth_url).query)
        registration = cookieless.validate_oidc_login()
        self.storage_page = {
            "storage_target": target,
            "storage_origin": origin_of(registration.get_auth_login_url()),
            "storage_state": params["state"][0],
            "storage_nonce": params["nonce"][0],
            "storage_auth_url": auth_url,
        }
        return self

    def get_cookies_allowed_js_check(self):
        _protocol, params = self.get_cookies_allowed_js_check_params()
        request = self._request.request
        page = {
            "protocol": "https" if request.is_secure() else "http",
            "new_window_url": f"{request.build_absolute_uri(request.path)}?{urlencode(params)}",
            **self.storage_page,
        }
        return render(request, "lti/cookie_check.html", page)


def _refuse(reason):
    raise LaunchError(
        "This launch could not be checked, so it was refused. Go back to your course in "
        "the learning platform and open the link again.",
        reason,
    )


def check_claims(body, client_id, now=None):
    """Refuse an id_token body whose audience, authorized party or times are wrong."""
    now = time.time() if now is None else now
    aud = body.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if client_id not in audiences:
        _refuse(f"aud {aud!r} does not name client {client_id!r}")
    azp = body.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        _refuse(f"azp {azp!r} is not client {client_id!r}")
    exp, iat = body.get("exp"), body.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        _refuse("exp or iat missing")
    if exp < now - CLOCK_SKEW:
        _refuse("id_token expired")
    if iat > now + CLOCK_SKEW or iat < now - MAX_TOKEN_AGE:
        _refuse(f"iat {iat} outside the accepted window")


def _use_nonce(nonce, now):
    try:
        with transaction.atomic():
            UsedNonce.objects.create(nonce=nonce, used_at=now)
    except IntegrityError:
        _refuse(f"nonce {nonce!r} was used before (replayed launch)")
    # A token older than MAX_TOKEN_AGE is refused by its iat, so older nonces can go.
    forget_before = now - timedelta(seconds=2 * (MAX_TOKEN_AGE + CLOCK_SKEW))
    UsedNonce.objects.filter(used_at__lt=forget_before).delete()


class _HeldRequest(DjangoRequest):
    """The request, its launch parameters from the held launch alone."""

    def __init__(self, request, params):
        super().__init__(request, post_only=True)
        self._params = params

    def get_param(self, key):
        return self._params.get(key)


def validate(request, held=None):
    """The checked launch of this request (a ``Launch``, its data in ``get_launch_data()``),
    or of the launch ``held`` for the platform's storage to prove its state (its form: the
    page that asked the storage posted only its key), whose state is then taken as proven.

    Raises LaunchError for any failure of pylti1p3's checks or ours.
    """
    if held is None:
        launch = Launch(request)
    else:
        launch = Launch(
            DjangoRequest(request, post_only=True, default_params=held), cookieless=True
        )
        proven = hashlib.md5(held["id_token"].encode("utf8")).hexdigest()
        launch.get_session_service().set_state_valid(held["state"], proven)
    try:
        body = launch.get_launch_data()
    except (LtiException, requests.RequestException, ValueError, KeyError) as error:
        _refuse(f"{type(error).__name__}: {error}")
    check_claims(body, launch.get_client_id())
    _use_nonce(body.get("nonce", ""), timezone.now())
    return launch


def restore(request, launch_id, cookieless=False):
    """A launch checked earlier in this browser (deep linking continues one), or
    LaunchError when it is gone (older than the launch data's lifetime). ``cookieless``:
    the launch was proven through the platform's storage."""
    try:
        return Launch.from_cache(
            launch_id, request, tool_conf(), launch_data_storage=launch_storage(cookieless)
        )
    except LtiException as error:
        raise LaunchError(
            "This page has expired. Open the tool again from your learning platform.",
            f"launch {launch_id!r} not found: {error}",
        ) from error
