"""Staff add a school's sign-in service in the admin; the form refuses what would mix two
schools' people or fail only at someone's sign-in."""

import json

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

pytestmark = pytest.mark.django_db

IDP = {
    "entity_id": "https://idp.school.example.edu/idp",
    "sso_url": "https://idp.school.example.edu/sso",
    "x509cert": "MIIC...",
}


def _add(client_for, sam, *, provider_id="", settings=None, client_id="school"):
    return client_for(sam).post(
        reverse("admin:socialaccount_socialapp_add"),
        {
            "provider": "saml",
            "provider_id": provider_id,
            "name": "School",
            "client_id": client_id,
            "secret": "",
            "key": "",
            "settings": json.dumps({"idp": IDP} if settings is None else settings),
        },
    )


def test_a_saml_service_is_told_apart_by_its_idps_entity_id(client_for, sam):
    response = _add(client_for, sam)
    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.provider, app.provider_id, app.client_id) == ("saml", IDP["entity_id"], "school")


def test_two_services_may_not_share_a_provider_id(client_for, sam):
    assert _add(client_for, sam).status_code == 302
    response = _add(client_for, sam, client_id="other")
    assert response.status_code == 200
    assert "Another sign-in service has this provider id" in response.content.decode()
    assert SocialApp.objects.count() == 1


@pytest.mark.parametrize(
    "settings",
    [
        {},
        [],
        {"idp": "https://idp.school.example.edu"},
        {"idp": {"entity_id": IDP["entity_id"], "sso_url": IDP["sso_url"]}},
        {"idp": {"sso_url": IDP["sso_url"], "x509cert": IDP["x509cert"]}},
    ],
    ids=["empty", "a-list", "a-string", "no-certificate", "no-entity-id"],
)
def test_a_saml_service_without_its_idp_is_refused_with_what_it_needs(client_for, sam, settings):
    response = _add(client_for, sam, settings=settings)
    assert response.status_code == 200
    assert "A SAML identity provider&#x27;s settings need" in response.content.decode()
    assert not SocialApp.objects.exists()


def test_an_idp_described_by_its_metadata_url_is_enough(client_for, sam):
    settings = {"idp": {"entity_id": IDP["entity_id"], "metadata_url": "https://idp/md"}}
    assert _add(client_for, sam, settings=settings).status_code == 302
    assert SocialApp.objects.get().settings == settings
