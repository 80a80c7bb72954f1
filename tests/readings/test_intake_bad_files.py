"""Files that cannot become readings: each gets a clear message through the client, and
nothing is saved (no upload row, no file in storage, no reading)."""

import io
import zipfile
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readings.models import Reading, Upload, UploadStatus
from tests.readings.intake import latest_upload, publish, reading_paragraphs, upload_file

pytestmark = pytest.mark.django_db


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def post_file(client, course, name, data):
    url = reverse("readings:add", kwargs={"course": course.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def refused(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Upload.objects.exists()
    assert not Reading.objects.exists()


@pytest.fixture
def before(db):
    return stored_files()


def test_an_empty_file_is_refused(client_for, ada, course, before):
    refused(post_file(client_for(ada), course, "chapter.docx", b""), "The submitted file is empty.")
    refused(post_file(client_for(ada), course, "notes.txt", b" \n\n "), "The file is empty.")
    assert stored_files() == before


def test_a_password_protected_docx_is_refused(client_for, ada, course, documents, before):
    path = documents.with_password(documents.seed("003-destalinization-the-origins", "docx"))
    response = post_file(client_for(ada), course, "essay.docx", path.read_bytes())
    refused(response, "This document is protected by a password.")
    assert stored_files() == before


@pytest.mark.parametrize("suffix", ["docx", "epub"])
def test_a_zip_bomb_disguised_as_a_document_is_refused_before_it_is_unpacked(
    client_for, ada, course, documents, suffix, before
):
    path = documents.zip_bomb(suffix)
    assert path.stat().st_size < 2 * 1024 * 1024
    response = post_file(client_for(ada), course, f"chapter.{suffix}", path.read_bytes())
    refused(response, "far more than any document does; Destalin will not open it.")
    assert "would unpack to 300 MB" in response.content.decode()
    assert stored_files() == before


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(client_for, ada, course, before):
    big = 200 * 1024 * 1024
    client = client_for(ada)
    body = io.BytesIO(b"%PDF-1.7\n" + b"\0" * big)
    response = client.post(
        reverse("readings:add", kwargs={"course": course.slug}),
        {"file": SimpleUploadedFile("scan.pdf", body.getvalue(), "application/pdf")},
    )
    assert response.status_code == 413
    limit_kb = (settings.READING_UPLOAD_MAX_BYTES + 64 * 1024) // 1024
    assert "That was too much to send at once" in response.content.decode()
    assert f"accepts at most {limit_kb} kB" in response.content.decode()
    assert not Upload.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "data", "described"),
    [
        ("chapter.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("chapter.pdf", None, "Word (DOCX)"),
        ("notes.txt", b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "Web page (HTML)"),
        ("page.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "something else"),
        ("book.epub", None, "Word (DOCX)"),
    ],
)
def test_a_file_whose_extension_lies_about_its_type_is_refused(
    client_for, ada, course, documents, name, data, described, before
):
    if data is None:
        data = documents.seed("003-destalinization-the-origins", "docx").read_bytes()
    response = post_file(client_for(ada), course, name, data)
    refused(response, f"but its contents are {described}.")
    assert stored_files() == before


def test_a_kind_of_file_the_reader_cannot_read_is_refused(client_for, ada, course):
    response = post_file(client_for(ada), course, "slides.pptx", b"PK\x03\x04whatever")
    refused(response, "is not a kind of file Destalin can read.")


def test_a_web_page_with_scripts_is_read_without_running_or_keeping_them(
    client_for, ada, course, tmp_path, django_capture_on_commit_callbacks
):
    page = tmp_path / "speech.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>The Secret Speech</title>"
        "<script>document.title = 'pwned'; fetch('/steal')</script></head>"
        '<body onload="alert(1)"><h1>The Secret Speech</h1>'
        '<p>Khrushchev spoke <a href="javascript:alert(2)">in closed session</a>.</p>'
        '<script>alert(3)</script><p onclick="alert(4)">It was read in party cells.</p>'
        '<img src="x" onerror="alert(5)" alt="A delegate"><style>p{display:none}</style>'
        "</body></html>",
        encoding="utf-8",
    )
    client = client_for(ada)
    upload_file(client, course, page, captured=django_capture_on_commit_callbacks)
    upload = latest_upload(course)
    assert upload.status == UploadStatus.READY
    assert upload.document["title"] == "The Secret Speech"
    page = lxml.html.fromstring(client.get(upload.get_absolute_url()).content)
    preview = lxml.html.tostring(page.xpath("//main")[0], encoding="unicode")
    publish(client, upload)
    reading = Reading.objects.get(upload=upload)
    texts = [text for _, text in reading_paragraphs(reading)]
    assert texts == [
        "Khrushchev spoke in closed session.",
        "It was read in party cells.",
        "A delegate",
    ]
    stored = "".join(s.body + s.body_html for s in reading.sections.all())
    for page_html in (stored, preview):
        assert "Khrushchev spoke" in page_html
        for trace in ("alert", "javascript:", "<script", "onload", "onclick", "onerror", "steal"):
            assert trace not in page_html


def test_a_document_pandoc_cannot_read_fails_with_a_message_and_keeps_no_file(
    client_for, ada, course, documents, django_capture_on_commit_callbacks, before
):
    # A real DOCX with its main part torn out: the container is sound, the document is not.
    source = documents.seed("003-destalinization-the-origins", "docx")
    broken = Path(documents.folder) / "broken.docx"
    with zipfile.ZipFile(source) as whole, zipfile.ZipFile(broken, "w") as torn:
        for item in whole.infolist():
            data = whole.read(item)
            torn.writestr(
                item, data[: len(data) // 3] if item.filename == "word/document.xml" else data
            )
    client = client_for(ada)
    response = upload_file(client, course, broken, captured=django_capture_on_commit_callbacks)
    upload = latest_upload(course)
    assert response["Location"] == upload.get_absolute_url()
    assert upload.status == UploadStatus.FAILED
    assert not upload.file and stored_files() == before
    page = client.get(upload.get_absolute_url())
    assert "could not be converted" in page.content.decode()
    assert "it may be damaged" in page.content.decode()
    assert client.get(reverse("readings:publish", args=[course.slug, upload.pk])).status_code == 302
    assert not Reading.objects.exists()
