"""Dynamic registration: the admin makes a one-time address, the platform opens it, and the
worker registers the tool with the platform."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from destalin.lti.models import RegistrationLink, RegistrationStatus
from tests.lti.conftest import TOOL, launch
from tests.lti.platform import INSTRUCTOR, Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_platform(client):
    platform = Platform(TOOL)
    platform.tool_jwks = client.get("/lti/jwks.json").json()
    yield platform
    platform.close()


def open_link(client, link, platform, token="reg-token-1"):
    return client.get(
        link.get_absolute_url(),
        {
            "openid_configuration": platform.url + "/.well-known/openid-configuration",
            "registration_token": token,
        },
    )


def test_an_admin_pastes_one_address_and_the_platform_is_registered(
    client, new_platform, sam, settings
):
    settings.SITE_URL = TOOL
    client.force_login(sam)
    added = client.post(
        "/admin/lti/registrationlink/add/",
        {"note": "Moodle", "expires_at_0": "2099-01-01", "expires_at_1": "00:00"},
    )
    assert added.status_code == 302
    link = RegistrationLink.objects.get(note="Moodle")
    client.logout()

    page = open_link(client, link, new_platform)

    assert page.status_code == 200
    assert b"data-lti-close" in page.content
    assert page["Content-Security-Policy"].count(new_platform.url) == 1
    tool = LtiTool.objects.get(issuer=new_platform.url)
    assert tool.client_id == new_platform.client_id
    assert new_platform.deployment_id in tool.deployment_ids
    sent = new_platform.registered
    assert sent["initiate_login_uri"] == TOOL + "/lti/login/"
    assert sent["jwks_uri"] == TOOL + "/lti/jwks.json"
    link.refresh_from_db()
    assert link.status == RegistrationStatus.DONE and link.tool == tool
    # The registered platform launches at once.
    new_platform.tool = tool
    response = launch(client, new_platform, sub="t-1", roles=[INSTRUCTOR])
    assert response.status_code == 302


def test_a_refused_registration_says_why_and_can_be_tried_again(client, new_platform, settings):
    settings.SITE_URL = TOOL
    link = RegistrationLink.objects.create(note="Canvas")

    page = open_link(client, link, new_platform, token="wrong")

    assert page.status_code == 200
    assert b"did not complete" in page.content
    assert not LtiTool.objects.exists()
    again = open_link(client, link, new_platform)
    assert b"data-lti-close" in again.content


def test_an_unknown_or_expired_address_registers_nothing(client, new_platform):
    old = RegistrationLink.objects.create(expires_at=timezone.now() - timedelta(days=1))

    for token in [old.token, "no-such-token"]:
        page = client.get(
            f"/lti/register/{token}/",
            {"openid_configuration": new_platform.url + "/.well-known/openid-configuration"},
        )
        assert page.status_code == 404
        assert b"unknown or has expired" in page.content
    assert new_platform.registered is None
    assert not LtiTool.objects.exists()


def test_a_configuration_naming_another_issuer_is_refused(
    client, new_platform, settings, monkeypatch
):
    settings.SITE_URL = TOOL
    link = RegistrationLink.objects.create()
    real = new_platform.openid_configuration
    monkeypatch.setattr(
        new_platform,
        "openid_configuration",
        lambda: {**real(), "issuer": "https://canvas.instructure.com"},
    )

    page = open_link(client, link, new_platform)

    assert b"is not on the host of its configuration" in page.content
    assert new_platform.registered is None
    assert not LtiTool.objects.exists()
