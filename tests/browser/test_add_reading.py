"""Journey: an instructor brings a Word document (made by pandoc from seed 002) through the
browser, corrects a section's title, publishes it, and a student reads every sentence of it,
the table included; axe on every page, and at 320 px."""

import pytest
from playwright.sync_api import expect

from readings.models import Reading
from tests.browser.test_instructor_and_phone import sign_in
from tests.readings.documents import Documents
from tests.readings.intake import missing_in_order, normalized, seed_paragraphs, sentences

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "002-de-stalinization-unraveling-the-political-shift"


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    return Documents(tmp_path_factory.mktemp("documents")).seed(SEED, "docx")


def test_instructor_uploads_a_word_document_and_a_student_reads_it(
    new_page, check_a11y, screenshot, demo, docx
):
    page = new_page()
    sign_in(page, "instructor@demo.destalin.test")
    page.get_by_role("link", name=f"{demo.code}: {demo.title}").click()
    page.get_by_role("link", name="Add a reading").click()
    check_a11y(page)
    page.get_by_label("File:", exact=True).set_input_files(docx)
    page.get_by_role("button", name="Upload").click()

    heading = "Check De-Stalinization: Unraveling The Political Shift And Its Historical Impact"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading, timeout=60_000)
    check_a11y(page)
    page.get_by_label("Title of section 1").fill("Definition and characteristics")
    page.get_by_role("button", name="Save sections").click()
    expect(page.get_by_text("Saved the sections.")).to_be_visible()
    screenshot(page, "preview")

    page.get_by_role("link", name="Publish and assign").click()
    check_a11y(page)
    expect(page.get_by_label("Title:", exact=True)).to_have_value(heading.removeprefix("Check "))
    page.get_by_label("Instructions").fill("Read the table first.")
    page.get_by_role("button", name="Publish and assign").click()
    expect(page.get_by_text("Published and assigned")).to_be_visible()
    reading = Reading.objects.get(upload__isnull=False)
    assert reading.sections.first().title == "Definition and characteristics"

    student = new_page(viewport={"width": 320, "height": 800})
    sign_in(student, "sowelld@demo.destalin.test")
    student.goto(reading.assignments.get().get_absolute_url())
    check_a11y(student)
    expect(student.get_by_role("table")).to_have_count(1)
    text = normalized(student.locator("main").inner_text())
    expected = [
        sentence
        for kind, paragraph in seed_paragraphs(SEED)
        for part in (paragraph.split(" — ") if kind == "row" else [paragraph])
        for sentence in sentences(part)
    ]
    assert missing_in_order(expected, text) == []
    screenshot(student, "reader-320")
