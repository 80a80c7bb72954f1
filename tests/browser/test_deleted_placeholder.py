"""The placeholder a deleted post leaves in its thread is readable: axe finds no contrast
problem on it, in the light scheme and the dark."""

import pytest
from playwright.sync_api import expect

from discussions.post_services import delete_post
from tests.factories import make_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_deleted_placeholder_has_enough_contrast(
    new_page, live_server, axe_violations, cleo, dora, prompt, scheme
):
    from tests.browser.test_every_page_accessible import _sign_in

    gone = make_post(prompt, cleo, "Soon gone.")
    make_post(prompt, dora, "A reply that keeps its place.", parent=gone)
    delete_post(post=gone, by=cleo)
    page = new_page()
    _sign_in(page, live_server, dora)
    page.emulate_media(color_scheme=scheme)
    page.goto(prompt.get_absolute_url())
    expect(page.get_by_text("This post was deleted.")).to_be_visible()
    assert axe_violations(page) == []
