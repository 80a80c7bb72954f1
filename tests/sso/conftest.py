"""A real OpenID Connect provider (panva's oidc-provider, from npm) on a free local port, and
the school's "Social application" for it, configured through the admin as staff would."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CLIENT_ID = "destalin"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
ACCOUNTS = {
    "s-1001": {"email": "nina@school.example.edu", "email_verified": True, "name": "Nina Petrova"},
    # Claims an address that already has an account here, unverified by the provider.
    "s-2002": {"email": "cleo@example.edu", "email_verified": False, "name": "Not Cleo"},
    # Claims it as verified: still not a way into Cleo's account.
    "s-3003": {"email": "cleo@example.edu", "email_verified": True, "name": "Also not Cleo"},
}


def signed_in_as(browser, live_server):
    """The display name of whom the browser (a ``requests.Session``) is signed in as on the
    live server, or None."""
    page = browser.get(f"{live_server.url}/accounts/profile/", allow_redirects=False)
    if page.status_code != 200:
        return None
    return re.search(r'name="display_name"[^>]*value="([^"]*)"', page.text)[1]


def _node_ready():
    if shutil.which("node") and (HERE / "node_modules" / "oidc-provider").is_dir():
        return True
    reason = "node and tests/sso/node_modules are needed (make install runs npm ci)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the single sign-on tests")
    pytest.skip(reason)
    return False


@pytest.fixture(scope="module")
def identity_provider(live_server):
    """The provider's issuer URL; it stops after the module's tests."""
    _node_ready()
    config = {
        "port": 0,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/accounts/oidc/school/login/callback/",
        "accounts": ACCOUNTS,
    }
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs"), json.dumps(config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("listening "), line
    yield line.split()[1]
    process.stdin.close()
    process.wait(timeout=10)


@pytest.fixture
def school_sso(identity_provider, sam, settings):
    """The school's provider, added in the admin by staff; plain-http cookies for the test's
    browser (requests), since the live server has no TLS."""
    from django.test import Client
    from django.urls import reverse

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    admin = Client()
    admin.force_login(sam)
    response = admin.post(
        reverse("admin:socialaccount_socialapp_add"),
        {
            "provider": "openid_connect",
            "provider_id": "school",
            "name": "Example School",
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "key": "",
            "settings": json.dumps({"server_url": identity_provider}),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return identity_provider


# People at the school's SAML identity provider, by persistent NameID (pysaml2's attribute
# names; it sends them as the urn:oid names allauth reads). An IdP that vouches for its
# addresses says so in an attribute the SocialApp maps to "email_verified" (allauth's default
# mapping reads this one).
VERIFIED = "http://schemas.auth0.com/email_verified"
SAML_ACCOUNTS = {
    "p-1001": {
        "mail": ["nina@school.example.edu"],
        "givenName": ["Nina"],
        "sn": ["Petrova"],
        VERIFIED: ["true"],
    },
    "p-1002": {"mail": ["oleg@school.example.edu"], "givenName": ["Oleg"], "sn": ["Sidorov"]},
    # Say they are Cleo, who has an account here already: unverified, and vouched for.
    "p-2002": {"mail": ["cleo@example.edu"], "givenName": ["Not"], "sn": ["Cleo"]},
    "p-3003": {
        "mail": ["cleo@example.edu"],
        "givenName": ["Also"],
        "sn": ["Not Cleo"],
        VERIFIED: ["true"],
    },
}


def add_saml_app(staff, idp, slug, **changes):
    """Add ``idp`` in the admin as a school does (allauth's SAML provider: the organisation's
    slug as client id, the IdP's entity id, sign-in URL and certificate in the settings);
    returns the admin's answer."""
    from django.test import Client
    from django.urls import reverse

    admin = Client()
    admin.force_login(staff)
    form = {
        "provider": "saml",
        "provider_id": idp.entity_id,
        "name": f"{slug.title()} (SAML)",
        "client_id": slug,
        "secret": "",
        "key": "",
        "settings": json.dumps(
            {
                "idp": {
                    "entity_id": idp.entity_id,
                    "sso_url": idp.sso_url,
                    "x509cert": idp.certificate,
                }
            }
        ),
    }
    return admin.post(reverse("admin:socialaccount_socialapp_add"), {**form, **changes})


def start_saml_idp(live_server, staff, tmp_path, slug, accounts):
    """A school's SAML IdP, added in the admin and trusting our metadata (fetched from the
    live server, as a school's IT office would)."""
    import requests

    from tests.sso.saml_idp import IdentityProvider

    if not shutil.which("xmlsec1"):
        reason = "xmlsec1 is needed for the SAML identity provider (apt-get install xmlsec1)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the single sign-on tests")
        pytest.skip(reason)
    idp = IdentityProvider(directory=tmp_path, name=slug, accounts=accounts)
    response = add_saml_app(staff, idp, slug)
    assert response.status_code == 302, response.content.decode()[:2000]
    metadata = requests.get(f"{live_server.url}/accounts/saml/{slug}/metadata/", timeout=10)
    assert metadata.status_code == 200, metadata.text
    idp.start(sp_metadata=metadata.text)
    return idp


@pytest.fixture
def saml_school(live_server, sam, settings, tmp_path):
    """The school's SAML IdP (pysaml2), set up in the admin; stopped after the test."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    idp = start_saml_idp(live_server, sam, tmp_path, "school", SAML_ACCOUNTS)
    yield idp
    idp.stop()
