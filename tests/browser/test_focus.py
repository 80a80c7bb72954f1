"""Focus goes somewhere sensible after each action: to the field with an error, to the post
just written, to the message saying what happened."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_instructor_and_phone import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = "() => document.activeElement.id || document.activeElement.className"


def test_focus_follows_each_action(new_page, demo):
    prompt = demo.prompts.get(title__startswith="Discussion question")
    page = new_page()
    sign_in(page, "instructor@demo.destalin.test")
    sowelld = demo.memberships.get(user__display_name="sowelld").user
    page.goto(f"/courses/{demo.slug}/prompts/{prompt.pk}/grader/{sowelld.pk}/")

    page.get_by_label("Score (out of 10)").fill("ten")
    page.get_by_role("button", name="Save grade").click()
    expect(page.get_by_label("Score (out of 10)")).to_be_focused()

    page.get_by_label("Score (out of 10)").fill("8")
    page.get_by_role("button", name="Save grade").click()
    expect(page.locator("main .messages")).to_be_focused()

    student = new_page()
    sign_in(student, "rodriver@demo.destalin.test")
    student.goto(prompt.get_absolute_url())
    student.get_by_label("Your post").fill("A second thought on the Secret Speech.")
    student.get_by_role("button", name="Post", exact=True).click()
    expect(student.locator("article.post:focus")).to_contain_text("A second thought")
