"""Journey 4: the instructor builds a rubric, grades a student with it in the grader,
releases grades; the student sees the grade and the feedback; the gradebook CSV downloads and
parses. axe on every page on the way."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.test_instructor_and_phone import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_grades_with_a_rubric_and_the_student_sees_it(
    new_page, screenshot, check_a11y, demo
):
    prompt = demo.prompts.get(title__startswith="Discussion question")
    page = new_page()
    sign_in(page, "instructor@demo.destalin.test")
    page.get_by_role("link", name=f"{demo.code}: {demo.title}").click()
    page.get_by_role("link", name="Gradebook").click()
    check_a11y(page)

    page.get_by_role("link", name="Rubrics").click()
    page.get_by_role("link", name="New rubric").click()
    check_a11y(page)
    page.get_by_label("Rubric title").fill("Discussion rubric")
    first, second = (page.get_by_role("group", name=f"Criterion {n}") for n in (1, 2))
    first.get_by_label("Criterion").fill("Argument")
    first.get_by_label("Levels").fill("6 Strong\n3 Partial\n0 Absent")
    second.get_by_label("Criterion").fill("Evidence")
    second.get_by_label("Levels").fill("4 Cited\n0 None")
    page.get_by_role("button", name="Save rubric").click()
    expect(page.get_by_role("heading", name="Discussion rubric")).to_be_visible()
    check_a11y(page)

    page.goto(prompt.get_absolute_url())
    page.get_by_role("link", name="Grade", exact=True).click()
    page.get_by_role("link", name="Grading policy").click()
    check_a11y(page)
    page.get_by_label("Rubric").select_option(label="Discussion rubric")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grade “Discussion question")
    check_a11y(page)
    screenshot(page, "4-grader")

    page.get_by_role("link", name="sowelld", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sowelld")
    check_a11y(page)
    page.get_by_label("Strong (6)").check()
    page.get_by_label("Cited (4)").check()
    page.get_by_label("Score (out of 10)").fill("")
    page.get_by_label("Feedback").fill("A **clear** argument from the speech.")
    page.get_by_role("button", name="Save grade").click()
    expect(page.get_by_role("status")).to_contain_text("Grade saved for sowelld")
    expect(page.get_by_text("Last saved by")).to_contain_text("10")
    check_a11y(page)
    screenshot(page, "4-graded")

    # sowelld is last by name; the keyboard shortcut moves to the previous student.
    expect(page.get_by_text("Last student")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("k")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("sowelld")

    # Not released yet: the student sees nothing.
    student = new_page()
    sign_in(student, "sowelld@demo.destalin.test")
    student.goto(f"/courses/{demo.slug}/")
    student.get_by_role("link", name="Your grades").click()
    expect(student.get_by_text("Not released yet")).to_be_visible()
    expect(student.get_by_text("clear argument")).to_have_count(0)

    page.goto(prompt.get_absolute_url())
    page.get_by_role("link", name="Grade", exact=True).click()
    page.get_by_role("button", name="Release grades").click()
    expect(page.get_by_role("status")).to_contain_text("Grades are released now")

    student.reload()
    expect(student.locator(".own-grade__score").first).to_contain_text("10 out of 10")
    expect(student.get_by_text("A clear argument from the speech.")).to_be_visible()
    expect(student.get_by_role("row", name="Argument")).to_contain_text("Strong")
    check_a11y(student)
    screenshot(student, "4-student-grades")

    page.goto(f"/courses/{demo.slug}/gradebook/")
    page.get_by_role("link", name="Export", exact=True).click()
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download for Canvas (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as file:
        text = file.read()
    assert text.startswith("\ufeff")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "    Points Possible"
    graded = next(row for row in rows if row[3] == "sowelld@demo.destalin.test")
    assert graded[rows[0].index(f"{prompt.title} ({prompt.pk})")] == "10.00"
