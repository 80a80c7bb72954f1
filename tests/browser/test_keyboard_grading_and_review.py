"""Journeys 7 and 8 with the keyboard alone: the instructor grades three students with a
rubric in the grader (a refused save keeps what was typed), and a TA clears the review
queue (approve a held post, hide one with a reason, resolve a flag). A visible focus at
every step, axe on every page on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from destalin.demo import DEMO_PASSWORD
from destalin.models import User
from discussions.grading.models import GradingPolicy, Rubric
from discussions.models import Post
from discussions.moderation.services import flag_post
from tests.browser.test_keyboard_journey import press, tab_to

pytestmark = pytest.mark.django_db(transaction=True)


def keyboard_sign_in(page, email):
    page.goto("/accounts/login/")
    tab_to(page, "Email")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(DEMO_PASSWORD)
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your courses")


def _rubric(course, prompt):
    rubric = Rubric.objects.create(course=course, title="Discussion rubric")
    for position, (title, levels) in enumerate(
        [("Argument", [("Strong", 6), ("Partial", 3), ("Absent", 0)]),
         ("Evidence", [("Cited", 4), ("None", 0)])],
        start=1,
    ):  # fmt: skip
        criterion = rubric.criteria.create(title=title, position=position)
        for n, (name, points) in enumerate(levels, start=1):
            criterion.levels.create(title=name, points=points, position=n)
    GradingPolicy.objects.update_or_create(prompt=prompt, defaults={"rubric": rubric})


def _heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


def test_keyboard_only_grading_of_three_students(new_page, screenshot, check_a11y, demo):
    prompt = demo.prompts.get(title__startswith="Discussion question")
    _rubric(demo, prompt)
    page = new_page()
    keyboard_sign_in(page, "instructor@demo.destalin.test")
    page.goto(prompt.get_absolute_url())
    tab_to(page, "Grade", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grade “Discussion question")
    check_a11y(page)
    first = page.locator(".grader-roster tbody th a").first.inner_text().strip()
    tab_to(page, first, exact=True)
    press(page, "Enter")
    assert _heading(page) == first
    check_a11y(page)

    # First student: the top level of each criterion (Space checks a radio), feedback, and
    # "Save and next student".
    tab_to(page, "Strong (6)", exact=True)
    page.keyboard.press("Space")
    tab_to(page, "Cited (4)", exact=True)
    page.keyboard.press("Space")
    tab_to(page, "Feedback")
    page.keyboard.type("A clear argument from the speech.")
    tab_to(page, "Save and next student", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Grade saved for {first}")
    second = _heading(page)
    assert second != first
    check_a11y(page)

    # Second student: an arrow key moves to "Partial"; saving without the second criterion is
    # refused, and what was typed and chosen is still there.
    tab_to(page, "Strong (6)", exact=True)
    page.keyboard.press("ArrowDown")
    tab_to(page, "Feedback")
    page.keyboard.type("Half an argument; where is the evidence?")
    tab_to(page, "Save and next student", exact=True)
    press(page, "Enter")
    expect(page.get_by_text("Choose a level for every criterion, or type a score.")).to_be_visible()
    assert _heading(page) == second
    expect(page.get_by_label("Feedback")).to_have_value("Half an argument; where is the evidence?")
    expect(page.get_by_label("Partial (3)")).to_be_checked()
    check_a11y(page)
    tab_to(page, "Cited (4)", exact=True)
    page.keyboard.press("Space")
    tab_to(page, "Save and next student", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Grade saved for {second}")
    third = _heading(page)
    assert third not in (first, second)

    # Third student: excused (the status group's arrow), "Save grade", then j for the next.
    tab_to(page, "Graded", exact=True)
    page.keyboard.press("ArrowDown")
    tab_to(page, "Save grade", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Grade saved for {third}")
    assert _heading(page) == third
    press(page, "j")
    assert _heading(page) not in (first, second, third)
    screenshot(page, "7-graded")

    tab_to(page, "Grader", exact=True)  # the breadcrumb
    press(page, "Enter")
    scores = {
        row.locator("th").inner_text().strip(): row.locator("td").last.inner_text().strip()
        for row in page.locator(".grader-roster tbody tr").all()
    }
    assert (scores[first], scores[second], scores[third]) == ("10", "7", "EX")
    check_a11y(page)


def test_keyboard_only_review_queue(new_page, screenshot, check_a11y, demo):
    prompt = demo.prompts.get(title__startswith="Discussion question")
    posts = {
        p.author.display_name: p
        for p in Post.objects.filter(prompt=prompt, parent=None).select_related("author")
    }
    approve, hide, flagged = (posts[name] for name in ("sowelld", "ianfries", "rodriver"))
    Post.objects.filter(pk__in=[approve.pk, hide.pk]).update(
        held_at=timezone.now(), held_reason="The course holds new posts."
    )
    flag_post(post=flagged, by=User.objects.get(display_name="lernerm"), reason="other")

    page = new_page()
    keyboard_sign_in(page, "ta@demo.destalin.test")
    tab_to(page, f"{demo.code}: {demo.title}")
    press(page, "Enter")
    tab_to(page, "Review 3")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts to review (3)")
    check_a11y(page)

    tab_to(page, "Approve sowelld's post", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("Approved: the class now reads this text.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts to review (2)")

    tab_to(page, "Hide ianfries's post with a reason", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate ianfries's post")
    check_a11y(page)
    tab_to(page, "Reason for hiding")
    page.keyboard.type("Off the prompt.")
    tab_to(page, "Hide from the class", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("The post is hidden from the class.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts to review (1)")

    tab_to(page, "Keep rodriver's post", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("its flags are closed")
    expect(page.get_by_text("Nothing to review.")).to_be_visible()
    check_a11y(page)
    screenshot(page, "8-queue-cleared")

    approve.refresh_from_db(), hide.refresh_from_db()
    assert approve.held_at is None and approve.hidden_at is None
    assert (hide.hidden_reason, hide.hidden_by_role) == ("Off the prompt.", "ta")
    assert flagged.flags.get().resolved_at is not None
