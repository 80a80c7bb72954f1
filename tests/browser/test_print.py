"""A printed reading is the text: no "Quote" links, and black on white even when the screen
is in dark mode."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reading_prints_black_on_white_without_its_screen_links(
    new_page, live_server, cleo, course, thaw
):
    from tests.browser.test_every_page_accessible import _sign_in

    page = new_page()
    _sign_in(page, live_server, cleo)
    page.emulate_media(color_scheme="dark")
    page.goto(reverse("reading-detail", args=[course.slug, thaw.slug]))
    paragraph = page.locator(".reading__text p.para").first
    paragraph.hover()
    assert page.locator(".para-quote").first.is_visible()  # on screen, each paragraph has one
    assert paragraph.evaluate("p => getComputedStyle(p).color") != "rgb(0, 0, 0)"

    page.emulate_media(media="print", color_scheme="dark")
    assert page.locator(".para-quote").first.is_hidden()
    assert page.locator(".course-nav").first.is_hidden()
    assert paragraph.evaluate("p => getComputedStyle(p).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    assert "Ehrenburg's novel gave the era its name." in page.locator(".reading__text").inner_text()
