"""Journey 3 (an instructor sets up a prompt and a reading and follows a student) and
journey 7 (the reader and the thread on a 360 px phone), with axe on every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from destalin.demo import DEMO_PASSWORD
from readings.models import Reading

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")


@pytest.fixture
def library_reading(demo):
    """One seed reading stays in the library, for the instructor to assign."""
    demo.assignments.filter(reading__slug="destalinization-the-origins").delete()
    return demo


def test_instructor_sets_up_a_prompt_and_sees_progress(
    new_page, screenshot, check_a11y, library_reading
):
    demo = library_reading
    page = new_page()
    sign_in(page, "instructor@demo.destalin.test")
    page.get_by_role("link", name=f"{demo.code}: {demo.title}").click()
    check_a11y(page)

    page.get_by_role("link", name="Assign a reading").click()
    check_a11y(page)
    page.get_by_label("Reading").select_option(label="DeStalinization, The Origins")
    due = timezone.localtime() + timezone.timedelta(days=4)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT17:00"))
    page.get_by_label("Instructions").fill("Read it against Kozlov.")
    page.get_by_role("button", name="Assign").click()
    expect(
        page.get_by_role("link", name="DeStalinization, The Origins", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name="New prompt").click()
    check_a11y(page)
    page.get_by_label("Title").fill("Was the Thaw a thaw?")
    page.get_by_label("Prompt").fill("Use **two** readings.")
    page.get_by_label("DeStalinization, The Origins").check()
    page.get_by_label("Due:").fill(due.strftime("%Y-%m-%dT23:59"))
    page.get_by_label("Minimum words per response").fill("50")
    page.get_by_label("Replies to classmates required").fill("2")
    page.get_by_label("After the student's own response").check()
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save prompt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was the Thaw a thaw?")
    expect(
        page.get_by_role("link", name="DeStalinization, The Origins", exact=True)
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "3-prompt")

    # A student opens the reading; the instructor sees it on the progress page.
    student = new_page()
    sign_in(student, "sowelld@demo.destalin.test")
    student.goto(f"/courses/{demo.slug}/readings/destalinization-the-origins/")
    expect(student.get_by_role("note")).to_contain_text("Excerpt.")
    page.goto(f"/courses/{demo.slug}/")
    page.get_by_role("link", name="Progress on DeStalinization, The Origins").click()
    expect(page.locator("#group-opened").locator("..")).to_contain_text("sowelld")
    check_a11y(page)
    screenshot(page, "3-progress")
    page.goto(demo.prompts.get(title__startswith="Discussion question").get_absolute_url())
    page.get_by_role("link", name="Students' progress").click()
    expect(page.get_by_role("row", name="sowelld")).to_contain_text("1 of 1")
    check_a11y(page)
    assert Reading.objects.get(slug="destalinization-the-origins").assignments.exists()


@pytest.mark.parametrize("path", ["reading", "thread"])
def test_phone_reader_and_thread_fit_the_screen(new_page, screenshot, check_a11y, demo, path):
    page = new_page(viewport={"width": 360, "height": 740})
    sign_in(page, "sowelld@demo.destalin.test")
    if path == "reading":
        page.goto(f"/courses/{demo.slug}/readings/de-stalinization-unraveling-the-political-shift/")
    else:
        page.goto(demo.prompts.get().get_absolute_url())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    check_a11y(page)
    screenshot(page, f"7-{path}")
