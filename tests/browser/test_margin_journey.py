"""Journey 8: notes in the margin. The instructor makes a reading's margin an annotation
assignment; a student annotates a passage with the keyboard alone; a classmate replies; the
instructor grades both from the grader. axe on every page on the way, at 1280 and 360 px."""

import pytest
from playwright.sync_api import expect

from discussions.models import Post, Prompt, PromptKind
from tests.browser.test_instructor_and_phone import sign_in
from tests.browser.test_keyboard_journey import press, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

READING = "Dilemmas of De-Stalinisation"
PHONE = {"width": 360, "height": 740}


def test_a_passage_annotated_by_keyboard_replied_to_and_graded(
    new_page, screenshot, check_a11y, demo
):
    reading = demo.assignments.get(reading__title=READING).reading
    instructor = new_page()
    sign_in(instructor, "instructor@demo.destalin.test")
    instructor.goto(f"/courses/{demo.slug}/readings/{reading.slug}/")
    check_a11y(instructor)
    instructor.get_by_role("button", name="Annotation assignment").click()
    expect(instructor.get_by_role("spinbutton", name="Notes required:", exact=True)).to_be_visible()
    check_a11y(instructor)
    instructor.get_by_label("Points possible").fill("10")
    instructor.get_by_role("spinbutton", name="Notes required:", exact=True).fill("1")
    instructor.get_by_label("Minimum words per note").fill("5")
    instructor.get_by_role("button", name="Save").first.click()
    expect(instructor.get_by_role("status")).to_contain_text("was saved")
    margin = Prompt.objects.get(course=demo, reading=reading, kind=PromptKind.ANNOTATION)
    assert margin.points_possible == 10 and margin.min_words == 5

    # The student: Tab to the second paragraph, Enter to pick it (its tools join it), Tab to
    # its "Note", then the words, then the note.
    student = new_page()
    sign_in(student, "rodriver@demo.destalin.test")
    student.goto(f"/courses/{demo.slug}/readings/{reading.slug}/")
    tab_to(student, "Paragraph 2, link")
    student.keyboard.press("Enter")
    tab_to(student, "Note on paragraph 2")
    press(student, "Enter")
    expect(student.get_by_role("heading", level=1)).to_contain_text("A note on ¶ 2")
    check_a11y(student)
    passage = reading.paragraphs.get(number=2).text.split()[:4]
    tab_to(student, "The words you are writing about")
    student.keyboard.type(" ".join(passage))
    tab_to(student, "Your note")
    student.keyboard.type("These opening words set the problem the whole card answers.")
    tab_to(student, "This is a question")
    student.keyboard.press("Space")
    tab_to(student, "Post note")
    press(student, "Enter")
    expect(student.get_by_role("status")).to_contain_text("Your note is up.")
    expect(student.get_by_text("Question from rodriver")).to_be_visible()
    check_a11y(student)
    screenshot(student, "8-noted")
    note = Post.objects.get(prompt=margin, author__display_name="rodriver")
    assert note.target.exact == " ".join(passage) and note.is_question

    # A classmate finds the note from the reader, on a phone, and replies.
    classmate = new_page(viewport=PHONE)
    sign_in(classmate, "sowelld@demo.destalin.test")
    classmate.goto(f"/courses/{demo.slug}/readings/{reading.slug}/")
    classmate.get_by_role("link", name="1 note, 1 question").click()
    expect(classmate.get_by_role("heading", level=1)).to_contain_text("Notes on ¶ 2")
    check_a11y(classmate)
    classmate.get_by_role("link", name="Reply to rodriver").click()
    check_a11y(classmate)
    classmate.get_by_label("Your post").fill("The card answers it only in its last line, though.")
    classmate.get_by_role("button", name="Post", exact=True).click()
    expect(classmate.get_by_role("status")).to_contain_text("Your post is up.")
    check_a11y(classmate)
    screenshot(classmate, "8-replied")

    # The instructor grades both from the grader.
    instructor.goto(margin.get_absolute_url())
    check_a11y(instructor)
    instructor.get_by_role("link", name="Grade", exact=True).click()
    check_a11y(instructor)
    for name, score in (("rodriver", "9"), ("sowelld", "7")):
        instructor.get_by_role("link", name=name, exact=True).click()
        expect(instructor.get_by_role("heading", level=1)).to_contain_text(name)
        check_a11y(instructor)
        instructor.get_by_label("Score (out of 10)").fill(score)
        instructor.get_by_role("button", name="Save grade").click()
        expect(instructor.get_by_role("status")).to_contain_text(f"Grade saved for {name}")
        instructor.goto(margin.get_absolute_url())
        instructor.get_by_role("link", name="Grade", exact=True).click()
    screenshot(instructor, "8-graded")
    grades = {g.student.display_name: g.score for g in margin.grades.select_related("student")}
    assert grades == {"rodriver": 9, "sowelld": 7}

    # Every page of the journey again at the other width.
    note_pages = [
        f"/courses/{demo.slug}/readings/{reading.slug}/notes/new/?p=2",
        f"/courses/{demo.slug}/readings/{reading.slug}/notes/2/",
        f"/courses/{demo.slug}/readings/{reading.slug}/notes/",
    ]
    phone_student = new_page(viewport=PHONE)
    sign_in(phone_student, "rodriver@demo.destalin.test")
    wide_classmate = new_page()
    sign_in(wide_classmate, "sowelld@demo.destalin.test")
    phone_instructor = new_page(viewport=PHONE)
    sign_in(phone_instructor, "instructor@demo.destalin.test")
    grader = f"/courses/{demo.slug}/prompts/{margin.pk}/grader/"
    for page, urls in (
        (phone_student, note_pages),
        (wide_classmate, note_pages),
        (phone_instructor, [*note_pages, margin.get_absolute_url(), grader]),
    ):
        for url in urls:
            page.goto(url)
            check_a11y(page)


def test_on_a_wide_screen_notes_sit_beside_their_paragraph_and_mark_their_words(
    new_page, screenshot, check_a11y, demo
):
    from destalin.models import User
    from discussions.note_services import post_note

    reading = demo.assignments.get(reading__title=READING).reading
    paragraph = reading.paragraphs.get(number=2)
    words = " ".join(paragraph.text.split()[1:4])
    author = User.objects.get(email="rodriver@demo.destalin.test")
    post_note(
        course=demo,
        author=author,
        role="student",
        paragraph=paragraph,
        exact=words,
        body="These words carry the argument of the card.",
        visibility="course",
    )
    page = new_page(viewport={"width": 1440, "height": 900})
    sign_in(page, "sowelld@demo.destalin.test")
    page.goto(f"/courses/{demo.slug}/readings/{reading.slug}/")
    aside = page.locator(".margin-aside")
    expect(aside).to_contain_text("These words carry the argument of the card.")
    mark = page.locator("mark.note-mark")
    expect(mark).to_have_text(words)
    box, text_box = aside.bounding_box(), page.locator(".reading__text").bounding_box()
    assert box["x"] >= text_box["x"] + text_box["width"], "beside the text, not over it"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.get_by_role("link", name="1 note").click()
    assert page.evaluate("document.activeElement.className") == "margin-aside"
    page.get_by_role("link", name="Show the words in the text").click()
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    check_a11y(page)
    screenshot(page, "8-beside")
