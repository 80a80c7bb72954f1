"""Frames only for registered platforms, and keys platforms can fetch and follow."""

import json

import pytest
from django.core.management import call_command

from destalin.lti import keys
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR

pytestmark = pytest.mark.django_db


def frame_ancestors(response):
    csp = response["Content-Security-Policy"]
    return next(d for d in csp.split(";") if "frame-ancestors" in d).split()[1:]


def test_pages_outside_lti_may_not_be_framed(client, platform):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert frame_ancestors(page) == ["'none'"]
    assert page["X-Frame-Options"] == "DENY"


def test_lti_endpoints_may_be_framed_by_registered_platforms_only(client, platform):
    page = client.get(platform.preflight_url("t-1"))

    assert page.status_code == 200
    assert sorted(frame_ancestors(page)) == sorted([platform.url, "https://school.example.edu"])
    assert "X-Frame-Options" not in page


def test_a_launched_session_may_be_framed_by_its_platform_and_no_other(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    course_page = client.get("/")

    assert course_page.status_code == 200
    assert sorted(frame_ancestors(course_page)) == sorted(
        [platform.url, "https://school.example.edu"]
    )
    assert "*" not in course_page["Content-Security-Policy"]


def test_a_launched_session_cookie_may_cross_sites_over_https(client, https_platform):
    response = launch(client, https_platform, sub="t-1", roles=[INSTRUCTOR], secure=True)

    assert response.status_code == 302
    assert response.cookies["sessionid"]["samesite"] == "None"
    assert response.cookies["sessionid"]["secure"]


def test_other_sessions_keep_lax_cookies(client, django_user_model):
    user = django_user_model.objects.create_user(email="otto@example.edu", password="pw-12345678")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "pw-12345678"}, secure=True
    )

    assert response.status_code == 302
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_the_tools_keys_and_canvas_configuration_are_published(client, platform):
    jwks = client.get("/lti/jwks.json").json()
    config = client.get("/lti/config.json").json()

    (key,) = jwks["keys"]
    assert key["kid"] == json.loads(keys.current_key().public_jwk)["kid"]
    assert key["kty"] == "RSA" and "d" not in key
    assert config["oidc_initiation_url"].endswith("/lti/login/")
    assert config["target_link_uri"].endswith("/lti/launch/")
    assert config["public_jwk_url"].endswith("/lti/jwks.json")
    placements = config["extensions"][0]["settings"]["placements"]
    assert {p["message_type"] for p in placements} == {"LtiDeepLinkingRequest"}


def test_a_rotated_tool_key_keeps_the_old_one_published_until_retired(client, platform):
    old_kid = client.get("/lti/jwks.json").json()["keys"][0]["kid"]

    call_command("rotate_lti_key")
    both = [k["kid"] for k in client.get("/lti/jwks.json").json()["keys"]]
    platform.tool.refresh_from_db()
    call_command("rotate_lti_key", "--retire")
    after = [k["kid"] for k in client.get("/lti/jwks.json").json()["keys"]]

    assert len(both) == 2 and old_kid in both
    assert after == [k for k in both if k != old_kid]
    assert platform.tool.tool_key.name.startswith("destalin-")
