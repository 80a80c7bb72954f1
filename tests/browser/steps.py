"""Steps several journeys share."""

import re

from django.core import mail
from playwright.sync_api import expect


def sign_up(page, email, name, check=lambda page: None):
    """Sign up through the pages, verify the address from the mail, land on the dashboard;
    ``check`` runs on each page on the way (axe, say)."""
    page.goto("/")
    check(page)
    page.get_by_role("link", name="Create an account").click()
    check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password:", exact=True).fill("a sturdy passphrase 42")
    page.get_by_label("Password (again)").fill("a sturdy passphrase 42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    page.goto(confirmation_path())
    check(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")
    check(page)


def confirmation_path():
    """The address-confirmation link of the last mail sent."""
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]
