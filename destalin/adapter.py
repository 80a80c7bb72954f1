"""The site's policy for django-allauth: its mail is queued like all the site's mail, speaks
as the site, and links only to ``SITE_URL``; a join link opened before signing in or up is
where the person lands after."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.urls import reverse

from destalin import mail, two_factor
from destalin.models import normalize_display_name

# The session key of a join link opened before signing in (``destalin.views.join_link``).
PENDING_JOIN_CODE = "pending_join_code"

# Links allauth builds from the request's Host into a mail's context, by mail, and the page
# each one names; ours come from SITE_URL, like every other link in mail. (The confirmation
# and reset links carry keys and come from the two hooks below.)
_CONTEXT_LINKS = {
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "password_reset_url": "account_reset_password",
    },
    "account/email/unknown_account": {"signup_url": "account_signup"},
}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail, through ``destalin.mail``: queued for the worker (sign-up answers
    even with the mail server down), built by ``compose`` like all the site's mail (both
    parts, no bidi controls from a person's name, a Message-ID), the site's name and links."""

    def send_mail(self, template_prefix, email, context):
        ctx = {"email": email, "request": self.request, **context, "current_site": mail.site()}
        for key, name in _CONTEXT_LINKS.get(template_prefix, {}).items():
            ctx[key] = mail.site_url(reverse(name))
        # allauth's templates give the subject and the plain text (the confirmation names
        # the person); everything else is the site's one way of making a mail.
        rendered = self.render_mail(template_prefix, email, ctx)
        mail.queue(mail.compose(to=email, subject=rendered.subject, text=rendered.body))

    def login(self, request, user):
        """Sign in, and mark a teacher who must set up two-factor sign-in and has not."""
        super().login(request, user)
        if two_factor.needs_setup(user):
            request.session[two_factor.SESSION_KEY] = True

    def get_login_redirect_url(self, request):
        """Back to the join link a visitor opened before signing in, else allauth's default."""
        return _pending_join(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        """Back to the join link a visitor opened before signing up (the session keeps it
        through the address's verification), else allauth's default."""
        return _pending_join(request) or super().get_signup_redirect_url(request)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return mail.site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return mail.site_url(path.replace("UID-KEY", key))


def _pending_join(request):
    """The join link kept in the session, once; None if there is none."""
    code = request.session.pop(PENDING_JOIN_CODE, None)
    return reverse("join-link", kwargs={"code": code}) if code else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on: a new person's display name comes from the provider's ``name`` claim
    (else given and family names, else the address's local part)."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        fallback = (data.get("email") or "").split("@")[0]
        user.display_name = normalize_display_name(name or fallback)[:80]
        return user


class MFAAdapter(DefaultMFAAdapter):
    """Passkeys and authenticator apps name the site "Destalin", not the request's host."""

    def get_public_key_credential_rp_entity(self):
        return {**super().get_public_key_credential_rp_entity(), "name": settings.SITE_NAME}
