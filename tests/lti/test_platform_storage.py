"""Launches in a frame that may keep no cookie, where the platform offers its storage
(``lti_storage_target``): the server's half. The browser's half (lti.js asking the
platform's storage) runs in tests/browser/test_lti_platform_storage.py."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.urls import reverse
from pylti1p3.dynamic_registration import generate_key_pair

from destalin.lti.models import LtiContext, LtiUser
from tests.html_validator import html_errors
from tests.lti.platform import INSTRUCTOR

pytestmark = pytest.mark.django_db


def data(page, name):
    found = re.search(rf'data-{name}="([^"]*)"', page.content.decode())
    return html.unescape(found[1]) if found else None


def check_key(page):
    return re.search(r'name="lti_storage_check" value="([^"]+)"', page.content.decode())[1]


def storage_login(client, platform, sub="t-1"):
    """The login initiation with the platform's storage offered: the page, and the auth
    request its script would send the browser to once the storage kept the state."""
    page = client.get(platform.preflight_url(sub) + "&lti_storage_target=_parent")
    assert page.status_code == 200
    auth_url = data(page, "auth-url")
    assert auth_url and auth_url.startswith(platform.url + "/auth?")
    return page, {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}


def posted_launch(client, platform, params, sub="t-1", roles=(INSTRUCTOR,), **claims):
    form = platform.launch_form(params, sub=sub, roles=list(roles), **claims)
    return client.post(
        reverse("lti:launch"),
        {"id_token": form["id_token"], "state": form["state"], "lti_storage_target": "_parent"},
    )


def test_the_login_page_carries_a_state_and_nonce_for_the_platforms_storage(client, platform):
    page, params = storage_login(client, platform)

    assert data(page, "storage-target") == "_parent"
    assert data(page, "storage-origin") == platform.url
    assert data(page, "state") == params["state"]
    assert data(page, "nonce") == params["nonce"]
    # The cookie check stays: a frame that may keep cookies goes on as always.
    assert 'id="lti1p3-new-tab-link"' in page.content.decode()
    assert not any(name.startswith("lti1p3-state") for name in page.cookies)


def test_a_launch_without_the_state_cookie_asks_the_storage_first_and_saves_nothing(
    client, platform
):
    _, params = storage_login(client, platform)

    page = posted_launch(client, platform, params, name="Ada")

    assert page.status_code == 200
    assert data(page, "state") == params["state"]
    assert data(page, "nonce") == params["nonce"]
    assert data(page, "storage-origin") == platform.url
    assert len(check_key(page)) >= 40
    assert not LtiUser.objects.exists()
    assert "_auth_user_id" not in client.session


def test_the_proven_launch_goes_on_once_and_continues_once_in_a_new_window(client, platform):
    _, params = storage_login(client, platform)
    check = check_key(posted_launch(client, platform, params, name="Ada"))

    proven = client.post(reverse("lti:launch"), {"lti_storage_check": check})
    again = client.post(reverse("lti:launch"), {"lti_storage_check": check})

    assert proven.status_code == 200
    assert b"Open Destalin in a new window" in proven.content
    token = re.search(r'action="/lti/continue/([^/]+)/"', proven.content.decode())[1]
    assert again.status_code == 400
    assert b"was used already" in again.content
    assert "_auth_user_id" not in client.session  # the frame keeps no session
    window = client.post(reverse("lti:continue", args=[token]))
    course = LtiContext.objects.get().course
    assert window.status_code == 302
    assert window["Location"] == course.get_absolute_url()
    assert client.get(course.get_absolute_url()).status_code == 200
    assert client.session["lti"]["cookieless"] is True
    client.logout()
    reused = client.post(reverse("lti:continue", args=[token]))
    assert reused.status_code == 404
    assert b"expired or was used already" in reused.content
    assert "_auth_user_id" not in client.session


def test_an_unknown_check_key_is_refused_and_nothing_is_saved(client, platform):
    response = client.post(reverse("lti:launch"), {"lti_storage_check": "made-up"})

    assert response.status_code == 400
    assert b"open the link again" in response.content
    assert not LtiUser.objects.exists()


def test_a_token_that_cannot_be_read_is_refused_before_any_storage_check(client, platform):
    response = client.post(
        reverse("lti:launch"),
        {"id_token": "not.a.token", "state": "state-1", "lti_storage_target": "_parent"},
    )

    assert response.status_code == 400
    assert b"could not be checked" in response.content
    assert b"lti_storage_check" not in response.content


def test_a_proven_state_does_not_excuse_a_token_signed_by_another_key(client, platform):
    _, params = storage_login(client, platform)
    form = platform.launch_form(params, sub="t-1", roles=[INSTRUCTOR])
    claims = jwt.decode(form["id_token"], options={"verify_signature": False})
    forged_key, _ = generate_key_pair(2048)
    page = client.post(
        reverse("lti:launch"),
        {
            "id_token": platform.sign(claims, key=forged_key),
            "state": form["state"],
            "lti_storage_target": "_parent",
        },
    )

    response = client.post(reverse("lti:launch"), {"lti_storage_check": check_key(page)})

    assert page.status_code == 200
    assert response.status_code == 400
    assert b"could not be checked, so it was refused" in response.content
    assert not LtiUser.objects.exists()


def test_the_pages_of_a_launch_through_the_storage_are_valid_html(client, platform):
    login, params = storage_login(client, platform)
    check = posted_launch(client, platform, params, name="Ada")
    proven = client.post(reverse("lti:launch"), {"lti_storage_check": check_key(check)})

    pages = {"login": login, "check": check, "continue": proven}

    assert [page.status_code for page in pages.values()] == [200, 200, 200]
    assert html_errors({name: page.content.decode() for name, page in pages.items()}) == []
