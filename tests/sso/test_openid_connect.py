"""Single sign-on through a school's OpenID Connect provider, a real one (oidc-provider)
running beside the live server: people are found by the provider's subject, never by an
address it sends, verified or not."""

import re
from html import unescape

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from destalin.models import Membership, Role, User
from tests.sso.conftest import signed_in_as

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_through_the_school(live_server, issuer, sub):
    """What a person's browser does: start on our sign-in page, sign in at the provider as
    ``sub``, consent, come back. Returns the browser and the last response."""
    browser = requests.Session()
    browser.get(f"{live_server.url}/accounts/login/")
    response = browser.post(
        f"{live_server.url}/accounts/oidc/school/login/",
        {"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=20,
    )
    # The provider's own pages: a sign-in form, then a consent form.
    for _ in range(4):
        if not response.url.startswith(issuer):
            break
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text)[1])
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', response.text))
        fields.update(login=sub, password="any")
        response = browser.post(issuer + action if action.startswith("/") else action, fields)
    return browser, response


def test_a_new_person_signs_in_through_the_school_and_gets_an_account(live_server, school_sso):
    browser, response = _sign_in_through_the_school(live_server, school_sso, "s-1001")
    assert response.status_code == 200 and response.url.startswith(live_server.url)
    assert signed_in_as(browser, live_server) == "Nina Petrova"
    account = SocialAccount.objects.get(uid="s-1001")
    assert account.provider == "school" and account.user.email == "nina@school.example.edu"


def test_the_same_subject_finds_the_same_person_whatever_the_address(live_server, school_sso):
    _sign_in_through_the_school(live_server, school_sso, "s-1001")
    nina = User.objects.get(email="nina@school.example.edu")
    nina.display_name = "Nina P."
    nina.save()
    browser, _ = _sign_in_through_the_school(live_server, school_sso, "s-1001")
    assert signed_in_as(browser, live_server) == "Nina P."
    assert User.objects.count() == 2  # Nina and the staff member who set up the provider


@pytest.mark.parametrize("sub", ["s-2002", "s-3003"])
def test_an_address_from_the_provider_never_opens_an_existing_account(
    live_server, school_sso, cleo, sub
):
    browser, response = _sign_in_through_the_school(live_server, school_sso, sub)
    assert response.url.startswith(live_server.url)  # back on our site...
    assert signed_in_as(browser, live_server) is None  # ...but not as Cleo
    assert not SocialAccount.objects.filter(user=cleo).exists()
    assert User.objects.filter(email="cleo@example.edu").count() == 1


def test_a_course_that_requires_two_factor_sends_its_teacher_to_set_it_up(
    live_server, school_sso, course
):
    _sign_in_through_the_school(live_server, school_sso, "s-1001")
    nina = SocialAccount.objects.get(uid="s-1001").user
    Membership.objects.create(user=nina, course=course, role=Role.INSTRUCTOR)
    course.require_two_factor = True
    course.save()
    browser, _ = _sign_in_through_the_school(live_server, school_sso, "s-1001")
    page = browser.get(f"{live_server.url}/", allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"] == reverse("mfa_index")
    setup = browser.get(f"{live_server.url}{reverse('mfa_index')}")
    assert "Your courses require two-factor sign-in" in setup.text
