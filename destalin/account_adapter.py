"""Our policy for django-allauth's account flows (``ACCOUNT_ADAPTER``)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

# The session key of a join link opened before signing in (``destalin.views.join_link``).
PENDING_JOIN_CODE = "pending_join_code"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Back to the join link a visitor opened before signing in, else allauth's default."""
        return _pending_join(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        """Back to the join link a visitor opened before signing up (the session keeps it
        through the address's verification), else allauth's default."""
        return _pending_join(request) or super().get_signup_redirect_url(request)


def _pending_join(request):
    """The join link kept in the session, once; None if there is none."""
    code = request.session.pop(PENDING_JOIN_CODE, None)
    return reverse("join-link", kwargs={"code": code}) if code else None
