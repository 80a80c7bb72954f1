"""LTI Dynamic Registration (LTI-DR 1.0), run by the task worker: read the platform's
OpenID configuration, post the tool's configuration to its registration endpoint, and save
the registration the platform answers with. pylti1p3next makes the exchange; this module
gives it the site's URLs and checks what the spec asks the tool to check."""

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from pylti1p3.contrib.django.lti1p3_tool_config.dynamic_registration import (
    DjangoDynamicRegistration,
)
from pylti1p3.exception import LtiException

from destalin.lti import keys, launches
from destalin.lti.models import PlatformPolicy


def _url(path):
    return settings.SITE_URL.rstrip("/") + path


class SiteRegistration(DjangoDynamicRegistration):
    """The tool's side of one registration, with every URL from SITE_URL (the worker has no
    request) and the site's one signing key."""

    client_name = "Destalin"
    description = "Readings and discussions for the history classroom."

    def __init__(self, link):
        self.link = link

    def get_request_session(self):
        return launches._TimedSession()

    def get_initiate_login_uri(self):
        return _url(reverse("lti:login"))

    def get_jwks_uri(self):
        return _url(reverse("lti:jwks"))

    def get_target_link_uri(self):
        return _url(reverse("lti:launch"))

    def get_redirect_uris(self):
        return [self.get_target_link_uri()]

    def get_domain(self):
        return urlsplit(settings.SITE_URL).netloc

    def get_logo_uri(self):
        return _url(static("destalin/favicon.svg"))

    def get_scopes(self):
        return keys.SCOPES

    def get_claims(self):
        return ["iss", "sub", "name", "given_name", "family_name", "email"]

    def get_messages(self):
        return [
            {
                "type": "LtiDeepLinkingRequest",
                "target_link_uri": self.get_target_link_uri(),
                "label": "Destalin",
            }
        ]

    def get_openid_configuration_endpoint(self):
        return self.link.openid_configuration

    def get_registration_token(self):
        return self.link.registration_token or None

    def get_openid_configuration(self):
        configuration = super().get_openid_configuration()
        # LTI-DR 3.5.1: the issuer must be on the host the configuration came from, or a
        # page elsewhere could register a platform in another's name.
        issuer = urlsplit(str(configuration.get("issuer", "")))
        endpoint = urlsplit(self.link.openid_configuration)
        if issuer.scheme not in {"http", "https"} or issuer.netloc != endpoint.netloc:
            raise LtiException(
                f"The platform's issuer {configuration.get('issuer')!r} is not on the host of "
                f"its configuration ({endpoint.netloc})."
            )
        return configuration

    def get_issuer_keys(self, issuer_name):
        return keys.current_key()

    def complete_registration(self, openid_configuration, openid_registration):
        tool = super().complete_registration(openid_configuration, openid_registration)
        if not tool.title:
            tool.title = urlsplit(tool.issuer).netloc
            tool.save(update_fields=["title"])
        PlatformPolicy.objects.get_or_create(tool=tool)
        return tool
