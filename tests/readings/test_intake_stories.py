"""Adding a reading through the client: who may, following the conversion, correcting the
sections, publishing all or part of it, pasting a text, and the original file's download."""

import pytest
from django.urls import reverse

from destalin.courses.copying import copy_course
from readings.models import Assignment, Reading, Upload, UploadStatus
from readings.uploads import run_conversion
from tests.html_validator import html_errors
from tests.readings.intake import latest_upload, page_text, publish

pytestmark = pytest.mark.django_db

SPEECH = """---
title: On the Cult of Personality
author: N. S. Khrushchev
source: Twentieth Party Congress
---

Comrades, the cult of the individual acquired such monstrous size.

## The Testament

Lenin's testament warned the party about Stalin.

Its text was kept from the delegates.

## The Purges

Many were arrested on false charges.

## The War

Stalin was not ready for the invasion.
"""


def paste(client, course, text, *, title="", is_markdown=True):
    url = reverse("readings:paste", kwargs={"course": course.slug})
    return client.post(
        url, {"title": title, "text": text, "is_markdown": "1" if is_markdown else "0"}
    )


def test_a_ta_adds_readings_unless_the_instructor_turns_it_off(client_for, ben, course):
    url = reverse("readings:add", kwargs={"course": course.slug})
    home = client_for(ben).get(course.get_absolute_url()).content.decode()
    assert url in home
    assert client_for(ben).get(url).status_code == 200
    course.tas_may_add_readings = False
    course.save(update_fields=["tas_may_add_readings"])
    assert client_for(ben).get(url).status_code == 403
    response = paste(client_for(ben), course, SPEECH, title="Speech")
    assert response.status_code == 403
    assert not Upload.objects.exists()
    assert url not in client_for(ben).get(course.get_absolute_url()).content.decode()


def test_the_library_no_longer_sends_teachers_to_a_management_command(client_for, ada):
    page = client_for(ada).get(reverse("readings:library")).content.decode()
    assert "import_reading" not in page
    assert "“Add a reading” also brings a new one from a file" in page


def test_the_progress_page_reloads_itself_until_the_conversion_ends(
    client_for, ada, course, documents, django_capture_on_commit_callbacks
):
    client = client_for(ada)
    path = documents.seed("003-destalinization-the-origins", "docx")
    with path.open("rb") as file, django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("readings:add", kwargs={"course": course.slug}), {"file": file})
    upload = latest_upload(course)
    assert len(queued) == 1 and upload.status == UploadStatus.QUEUED
    waiting = client.get(upload.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "Waiting for the converter to start." in waiting
    assert '<progress max="100" value="0"' in waiting

    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.CONVERTING, done=1, total=3)
    converting = client.get(upload.get_absolute_url()).content.decode()
    assert "step 1 of 3" in converting and 'value="33"' in converting
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.QUEUED)

    run_conversion(upload.pk)
    ready = client.get(upload.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert "Check DeStalinization, The Origins" in " ".join(
        ready.replace("<bdi>", "").replace("</bdi>", "").split()
    )
    assert "Desalinization was an extremely sensitive issue" in ready
    errors = html_errors({"waiting": waiting, "converting": converting, "ready": ready})
    assert errors == []


def test_the_instructor_renames_skips_joins_and_splits_sections_before_publishing(
    client_for, ada, cleo, course
):
    client = client_for(ada)
    response = paste(client, course, SPEECH)
    upload = latest_upload(course)
    assert response["Location"] == upload.get_absolute_url()
    sections = upload.document["sections"]
    assert [s["title"] for s in sections] == ["", "The Testament", "The Purges", "The War"]
    assert upload.document["author"] == "N. S. Khrushchev"

    page = client.get(upload.get_absolute_url())
    split_choices = dict(page.context["form"].fields["split_2"].choices)
    assert list(split_choices.values()) == ["Do not split", "Its text was kept from the delegates."]
    response = client.post(
        upload.get_absolute_url(),
        {
            "title_1": "Opening", "skip_1": "on",
            "title_2": "Lenin's Testament", "split_2": str(list(split_choices)[1]),
            "title_3": "The Purges",
            "title_4": "The War", "join_4": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    upload.refresh_from_db()
    edited = [(s["title"], s["skip"], s["body"]) for s in upload.document["sections"]]
    assert edited == [
        ("Opening", True, "Comrades, the cult of the individual acquired such monstrous size."),
        ("Lenin's Testament", False, "Lenin's testament warned the party about Stalin."),
        ("", False, "Its text was kept from the delegates."),
        (
            "The Purges",
            False,
            "Many were arrested on false charges.\n\n### The War\n\n"
            "Stalin was not ready for the invasion.",
        ),
    ]

    response = publish(client, upload, part=["1", "3"], due_at="2026-12-01T23:59")
    assert response.status_code == 302
    reading = Reading.objects.get(upload=upload)
    assert [s.title for s in reading.sections.all()] == ["Lenin's Testament", "", "The Purges"]
    assert reading.author == "N. S. Khrushchev" and reading.source == "Twentieth Party Congress"
    assignment = reading.assignments.get(course=course)
    assert [s.title for s in assignment.sections.all()] == ["Lenin's Testament", "The Purges"]
    assert assignment.due_at is not None

    text = page_text(client_for(cleo).get(assignment.get_absolute_url()))
    assert "Lenin's testament warned the party about Stalin." in text
    assert "Many were arrested on false charges." in text
    assert "Its text was kept from the delegates." not in text
    assert "monstrous size" not in text
    assert (
        client_for(ada).get(upload.get_absolute_url())["Location"] == assignment.get_absolute_url()
    )


def test_publishing_twice_or_with_every_section_skipped_saves_nothing_more(client_for, ada, course):
    client = client_for(ada)
    paste(client, course, SPEECH)
    upload = latest_upload(course)
    skip_all = {f"skip_{n}": "on" for n in range(1, 5)}
    client.post(upload.get_absolute_url(), {**skip_all, **{f"title_{n}": "" for n in range(1, 5)}})
    response = publish(client, upload)
    assert response.status_code == 400
    assert "Every section is marked to skip: keep at least one." in response.content.decode()
    assert not Reading.objects.exists()

    client.post(upload.get_absolute_url(), {f"title_{n}": "" for n in range(1, 5)})
    assert publish(client, upload, title="").status_code == 400
    assert publish(client, upload, title="Speech").status_code == 302
    again = client.post(
        reverse("readings:publish", args=[course.slug, upload.pk]),
        {"title": "Speech again", "kind": "article"},
    )
    assert again["Location"] == upload.get_absolute_url()
    assert Reading.objects.count() == 1


def test_pasted_plain_text_reads_exactly_as_written(client_for, ada, course):
    client = client_for(ada)
    text = "# Not a heading\n\n*Not emphasis* and <b>not bold</b>\n1. not a list\n\n- nor this"
    response = paste(client, course, text, title="  Notes   on  1956 ", is_markdown=False)
    upload = latest_upload(course)
    assert response.status_code == 302
    assert upload.document["title"] == "Notes on 1956"
    publish(client, upload)
    reading = Reading.objects.get(upload=upload)
    assert [p.text for p in reading.paragraphs.all()] == [
        "# Not a heading",
        "*Not emphasis* and <b>not bold</b> 1. not a list",
        "- nor this",
    ]


def test_pasting_nothing_or_only_spaces_is_refused(client_for, ada, course):
    response = paste(client_for(ada), course, " \n\n ", title="Empty")
    assert response.status_code == 400
    assert (
        "This field is required." in response.content.decode()
        or "no text" in response.content.decode()
    )
    assert not Upload.objects.exists()


def test_originals_are_downloadable_unless_the_course_turns_it_off(
    client_for, ada, cleo, course, uploads, thaw
):
    url = reverse("readings:original", kwargs={"course": course.slug, "reading": thaw.slug})
    reader = reverse("reading-detail", args=[course.slug, thaw.slug])
    assert url in client_for(cleo).get(reader).content.decode()
    course.originals_downloadable = False
    course.save(update_fields=["originals_downloadable"])
    assert client_for(cleo).get(url).status_code == 403
    assert url not in client_for(cleo).get(reader).content.decode()
    response = client_for(ada).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"## Origins"


def test_a_discarded_upload_leaves_nothing_behind(client_for, ada, course, uploads):
    upload = Upload.objects.get(pk=uploads["upload"])
    response = client_for(ada).post(reverse("readings:discard", args=[course.slug, upload.pk]))
    assert response["Location"] == reverse("readings:add", args=[course.slug])
    assert not Upload.objects.filter(pk=upload.pk).exists()
    assert Upload.objects.filter(reading__isnull=False).exists()  # thaw's original stays


def test_the_add_page_lists_unfinished_uploads_in_a_fixed_number_of_queries(
    client_for, ada, course, django_assert_max_num_queries
):
    client = client_for(ada)
    for n in range(5):
        paste(client, course, f"Text {n}.", title=f"Draft {n}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("readings:add", args=[course.slug])).content.decode()
    assert all(f"Draft {n}" in page for n in range(5))


def test_a_copied_course_assigns_the_same_part_of_a_reading(ada, course, thaw):
    assignment = Assignment.objects.get(course=course, reading=thaw)
    part = list(thaw.sections.filter(position__in=[1, 3]))
    assignment.sections.set(part)
    new = copy_course(
        course=course, by=ada, title=course.title, code="HIST 275", term="Spring", shift_days=0
    )
    copied = Assignment.objects.get(course=new, reading=thaw)
    assert list(copied.sections.all()) == part
