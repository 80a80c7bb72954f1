"""Through the client: the export page offers Canvas's layout and Moodle's plain file; files as
Canvas and Moodle write them are previewed and saved; left-over rows of former students are
skipped with a warning; a real course's column is refused by name."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from destalin.courses.services import remove_member
from discussions.grading.models import Grade
from tests.pages import page_text as page_html


def page_text(response, status=200):
    return html.unescape(page_html(response, status))


pytestmark = pytest.mark.django_db


def _url(name, course):
    return reverse(f"grading:{name}", kwargs={"course": course.slug})


def _upload(client, course, text):
    upload = SimpleUploadedFile("grades.csv", text.encode(), "text/csv")
    return client.post(_url("gradebook-import", course), {"file": upload})


def _confirm(client, course, preview, capture):
    with capture(execute=True):
        return client.post(
            _url("gradebook-import", course),
            {"data": preview.context["data"], "digest": preview.context["digest"], "confirm": "1"},
        )


def _download(client, course, name):
    response = client.get(_url(name, course))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_export_page_says_which_file_to_pick(client, ada, course, graded):
    client.force_login(ada)
    gradebook = client.get(_url("gradebook", course)).content.decode()
    assert f'href="{_url("gradebook-export", course)}"' in gradebook
    text = page_text(client.get(_url("gradebook-export", course)))
    assert "For Canvas, or to edit and import here" in text
    assert "For Moodle" in text and "map users from “Email address”" in text
    page = client.get(_url("gradebook-export", course)).content.decode()
    assert _url("gradebook-csv", course) in page and _url("gradebook-moodle", course) in page


def test_the_moodle_file_is_a_header_and_a_row_per_student(
    client, ada, course, cleo, dora, graded, posts
):
    client.force_login(ada)
    Grade.objects.create(prompt=graded, student=cleo, score=8.5, status="graded")
    rows = list(csv.reader(io.StringIO(_download(client, course, "gradebook-moodle"))))
    column = f"Was 1956 a turning point? ({graded.pk})"
    assert rows[0] == ["First name", "Last name", "Email address", column]
    assert sorted(rows[1:]) == [["", "Cleo", "cleo@example.edu", "8.50"],
                                ["", "Dora", "dora@example.edu", ""]]  # fmt: skip


def test_the_moodle_file_reads_back_with_nothing_to_change(
    client, ada, course, cleo, dora, graded, posts
):
    client.force_login(ada)
    Grade.objects.create(prompt=graded, student=cleo, score=8.5, status="graded")
    preview = _upload(client, course, _download(client, course, "gradebook-moodle"))
    assert preview.status_code == 200
    text = page_text(preview)
    assert "0 changes" in text and "1 score already match" in text
    assert "Read as: Moodle gradebook, cells separated by commas." in text


def test_a_canvas_export_is_previewed_and_saved(
    client, ada, course, cleo, dora, graded, posts, django_capture_on_commit_callbacks
):
    client.force_login(ada)
    header = (
        f"Student;ID;SIS User ID;SIS Login ID;Section;Discussion ({graded.pk});Current Points;"
        "Final Points;Current Score;Unposted Current Score;Final Score;Unposted Final Score"
    )
    text = "\r\n".join(
        [
            header,
            ";;;;;Manual Posting;;;;;;",
            "    Points Possible;;;;;10,00;(read only);(read only);(read only);(read only);"
            "(read only);(read only)",
            f'"Cleo";{cleo.pk};;cleo@example.edu;HIST 274;8,50;;;;;;',
            '"Dora";;;DORA@example.edu;HIST 274;N/A',
        ]
    )
    preview = _upload(client, course, text)
    assert preview.status_code == 200, page_text(preview)
    assert "1 change" in page_text(preview)
    assert "Read as: Canvas gradebook, cells separated by semicolons." in page_text(preview)
    assert not Grade.objects.exists()
    assert _confirm(client, course, preview, django_capture_on_commit_callbacks).status_code == 302
    assert Grade.objects.get(student=cleo).score == 8.5
    assert not Grade.objects.filter(student=dora).exists()


def test_a_moodle_export_is_saved_by_email_address(
    client, ada, course, cleo, dora, graded, posts, django_capture_on_commit_callbacks
):
    client.force_login(ada)
    text = (
        '"First name","Last name","ID number",Institution,Department,"Email address",'
        f'"Forum: {graded.title} (Real)","Course total (Real)","Last downloaded from this course"\n'
        "Cleo,,,,,cleo@example.edu,7.00,7.00,1764470000\n"
        "Dora,,,,,dora@example.edu,-,-,1764470000\n"
    )
    preview = _upload(client, course, text)
    assert preview.status_code == 200 and "1 change" in page_text(preview)
    _confirm(client, course, preview, django_capture_on_commit_callbacks)
    assert Grade.objects.get(student=cleo).score == 7


def test_a_former_students_row_is_skipped_with_a_warning_unless_it_changes_something(
    client, ada, course, cleo, dora, graded, posts
):
    client.force_login(ada)
    Grade.objects.create(prompt=graded, student=dora, score=6, status="graded")
    exported = _download(client, course, "gradebook-csv")
    remove_member(membership=dora.memberships.get(course=course), by=ada)
    preview = _upload(client, course, exported)
    assert preview.status_code == 200
    assert "1 row skipped" in page_text(preview)
    assert f"no student with ID {dora.pk} in this course now" in page_text(preview)
    changed = _upload(client, course, exported.replace(",6.00,", ",7.00,", 1))
    assert f"no student with ID {dora.pk} in this course." in page_text(changed, 400)
    assert Grade.objects.get(student=dora).score == 6


def test_a_real_course_column_is_refused_by_name(client, ada, course, cleo, graded):
    client.force_login(ada)
    text = f"Student,ID,SIS Login ID,Section,Discussion 1 (48213)\r\nCleo,{cleo.pk},,,5\r\n"
    response = _upload(client, course, text)
    assert 'The column "Discussion 1 (48213)" is for a prompt that is not in this course.' in (
        page_text(response, 400)
    )
    assert not Grade.objects.exists()
