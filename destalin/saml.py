"""Single sign-on through a school's SAML identity provider is allauth's (its SAML provider,
on python3-saml); this is the one door in front of it. python3-saml parses the posted
response before it checks anything, and a body that is not XML escapes it as an lxml error
(a 500); here such a body is refused with allauth's own sign-in failure page, as every other
response that is not the IdP's signed word already is."""

import logging

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import get_app_or_404
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

logger = logging.getLogger(__name__)


@csrf_exempt  # posted by the browser from the IdP's page; the response's signature is the check
@login_not_required
@require_POST
def assertion_consumer_service(request, organization_slug):
    """allauth's assertion consumer service, for a response that parses as XML (without a DTD
    or entities, as python3-saml parses it); anything else gets the failure page, status 400.
    A missing response is left to allauth, which refuses it itself."""
    if "SAMLResponse" in request.POST:
        try:
            OneLogin_Saml2_XML.to_etree(
                OneLogin_Saml2_Utils.b64decode(request.POST["SAMLResponse"])
            )
        except (etree.LxmlError, ValueError) as error:  # bad base64, a DTD: ValueErrors
            logger.warning("SAML response for %s is not XML: %r", organization_slug, error)
            provider = get_app_or_404(request, organization_slug).get_provider(request)
            response = render_authentication_error(request, provider)
            response.status_code = 400
            return response
    return saml_views.acs(request, organization_slug=organization_slug)
