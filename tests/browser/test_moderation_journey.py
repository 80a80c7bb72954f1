"""Journey 5: a student flags a post; a TA hides it from the review queue; another student no
longer sees it. axe on every page on the way."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_instructor_and_phone import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_flagged_post_is_hidden_from_the_review_queue(new_page, screenshot, check_a11y, demo):
    prompt = demo.prompts.get(title__startswith="Discussion question")
    flagged_words = "It\u2019s hard to say how de-Stalinization influenced"  # sowelld's response

    student = new_page()
    sign_in(student, "ianfries@demo.destalin.test")
    student.goto(prompt.get_absolute_url())
    expect(student.get_by_text(flagged_words)).to_be_visible()
    student.get_by_role("link", name="Flag sowelld's post").click()
    check_a11y(student)
    student.get_by_label("Offensive or hateful").check()
    student.get_by_label("More about it").fill("Not kind to the class.")
    student.get_by_role("button", name="Flag the post").click()
    expect(student.get_by_role("status")).to_contain_text("the moderators will look")

    ta = new_page()
    sign_in(ta, "ta@demo.destalin.test")
    ta.get_by_role("link", name=f"{demo.code}: {demo.title}").click()
    ta.get_by_role("link", name="Review 1 waiting").click()
    expect(ta.get_by_role("heading", level=1)).to_have_text("Posts to review (1)")
    expect(ta.get_by_text("Not kind to the class.")).to_be_visible()
    check_a11y(ta)
    screenshot(ta, "5-queue")
    ta.get_by_role("link", name="Hide sowelld's post with a reason").click()
    expect(ta.get_by_role("heading", level=1)).to_have_text("Moderate sowelld's post")
    ta.get_by_label("Reason for hiding").fill("Unkind to a classmate.")
    ta.get_by_role("button", name="Hide from the class").click()
    expect(ta.get_by_role("status")).to_contain_text("The post is hidden from the class.")
    expect(ta.get_by_text("Nothing to review.")).to_be_visible()
    check_a11y(ta)

    other = new_page()
    sign_in(other, "rodriver@demo.destalin.test")
    other.goto(prompt.get_absolute_url())
    expect(other.get_by_role("heading", level=1)).to_contain_text("Discussion question")
    expect(other.get_by_text(flagged_words)).to_have_count(0)
    check_a11y(other)
    screenshot(other, "5-classmate")

    author = new_page()
    sign_in(author, "sowelld@demo.destalin.test")
    author.goto(prompt.get_absolute_url())
    expect(author.get_by_text(flagged_words)).to_be_visible()
    expect(author.get_by_text("Hidden by a TA: Unkind to a classmate.")).to_be_visible()
