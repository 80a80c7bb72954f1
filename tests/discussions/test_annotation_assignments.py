"""Annotation assignments: an instructor makes a reading's margin an assignment (due date,
points, "at least 2 notes of at least 5 words and 1 reply to a classmate's note, spread over
at least 2 sections"); the student's checklist says what is met and when, and the margin is
graded like any prompt."""

import pytest
from django.urls import reverse

from discussions.models import Post, Prompt, PromptKind, Visibility
from discussions.note_services import margin_prompt, post_note
from readings.models import Paragraph
from tests.factories import make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db

LONG = "A note long enough to count for the assignment"


def _note(author, course, thaw, number, body=LONG):
    return post_note(
        course=course,
        author=author,
        role=author.memberships.get(course=course).role,
        paragraph=Paragraph.objects.get(reading=thaw, number=number),
        exact="",
        body=f"{body} (¶ {number}).",
        visibility=Visibility.COURSE,
    )


def _requirements(margin, **rules):
    Prompt.objects.filter(pk=margin.pk).update(**rules)
    margin.refresh_from_db()
    return margin


def test_an_instructor_turns_a_readings_margin_into_an_annotation_assignment(
    client_for, course, thaw, ada
):
    client = client_for(ada)
    reader = page_text(client.get(reverse("reading-detail", args=[course.slug, thaw.slug])))
    setup = reverse("discussions:margin-setup", args=[course.slug, thaw.slug])
    assert f'action="{setup}"' in reader

    response = client.post(setup)
    margin = Prompt.objects.get(kind=PromptKind.ANNOTATION, reading=thaw, course=course)
    edit = reverse("discussions:prompt-edit", args=[course.slug, margin.pk])
    assert response.status_code == 302 and response["Location"] == edit
    # Pressing it again opens the same margin: one per course and reading.
    assert client.post(setup)["Location"] == edit

    form = page_text(client.get(edit))
    assert "Notes required" in form and "Sections with a note required" in form
    assert "Minimum words per note" in form
    assert 'name="readings"' not in form


def test_a_discussions_form_has_no_sections_requirement(client_for, course, ada):
    form = page_text(client_for(ada).get(reverse("discussions:prompt-create", args=[course.slug])))
    assert 'name="required_replies"' in form and 'name="required_sections"' not in form


def test_students_cannot_set_up_an_annotation_assignment(client_for, course, thaw, cleo):
    setup = reverse("discussions:margin-setup", args=[course.slug, thaw.slug])
    assert client_for(cleo).post(setup).status_code == 403
    assert not Prompt.objects.filter(kind=PromptKind.ANNOTATION).exists()


def test_notes_meet_the_requirement_once_spread_over_enough_sections(
    client_for, course, thaw, cleo, dora
):
    # The Thaw: ¶ 1 to 3 are in "Origins", ¶ 4 and 5 in the untitled part, ¶ 6 in "Limits".
    margin = _requirements(
        margin_prompt(course=course, reading=thaw),
        required_responses=2,
        required_sections=2,
        min_words=5,
        required_replies=1,
    )
    _note(cleo, course, thaw, 1)
    _note(cleo, course, thaw, 2)
    participation = margin.participations.get(user=cleo)
    assert participation.qualifying_responses == 2 and participation.sections_annotated == 1
    assert participation.response_met_at is None  # two notes, but in one section

    third = _note(cleo, course, thaw, 4)
    participation.refresh_from_db()
    assert participation.sections_annotated == 2
    assert participation.response_met_by == third
    assert participation.met_at is None  # the reply is still missing

    dora_note = _note(dora, course, thaw, 6)
    make_post(margin, cleo, "Cleo answers the note Dora wrote.", parent=dora_note)
    participation.refresh_from_db()
    assert participation.met_at is not None

    page = page_text(client_for(cleo).get(margin.get_absolute_url()))
    assert "<strong>Notes:</strong> done, 3 of 2" in page
    assert "<strong>Sections annotated:</strong> done, 2 of 2" in page
    assert "<strong>Replies to classmates:</strong> done" in page


def test_a_short_note_counts_for_no_section(course, thaw, cleo):
    margin = _requirements(
        margin_prompt(course=course, reading=thaw), required_sections=1, min_words=20
    )
    _note(cleo, course, thaw, 6, body="Too short")
    participation = margin.participations.get(user=cleo)
    assert (participation.responses, participation.sections_annotated) == (1, 0)
    assert participation.met_at is None


def test_the_margins_thread_sends_new_notes_to_the_reading(client_for, course, thaw, cleo):
    margin = margin_prompt(course=course, reading=thaw)
    page = page_text(client_for(cleo).get(margin.get_absolute_url()))
    assert "Notes are written on the reading" in page
    assert reverse("reading-detail", args=[course.slug, thaw.slug]) in page
    create = reverse("discussions:post-create", args=[course.slug, margin.pk])
    response = client_for(cleo).post(create, {"body": "A note without any passage at all."})
    assert response.status_code == 403 and not Post.objects.exists()


def test_a_graded_annotation_assignment_is_in_the_gradebook_and_the_grader(
    client_for, course, thaw, ada, cleo
):
    margin = _requirements(
        margin_prompt(course=course, reading=thaw), points_possible=10, required_responses=1
    )
    _note(cleo, course, thaw, 3)
    gradebook = page_text(client_for(ada).get(reverse("grading:gradebook", args=[course.slug])))
    assert "Notes on The Thaw" in gradebook
    roster = page_text(
        client_for(ada).get(reverse("grading:grader", args=[course.slug, margin.pk]))
    )
    assert "Cleo" in roster
    work = client_for(ada).get(
        reverse("grading:grade-student", args=[course.slug, margin.pk, cleo.pk])
    )
    work = page_text(work)
    assert f"{LONG} (¶ 3)." in work
    notes_url = reverse("discussions:paragraph-notes", args=[course.slug, thaw.slug, 3])
    assert f'<a href="{notes_url}">¶ 3 of <bdi>The Thaw</bdi>' in work
    assert "Rehabilitations" in work  # the words the note is about (all of ¶ 3)
