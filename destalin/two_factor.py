"""Two-factor sign-in where the rules require it (``permissions.must_use_two_factor``).

allauth's MFA asks for the second factor at sign-in once a person has one. A teacher who
must have one and has none is found at sign-in (``needs_setup``, from the account adapter)
and is then sent to set one up before any other page, until they have."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from destalin import permissions
from destalin.models import Membership, Role

SESSION_KEY = "two_factor_setup_needed"
# Pages a person who must set up a second factor can still reach: the setup itself, signing
# out, and the static files those pages use.
OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def must_use_two_factor(user):
    """Whether ``user`` must sign in with a second factor (one query)."""
    requirements = list(
        Membership.objects.current()
        .filter(user=user, role__in=[Role.INSTRUCTOR, Role.TA])
        .values_list("course__require_two_factor", flat=True)
    )
    return permissions.must_use_two_factor(
        teaches=user.is_staff or user.is_instructor or bool(requirements),
        course_requires=any(requirements),
        site_requires_teachers=settings.TWO_FACTOR_REQUIRED_FOR == "teachers",
    )


def has_second_factor(user):
    """Whether ``user`` has an authenticator app or a passkey (recovery codes alone are a
    fallback, not a factor of their own)."""
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def needs_setup(user):
    """Whether ``user``, just signed in, must set up a second factor before anything else."""
    return must_use_two_factor(user) and not has_second_factor(user)


class TwoFactorSetupMiddleware:
    """Sends a person flagged at sign-in to the two-factor page until they have a second
    factor; costs nothing for everyone else (a session key, no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(SESSION_KEY)
            and not request.path_info.startswith(OPEN_PREFIXES)
        ):
            if has_second_factor(request.user):
                del request.session[SESSION_KEY]
            else:
                messages.warning(
                    request,
                    "Your courses require two-factor sign-in: add an authenticator app or a "
                    "passkey to go on.",
                )
                return redirect(reverse("mfa_index"))
        return self.get_response(request)
