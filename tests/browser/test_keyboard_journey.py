"""Journey 6: journeys 1 and 2 with the keyboard alone (Tab, Enter, Space), with a visible
focus indicator at every step."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import confirmation_path

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const name = (el.getAttribute("aria-label") || el.labels?.[0]?.innerText
                  || el.innerText || el.value || "").trim();
    return {name, tag: el.tagName, outline: style.outlineStyle, width: style.outlineWidth};
}"""


def tab_to(page, name, *, exact=False, limit=400):
    """Press Tab until the focused element is called ``name``; check its focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        label = re.sub(r"\s+", " ", focused["name"])
        if (label == name) if exact else label.startswith(name):
            assert focused["outline"] != "none" and focused["width"] != "0px", focused
            return focused
    raise AssertionError(f"No focusable element called {name!r} on {page.url}")


def press(page, key):
    """Press a key that follows a link or submits a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_keyboard_only_student_journeys(new_page, screenshot, demo):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "Skip to main content"

    tab_to(page, "Create an account")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    tab_to(page, "Email")
    page.keyboard.type("kira@example.edu")
    tab_to(page, "Display name")
    page.keyboard.type("Kira")
    tab_to(page, "Password:", exact=True)
    page.keyboard.type("a sturdy passphrase 42")
    tab_to(page, "Password (again)")
    page.keyboard.type("a sturdy passphrase 42")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    page.goto(confirmation_path())  # following the link in the email
    tab_to(page, "Confirm")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")

    tab_to(page, "Join code")
    page.keyboard.type(demo.join_code)
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.title)
    tab_to(page, "Dilemmas of De-Stalinisation", exact=True)
    press(page, "Enter")
    tab_to(page, "Mark as read")
    press(page, "Space")
    expect(page.get_by_text("Marked as read on")).to_be_visible()
    screenshot(page, "6-read")

    page.goto(demo.get_absolute_url())
    tab_to(page, "Discussion question")
    press(page, "Enter")
    expect(page.get_by_role("note")).to_contain_text("appear once you have posted")

    page.goto(f"/courses/{demo.slug}/readings/dilemmas-of-de-stalinisation/")
    # One tab stop per paragraph: following its ¶ link brings its Quote link into reach.
    tab_to(page, "Paragraph 2, link")
    press(page, "Enter")
    tab_to(page, "Quote paragraph 2 in a discussion")
    press(page, "Enter")
    tab_to(page, "Discussion question")
    press(page, "Enter")
    tab_to(page, "Your post")
    page.keyboard.press("Control+End")
    page.keyboard.type("The notes make the muddle look like a lack of any plan at all.")
    tab_to(page, "Post", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("Your post is up.")
    expect(page.locator(".checklist")).to_contain_text("Response: done")

    tab_to(page, "Reply to ianfries")
    press(page, "Enter")
    tab_to(page, "Your post")
    page.keyboard.type("Would going further not have split the party?")
    tab_to(page, "Post", exact=True)
    press(page, "Enter")
    expect(page.locator(".checklist")).to_contain_text("Replies to classmates: done")
    screenshot(page, "6-replied")
