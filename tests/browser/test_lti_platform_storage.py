"""A launch inside the platform's frame, in a chromium that blocks third-party cookies: the
OIDC state and nonce are kept in the platform's storage through postMessages, the launch is
proven by them, and the person continues in a new window, signed in.

The platform is lti1p3platform (tests/lti/platform.py) served over HTTP; its course page
answers the storage postMessages per the spec, since lti1p3platform has no browser half."""

import pytest
from django.urls import reverse

from destalin.lti.models import LtiContext, LtiUser, PlatformPolicy
from tests.browser.conftest import CHROMIUM, FLAGS
from tests.lti.conftest import register
from tests.lti.platform import Platform

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def blocking_browser(browser):
    """Chromium as it is when third-party cookies are blocked (its own switch for it)."""
    other = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*FLAGS, "--test-third-party-cookie-phaseout"]
    )
    yield other
    other.close()


@pytest.fixture
def framed_platform(live_server, client):
    """A platform on another site (127.0.0.1) than the tool (localhost), allowed to frame it."""
    platform = register(client, Platform(live_server.url))
    PlatformPolicy.objects.filter(tool=platform.tool).update(frame_origins=platform.url)
    yield platform
    platform.close()


def open_course(blocking_browser, platform, live_server):
    context = blocking_browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{platform.url}/course?sub=t-1&tool={live_server.url}")
    return context, page.frame_locator('iframe[name="tool"]')


def test_a_launch_in_a_frame_without_cookies_goes_through_the_platforms_storage(
    blocking_browser, framed_platform, live_server
):
    context, frame = open_course(blocking_browser, framed_platform, live_server)
    button = frame.get_by_role("button", name="Open Destalin in a new window")
    button.wait_for()
    assert frame.get_by_text("keeps Destalin from staying signed in").is_visible()

    with context.expect_page() as opened:
        button.click()
    window = opened.value
    window.wait_for_load_state()

    course = LtiContext.objects.get(context_id="course-1").course
    assert window.url == live_server.url + course.get_absolute_url()
    assert window.get_by_role("heading", name="The Soviet Union after Stalin").first.is_visible()
    assert LtiUser.objects.get(sub="t-1").user.display_name == "Ada"
    context.close()


def test_without_the_platforms_storage_the_frame_offers_the_new_window(
    blocking_browser, framed_platform, live_server
):
    # A platform page that never answers: the storage fails, pylti1p3's check remains.
    framed_platform.storage_answers = False
    context, frame = open_course(blocking_browser, framed_platform, live_server)

    link = frame.get_by_role("link", name="Open Destalin in a new window")
    link.wait_for()

    assert reverse("lti:login") in link.get_attribute("href")
    assert "lti1p3_new_window=1" in link.get_attribute("href")
    assert not LtiUser.objects.exists()
    context.close()
