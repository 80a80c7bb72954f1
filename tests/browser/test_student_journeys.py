"""Journeys 1 and 2: a new student joins the demo course, reads, quotes a reading in the seed
discussion and replies to a classmate; axe checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from readings.models import Progress
from tests.browser.steps import sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_student_joins_reads_quotes_and_replies(new_page, screenshot, check_a11y, demo):
    page = new_page()
    sign_up(page, "nina@example.edu", "Nina", check_a11y)

    # Journey 1: join with the code, open the syllabus, read, mark as read.
    page.get_by_label("Join code").fill(demo.join_code)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.title)
    check_a11y(page)
    screenshot(page, "1-course")
    page.get_by_role("link", name="Dilemmas of De-Stalinisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dilemmas of De-Stalinisation")
    check_a11y(page)
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("Marked as read on")).to_be_visible()
    screenshot(page, "1-reading")
    assert Progress.objects.get(user__email="nina@example.edu").read_at is not None

    # Journey 2: the seed prompt says to post first.
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Discussion question")).click()
    expect(page.get_by_role("note")).to_contain_text("appear once you have posted")
    expect(page.get_by_text("sowelld", exact=True)).to_have_count(0)
    check_a11y(page)
    screenshot(page, "2-prompt-before")

    # Select words in a paragraph of the reading and quote them.
    page.goto(f"/courses/{demo.slug}/readings/dilemmas-of-de-stalinisation/")
    paragraph = page.locator("#p-2")
    paragraph.evaluate(
        """(el) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let text = walker.nextNode();
            while (text && !text.textContent.includes("Charismatic")) text = walker.nextNode();
            const start = text.textContent.indexOf("Charismatic");
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + "Charismatic authority".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    paragraph.hover()  # a mouse sees a paragraph's Quote link on hover
    paragraph.get_by_role("link", name="Quote paragraph 2 in a discussion").click()
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^Discussion question")).click()
    body = page.get_by_label("Your post")
    expect(body).to_have_value(re.compile(r"^> Charismatic authority\n"))
    body.press("Control+End")
    body.type(
        "Jones shows that charisma stood in for legitimacy, so removing Stalin left a hole "
        "the party had to fill; the muddle was not planned."
    )
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your post is up.")
    mine = page.locator("article.post", has_text="Jones shows that charisma")
    expect(mine.locator("blockquote")).to_contain_text("Charismatic authority")
    expect(mine.locator("blockquote")).not_to_contain_text("Jones shows")
    expect(
        mine.get_by_role("link", name=re.compile("Dilemmas of De-Stalinisation"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="sowelld", exact=True)).to_be_visible()
    expect(page.locator(".checklist")).to_contain_text("Response: done")
    check_a11y(page)
    screenshot(page, "2-prompt-after")

    # Reply to a classmate.
    page.get_by_role("link", name="Reply to sowelld").click()
    check_a11y(page)
    page.get_by_label("Your post").fill("Then was the Secret Speech an attempt to fill it?")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".checklist")).to_contain_text("Replies to classmates: done, 1 of 1")
    expect(page.locator(".post-item.indent-1").last).to_contain_text("Secret Speech an attempt")
    screenshot(page, "2-replied")


def test_the_accessibility_check_catches_a_violation(new_page, check_a11y):
    page = new_page()
    page.set_content('<html lang="en"><body><main><h1>x</h1><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_a11y(page)
