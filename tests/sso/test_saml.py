"""Single sign-on through a school's SAML identity provider, a real one (pysaml2's IdP)
beside the live server: people are found by the IdP's subject (the persistent NameID) within
that IdP, never by an address it sends; a response that is not the IdP's, signed, is refused
with a plain page."""

import base64
import re
import time
from html import unescape

import pytest
import requests
from allauth.mfa.totp.internal import auth as totp
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from destalin.models import Membership, Role, User
from tests.sso.conftest import SAML_ACCOUNTS, signed_in_as, start_saml_idp

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


def test_a_new_person_signs_in_through_the_school_and_gets_an_account(live_server, saml_school):
    browser, response = _sign_in_through(live_server, saml_school, "school", "p-1001")
    assert response.status_code == 200 and response.url.startswith(live_server.url)
    assert signed_in_as(browser, live_server) == "Nina Petrova"
    account = SocialAccount.objects.get(uid="p-1001")
    assert account.provider == saml_school.entity_id
    assert account.user.email == "nina@school.example.edu"


def test_the_same_subject_finds_the_same_person_whatever_the_address(live_server, saml_school):
    _sign_in_through(live_server, saml_school, "school", "p-1001")
    nina = User.objects.get(email="nina@school.example.edu")
    nina.display_name = "Nina P."
    nina.save()
    saml_school.accounts["p-1001"] = {**saml_school.accounts["p-1001"], "mail": ["n@x.example"]}
    browser, _ = _sign_in_through(live_server, saml_school, "school", "p-1001")
    assert signed_in_as(browser, live_server) == "Nina P."
    assert User.objects.count() == 2  # Nina and the staff member who set up the provider


def test_an_address_the_school_does_not_vouch_for_is_confirmed_by_mail_first(
    live_server, saml_school, mailoutbox
):
    browser, response = _sign_in_through(live_server, saml_school, "school", "p-1002")
    assert "/accounts/confirm-email/" in response.url
    assert signed_in_as(browser, live_server) is None
    oleg = SocialAccount.objects.get(uid="p-1002").user
    assert oleg.email == "oleg@school.example.edu" and not oleg.emailaddress_set.get().verified
    assert [m.to for m in mailoutbox] == [["oleg@school.example.edu"]]


@pytest.mark.parametrize("login", ["p-2002", "p-3003"])
def test_an_address_from_the_idp_never_opens_an_existing_account(
    live_server, saml_school, cleo, login
):
    browser, response = _sign_in_through(live_server, saml_school, "school", login)
    assert response.status_code == 200 and response.url.startswith(live_server.url)
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.filter(user=cleo).exists()
    assert User.objects.filter(email="cleo@example.edu").count() == 1


def test_a_second_idp_naming_the_same_subject_and_address_is_someone_else(
    live_server, saml_school, sam, tmp_path
):
    _sign_in_through(live_server, saml_school, "school", "p-1001")
    nina = SocialAccount.objects.get(uid="p-1001").user
    # Another school's IdP (or a hostile one a careless admin added) sends Nina's NameID and
    # her address, vouched for.
    other = start_saml_idp(live_server, sam, tmp_path, "other", {"p-1001": SAML_ACCOUNTS["p-1001"]})
    try:
        browser, response = _sign_in_through(live_server, other, "other", "p-1001")
    finally:
        other.stop()
    assert response.url.startswith(live_server.url)
    assert signed_in_as(browser, live_server) is None
    assert list(nina.socialaccount_set.values_list("provider", flat=True)) == [
        saml_school.entity_id
    ]


def _swap_subject(xml):
    # Oleg, signed in as himself, rewrites the signed NameID into Nina's.
    return xml.replace(">p-1002</", ">p-1001</")


def _garbage(xml):
    return "<not-saml"


def _entities(xml):
    # An entity expansion ("billion laughs") in place of the response.
    return '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>'


@pytest.mark.parametrize(
    ("unsigned", "change"),
    [(False, _swap_subject), (True, None), (False, _garbage), (False, _entities)],
    ids=["tampered", "unsigned", "garbage", "entities"],
)
def test_a_response_that_is_not_the_idps_signed_word_is_refused_plainly(
    live_server, saml_school, unsigned, change
):
    _sign_in_through(live_server, saml_school, "school", "p-1001")
    saml_school.signed = not unsigned
    login = "p-1002" if change is _swap_subject else "p-1001"
    browser, response = _sign_in_through(
        live_server, saml_school, "school", login, change_response=change
    )
    assert response.status_code in {400, 401, 403}
    assert "Sign-in through your school failed" in response.text
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.filter(uid="p-1002").exists()


def test_a_response_posted_again_is_refused(live_server, saml_school):
    captured = {}

    def keep(xml):
        captured["xml"] = xml
        return xml

    first, _ = _sign_in_through(live_server, saml_school, "school", "p-1001", change_response=keep)
    assert signed_in_as(first, live_server) == "Nina Petrova"
    replay = requests.Session()
    again = replay.post(
        f"{live_server.url}/accounts/saml/school/acs/",
        {"SAMLResponse": base64.b64encode(captured["xml"].encode()).decode()},
        timeout=20,
    )
    # A response answers one request of one browser (its InResponseTo): allauth refuses it.
    assert again.status_code == 403 and "You can't do that here" in again.text
    assert signed_in_as(replay, live_server) is None


def test_a_course_that_requires_two_factor_sends_its_teacher_to_set_it_up(
    live_server, saml_school, course
):
    _sign_in_through(live_server, saml_school, "school", "p-1001")
    nina = SocialAccount.objects.get(uid="p-1001").user
    Membership.objects.create(user=nina, course=course, role=Role.INSTRUCTOR)
    course.require_two_factor = True
    course.save()
    browser, _ = _sign_in_through(live_server, saml_school, "school", "p-1001")
    page = browser.get(f"{live_server.url}/", allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"] == reverse("mfa_index")
    setup = browser.get(f"{live_server.url}{reverse('mfa_index')}")
    assert "Your courses require two-factor sign-in" in setup.text


def test_with_an_authenticator_app_the_school_sign_in_still_asks_for_its_code(
    live_server, saml_school
):
    _sign_in_through(live_server, saml_school, "school", "p-1001")
    nina = SocialAccount.objects.get(uid="p-1001").user
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(nina, secret)
    browser, response = _sign_in_through(live_server, saml_school, "school", "p-1001")
    assert response.url == f"{live_server.url}{reverse('mfa_authenticate')}"
    assert signed_in_as(browser, live_server) is None
    code = totp.format_hotp_value(totp.hotp_value(secret, int(time.time()) // 30))
    browser.post(response.url, {"code": code, "csrfmiddlewaretoken": browser.cookies["csrftoken"]})
    assert signed_in_as(browser, live_server) == "Nina Petrova"
