"""The first paint waits on no style sheet: its rules are inline, allowed by their hash under
the strict CSP (the browser reports no violation), and site.css still styles the page, with
or without JavaScript."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False])
def test_the_inline_sheet_and_site_css_both_apply_under_the_csp(
    browser, live_server, cleo, course, prompt, javascript
):
    from tests.browser.test_every_page_accessible import _sign_in

    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else 0)
        _sign_in(page, live_server, cleo)
        page.goto(prompt.get_absolute_url())
        # From the inline sheet: the header's frame. From site.css: the rules list's spacing
        # and a button's touch size. Neither is the browser's default.
        header = page.locator(".site-header__inner")
        assert header.evaluate("e => getComputedStyle(e).display") == "flex"
        assert page.evaluate("getComputedStyle(document.body).overflowWrap") == "anywhere"
        button = page.locator(".button").first
        assert button.evaluate("e => parseFloat(getComputedStyle(e).minHeight)") >= 36
        assert page.evaluate("document.styleSheets.length") == 3  # inline, site, print
        assert refused == []
        # Every page has the same head: the course page too.
        page.goto(reverse("course-detail", args=[course.slug]))
        assert header.evaluate("e => getComputedStyle(e).display") == "flex"
        assert refused == []
    finally:
        context.close()
