"""A teacher adds a passkey and signs in with it, in chromium with a virtual authenticator
(the browser's own WebAuthn, driven through the DevTools protocol: no key, no mock)."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def _virtual_authenticator(page):
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_teacher_adds_a_passkey_and_signs_in_with_it(
    new_page, ada, course, settings, screenshot, check_a11y
):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server has no TLS
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    course.require_two_factor = True
    course.save()
    page = new_page()
    devtools, authenticator = _virtual_authenticator(page)
    _sign_in(page, ada)
    # Required by the course: sent to the two-factor page, nothing else opens.
    expect(page.get_by_text("Your courses require two-factor sign-in")).to_be_visible()
    check_a11y(page)
    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before any change
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("Laptop")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Security key added.")).to_be_visible()
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    screenshot(page, "passkey-added")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")

    page.get_by_role("button", name="Sign out", exact=True).click()
    _sign_in(page, ada)
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")
    screenshot(page, "signed-in-with-passkey")
