"""A real OpenID Connect provider (panva's oidc-provider, from npm) on a free local port, and
the school's "Social application" for it, configured through the admin as staff would."""

import json
import os
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
