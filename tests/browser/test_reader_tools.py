"""The paragraph tools in a real browser: one tab stop per paragraph (its Quote link joins
after the ¶ link is followed), shown on hover for a mouse, always on a touch screen; a link to
a removed paragraph lands on a notice; the page markers and notes pass axe."""

import pytest
from django.urls import reverse

from readings.intake.document import page_marker
from readings.services import edit_reading
from tests.factories import AssignmentFactory, ReadingFactory

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = "() => document.activeElement.className"


def _open(page, live_server, user, url):
    from tests.browser.test_every_page_accessible import _sign_in

    _sign_in(page, live_server, user)
    page.goto(url)


def test_keyboard_reaches_each_paragraph_once_and_its_quote_link_on_demand(
    new_page, live_server, cleo, course, thaw
):
    page = new_page()
    _open(page, live_server, cleo, reverse("reading-detail", args=[course.slug, thaw.slug]))
    page.focus("#p-1 .para-link")
    assert page.locator("#p-1 .para-link").is_visible()  # focused: shown
    assert page.locator("#p-1 .para-quote").is_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.para').id") == "p-2"
    assert page.evaluate(ACTIVE) == "para-link"  # the next paragraph, not a Quote link
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # follows #p-1: the paragraph is the target
    assert page.url.endswith("#p-1")
    assert page.locator("#p-1 .para-quote").is_visible()
    # Following the link moves the focus starting point to the paragraph: its ¶ link (again,
    # at most) and then its Quote link.
    page.keyboard.press("Tab")
    if page.evaluate(ACTIVE) == "para-link":
        page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "para-quote"
    assert page.evaluate("() => document.activeElement.closest('.para').id") == "p-1"


def test_a_mouse_sees_the_tools_on_hover(new_page, live_server, cleo, course, thaw):
    page = new_page()
    _open(page, live_server, cleo, reverse("reading-detail", args=[course.slug, thaw.slug]))
    link = page.locator("#p-1 .para-link")
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"
    page.locator("#p-1").hover()
    assert link.evaluate("a => getComputedStyle(a).opacity") == "1"
    assert page.locator("#p-1 .para-quote").is_visible()


def test_a_touch_screen_always_shows_the_tools(browser, live_server, cleo, course, thaw):
    from tests.browser.test_every_page_accessible import _sign_in

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    try:
        page = context.new_page()
        _sign_in(page, live_server, cleo)
        page.goto(reverse("reading-detail", args=[course.slug, thaw.slug]))
        assert page.evaluate("() => matchMedia('(hover: none)').matches")
        assert page.locator("#p-1 .para-quote").is_visible()
        assert page.locator("#p-1 .para-link").evaluate("a => getComputedStyle(a).opacity") == "1"
    finally:
        context.close()


def test_a_link_to_a_removed_paragraph_lands_on_a_notice(
    new_page, live_server, ada, cleo, course, thaw
):
    origins = thaw.sections.get(position=1)
    sections = [(s.title, s.body) for s in thaw.sections.all()]
    sections[0] = (origins.title, origins.body.replace("- Releases\n", ""))
    edit_reading(reading=thaw, sections=sections, user=ada)
    page = new_page()
    url = reverse("reading-detail", args=[course.slug, thaw.slug])
    _open(page, live_server, cleo, url)
    assert page.locator("#p-2").is_hidden()
    page.goto(url + "#p-2")
    notice = page.locator("#p-2")
    assert notice.is_visible()
    assert "is no longer in this reading. It read: “Releases”" in notice.inner_text()


def test_notes_and_page_numbers_pass_axe(new_page, axe_violations, live_server, cleo, course):
    reading = ReadingFactory(
        slug="chapter",
        sections=[
            (
                "One",
                f"Spoken in closed session.[^1]\n\n{page_marker('42')}\n\nThe next page.\n\n"
                "![A map of the camps](map.png)\n\n[^1]: On 25 February 1956.",
            )
        ],
    )
    AssignmentFactory(course=course, reading=reading)
    problems = []
    for width in (1280, 360):
        page = new_page(viewport={"width": width, "height": 900})
        _open(page, live_server, cleo, reverse("reading-detail", args=[course.slug, reading.slug]))
        assert page.locator(".page-marker").inner_text() == "p. 42"
        problems += [f"{width} px: {v}" for v in axe_violations(page)]
    assert problems == []


def test_a_skip_link_passes_every_paragraph_link(new_page, live_server, cleo, course, thaw):
    page = new_page()
    _open(page, live_server, cleo, reverse("reading-detail", args=[course.slug, thaw.slug]))
    skip = page.locator(".reading__text > .skip-link")
    assert skip.bounding_box()["width"] <= 1  # out of sight until focused
    skip.focus()
    assert skip.bounding_box()["width"] > 50
    page.keyboard.press("Enter")
    assert page.url.endswith("#reading-end")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.reading__text')")
    assert page.evaluate("() => document.activeElement.tagName") == "A"
