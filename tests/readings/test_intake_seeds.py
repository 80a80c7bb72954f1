"""The seed readings made into real documents (pandoc's DOCX, EPUB and HTML, LibreOffice's
ODT and PDF), uploaded through the client, published, and read back: every sentence, in
order, with the table of 002 and the bibliography of 004."""

import pytest
from django.urls import reverse

from readings.models import Reading, UploadStatus
from tests.readings.documents import SEED_NAMES, seed_source
from tests.readings.intake import (
    latest_upload,
    missing_in_order,
    normalized,
    page_text,
    publish,
    reading_paragraphs,
    seed_paragraphs,
    seed_sections,
    sentences,
    upload_file,
)

FORMATS = ["docx", "odt", "epub", "html"]


def _document(documents, name, suffix):
    """The seed as a ``suffix`` file; a PDF is LibreOffice's of pandoc's DOCX, as an
    instructor's "Save as PDF" makes one (the PDF path's own tests, ``test_pdf``, try more)."""
    if suffix == "pdf":
        return documents.to_pdf(documents.seed(name, "docx"))
    return documents.seed(name, suffix)


@pytest.mark.parametrize("suffix", [*FORMATS, "pdf"])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_sentence_of_the_seed_comes_back_in_the_reader_in_order(
    client_for, ada, course, documents, name, suffix, django_capture_on_commit_callbacks
):
    client = client_for(ada)
    response = upload_file(
        client,
        course,
        _document(documents, name, suffix),
        captured=django_capture_on_commit_callbacks,
    )
    upload = latest_upload(course)
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    assert upload.status == UploadStatus.READY, upload.message
    meta, _ = seed_source(name)
    assert upload.document["title"] == meta["title"]

    response = publish(client, upload, due_at="", instructions="Read it all.")
    reading = Reading.objects.get(upload=upload)
    assert response.status_code == 302
    reader = client.get(response["Location"])
    assert reader.status_code == 200
    text = page_text(reader)
    # A table row's text joins its cells with " — "; the page shows them cell by cell.
    expected = [
        sentence
        for kind, text in seed_paragraphs(name)
        for part in (text.split(" — ") if kind == "row" else [text])
        for sentence in sentences(part)
    ]
    assert len(expected) > 10
    assert missing_in_order(expected, text) == []
    assert reading.title == meta["title"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_table_of_002_comes_back_as_a_table_row_by_row(
    client_for, ada, course, documents, suffix, django_capture_on_commit_callbacks
):
    name = "002-de-stalinization-unraveling-the-political-shift"
    client = client_for(ada)
    upload_file(
        client, course, documents.seed(name, suffix), captured=django_capture_on_commit_callbacks
    )
    publish(client, latest_upload(course))
    reading = Reading.objects.get(upload=latest_upload(course))
    rows = [text for kind, text in reading_paragraphs(reading) if kind == "row"]
    assert rows == [text for kind, text in seed_paragraphs(name) if kind == "row"]
    assert len(rows) == 10
    assert rows[0] == normalized_row("Rejection of Cult of Personality", "Dismantling")


def normalized_row(first_cell, second_starts):
    name = "002-de-stalinization-unraveling-the-political-shift"
    return next(
        text
        for kind, text in seed_paragraphs(name)
        if kind == "row" and text.startswith(first_cell) and second_starts in text
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_bibliography_of_004_keeps_its_two_parts_entry_by_entry(
    client_for, ada, course, documents, suffix, django_capture_on_commit_callbacks
):
    client = client_for(ada)
    upload_file(
        client,
        course,
        documents.seed("004-destalinization", suffix),
        captured=django_capture_on_commit_callbacks,
    )
    publish(client, latest_upload(course))
    reading = Reading.objects.get(upload=latest_upload(course))
    sections = {
        s.title: [normalized(p.text) for p in s.paragraphs.all()] for s in reading.sections.all()
    }
    assert list(sections)[-3:] == ["See also", "Primary Sources", "Secondary Sources"]
    seed = seed_sections("004-destalinization")
    assert sections["Primary Sources"] == seed["Primary Sources"]
    assert sections["Secondary Sources"] == seed["Secondary Sources"]
    assert len(seed["Secondary Sources"]) == 10
    assert sections["Secondary Sources"][0].startswith("Adler, Nanci. The Gulag Survivor")


def test_the_reader_page_links_the_original_file_for_download(
    client_for, ada, cleo, course, documents, django_capture_on_commit_callbacks
):
    client = client_for(ada)
    path = documents.seed("003-destalinization-the-origins", "docx")
    upload_file(client, course, path, captured=django_capture_on_commit_callbacks)
    publish(client, latest_upload(course))
    reading = Reading.objects.get(upload=latest_upload(course))
    url = reverse("readings:original", kwargs={"course": course.slug, "reading": reading.slug})
    page = client_for(cleo).get(reverse("reading-detail", args=[course.slug, reading.slug]))
    assert url in page.content.decode()
    response = client_for(cleo).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert "wordprocessingml" in response["Content-Type"]
