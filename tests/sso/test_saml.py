"""Single sign-on through a school's SAML identity provider, a real one (pysaml2's IdP)
beside the live server: people are found by the IdP's subject (the persistent NameID) within
that IdP, never by an address it sends; a response that is not the IdP's, signed, is refused
with a plain page."""

import base64
import re
from html import unescape

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from destalin.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _form(page):
    """The action and fields of the first form on ``page``."""
    action = unescape(re.search(r'<form[^>]*action="([^"]*)"', page)[1])
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    return action, fields


def _sign_in_through(live_server, idp, slug, login, *, change_response=None, browser=None):
    """What a person's browser does: ask our site to sign in with the school, sign in at the
    IdP as ``login``, carry its response back. ``change_response`` may alter the response
    (its XML) on the way, as an attacker between the two would. Returns the browser and the
    last response."""
    browser = browser or requests.Session()
    browser.get(f"{live_server.url}/accounts/login/")
    response = browser.post(
        f"{live_server.url}/accounts/saml/{slug}/login/",
        {"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=20,
    )
    assert response.url.startswith(idp.sso_url), response.url
    action, fields = _form(response.text)
    fields["login"] = login
    posted = browser.post(idp.url + action, fields, timeout=20)
    acs, fields = _form(posted.text)
    assert acs == f"{live_server.url}/accounts/saml/{slug}/acs/"
    if change_response:
        xml = base64.b64decode(fields["SAMLResponse"]).decode()
        fields["SAMLResponse"] = base64.b64encode(change_response(xml).encode()).decode()
    return browser, browser.post(acs, fields, timeout=20)


def _signed_in_as(browser, live_server):
    page = browser.get(f"{live_server.url}/accounts/profile/", allow_redirects=False)
    if page.status_code != 200:
        return None
    return re.search(r'name="display_name"[^>]*value="([^"]*)"', page.text)[1]


def test_a_new_person_signs_in_through_the_school_and_gets_an_account(live_server, saml_school):
    browser, response = _sign_in_through(live_server, saml_school, "school", "p-1001")
    assert response.status_code == 200 and response.url.startswith(live_server.url)
    assert _signed_in_as(browser, live_server) == "Nina Petrova"
    account = SocialAccount.objects.get(uid="p-1001")
    assert account.provider == saml_school.entity_id
    assert account.user.email == "nina@school.example.edu"
