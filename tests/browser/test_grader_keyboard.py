"""The grader's keyboard never drops typed work (WCAG 2.1.4 and common sense): j and k act
only outside the form, leaving unsaved work asks first, and a person can turn the keys off.
The grader and the gradebook sit inside the site's margins and fit a 360 px phone; axe at
1280 and 360 px. The student picker narrows as a name is typed."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_long_text_fits import WIDER, _sign_in
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def grading(course, ada, cleo, dora):
    prompt = PromptFactory(course=course, title="Was 1956 a turning point?", points_possible=10)
    response = make_post(prompt, dora, "Dora argues that 1956 changed little in the camps.")
    make_post(prompt, cleo, "Cleo argues the speech broke the spell.")
    make_post(prompt, cleo, "But the camps emptied, Dora.", parent=response)
    return prompt


def _student_url(prompt, student):
    kwargs = {"course": prompt.course.slug, "pk": prompt.pk, "student": student.pk}
    return reverse("grading:grade-student", kwargs=kwargs)


def _grading_cleo(new_page, live_server, ada, prompt, cleo):
    """Ada's browser on Cleo's grading page."""
    page = new_page()
    _sign_in(page, live_server, ada)
    page.goto(_student_url(prompt, cleo))
    return page


def test_j_on_save_grade_keeps_the_feedback_and_leaving_asks_first(
    new_page, live_server, ada, cleo, dora, grading
):
    page = _grading_cleo(new_page, live_server, ada, grading, cleo)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")
    feedback = page.get_by_label("Feedback")
    feedback.fill("A clear argument; say more about the camps.")
    page.get_by_role("button", name="Save grade").focus()
    page.keyboard.press("j")  # focus on the form's button: no shortcut
    page.keyboard.press("k")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")
    expect(feedback).to_have_value("A clear argument; say more about the camps.")

    # Outside the form, j asks before leaving the typed feedback; "Cancel" stays.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("j")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")
    expect(feedback).to_have_value("A clear argument; say more about the camps.")
    assert asked == ["Your grade for this student is not saved. Leave it?"]

    # Following the "Next student" link with unsaved work: the browser asks too.
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Next student").click()
    page.wait_for_timeout(300)
    assert asked[-1] == "beforeunload"
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")
    expect(feedback).to_have_value("A clear argument; say more about the camps.")

    # Accepting leaves, without a second question.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.keyboard.press("j")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dora")

    # Nothing typed: j and k move at once, no question.
    with page.expect_navigation():
        page.keyboard.press("k")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")


def test_saving_is_not_leaving_and_shortcuts_can_be_turned_off(
    new_page, live_server, ada, cleo, dora, grading
):
    page = _grading_cleo(new_page, live_server, ada, grading, cleo)
    page.get_by_label("Feedback").fill("Good.")
    page.get_by_role("button", name="Save and next student").click()  # no question
    expect(page.get_by_role("heading", level=1)).to_have_text("Dora")

    page.goto(reverse("profile"))
    page.get_by_label("Single-key shortcuts").uncheck()
    page.get_by_role("button", name="Save profile").click()
    page.goto(_student_url(grading, cleo))
    expect(page.get_by_role("link", name="Next student")).to_be_visible()
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo")


def test_the_picker_goes_to_a_student_by_a_typed_name(
    new_page, live_server, ada, cleo, dora, grading
):
    page = _grading_cleo(new_page, live_server, ada, grading, cleo)
    page.get_by_label("Type a name").fill("dor")
    expect(page.get_by_label("Go to student")).to_have_value(str(dora.pk))
    with page.expect_navigation():
        page.get_by_label("Type a name").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dora")


def _x(page, selector):
    return page.locator(selector).first.bounding_box()["x"]


@pytest.mark.parametrize("width", [1280, 360])
def test_grader_and_gradebook_sit_in_the_margins_and_fit(
    new_page, live_server, check_a11y, ada, cleo, course, grading, width
):
    page = new_page(viewport={"width": width, "height": 800})
    _sign_in(page, live_server, ada)
    urls = [
        reverse("grading:grader", kwargs={"course": course.slug, "pk": grading.pk}),
        _student_url(grading, cleo),
        reverse("grading:gradebook", kwargs={"course": course.slug}),
    ]
    for url in urls:
        page.goto(url)
        header = _x(page, ".site-header__inner > *")
        assert _x(page, "main h1") == pytest.approx(header, abs=1), url
        if width == 1280:
            assert header >= 64, url  # the margins of a 72rem column, not the 16 px gutter
        assert page.evaluate(WIDER) <= 0, url
        check_a11y(page)
