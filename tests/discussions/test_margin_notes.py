"""Notes in the margin: a course member picks a paragraph of a reading, then the words within
it, and writes about them; classmates read the note under the paragraph and reply. A note is
a post: the same limits, moderation and reading rule."""

import pytest
from django.urls import reverse

from discussions.models import NoteTarget, Post, Prompt, PromptKind, Visibility
from discussions.note_services import post_note
from readings.models import Paragraph
from tests.factories import PromptFactory, make_post
from tests.pages import count_queries, page_text

pytestmark = pytest.mark.django_db

FIRST = "Ehrenburg's novel gave the era its name."
NOTE = "The title of the novel became the name of a whole decade of reform."


def _reader(course, thaw):
    return reverse("reading-detail", args=[course.slug, thaw.slug])


def _new_note(course, thaw):
    return reverse("discussions:note-create", args=[course.slug, thaw.slug])


def _notes(course, thaw, number=1):
    return reverse("discussions:paragraph-notes", args=[course.slug, thaw.slug, number])


def _write(client, course, thaw, **fields):
    data = {"p": "1", "exact": "gave the era its name", "body": NOTE, "visibility": "course"}
    data.update(fields)
    return client.post(_new_note(course, thaw), data)


def _note(author, thaw, course, body=NOTE, **kwargs):
    paragraph = Paragraph.objects.get(reading=thaw, number=kwargs.pop("number", 1))
    return post_note(
        course=course,
        author=author,
        role=author.memberships.get(course=course).role,
        paragraph=paragraph,
        exact=kwargs.pop("exact", ""),
        body=body,
        visibility=kwargs.pop("visibility", Visibility.COURSE),
        **kwargs,
    )


def test_a_student_notes_words_of_a_paragraph_and_a_classmate_reads_it_under_it(
    client_for, course, thaw, cleo, dora
):
    reader = page_text(client_for(cleo).get(_reader(course, thaw)))
    assert reader.count(f'href="{_new_note(course, thaw)}?p=') == 6

    form = page_text(client_for(cleo).get(_new_note(course, thaw), {"p": 1}))
    assert FIRST.replace("'", "&#x27;") in form and "The words you are writing about" in form

    response = _write(client_for(cleo), course, thaw)
    note = Post.objects.get(body=NOTE)
    assert response.status_code == 302
    assert response["Location"] == f"{_notes(course, thaw)}#post-{note.pk}"
    assert note.prompt.kind == PromptKind.ANNOTATION and note.prompt.reading == thaw
    assert (note.target.exact, note.target.prefix, note.target.suffix) == (
        "gave the era its name",
        "Ehrenburg's novel ",
        ".",
    )

    reader = page_text(client_for(dora).get(_reader(course, thaw)))
    assert f'<a class="para-notes" href="{_notes(course, thaw)}">1 note</a>' in reader
    listing = page_text(client_for(dora).get(_notes(course, thaw)))
    assert NOTE in listing and "gave the era its name" in listing


def test_a_reply_to_a_note_is_threaded_under_it(client_for, course, thaw, cleo, dora):
    note = _note(cleo, thaw, course)
    make_post(note.prompt, dora, "Dora answers the note with a question of her own.", parent=note)
    listing = page_text(client_for(cleo).get(_notes(course, thaw)))
    assert listing.index(NOTE) < listing.index("Dora answers the note")
    reply_url = reverse("discussions:reply", args=[course.slug, note.prompt_id, note.pk])
    assert reply_url in listing


def test_questions_are_counted_apart(client_for, course, thaw, cleo, dora):
    _note(cleo, thaw, course)
    _note(dora, thaw, course, "Why did the title stick so well?", is_question=True)
    reader = page_text(client_for(cleo).get(_reader(course, thaw)))
    assert ">2 notes, 1 question</a>" in reader
    listing = page_text(client_for(cleo).get(_notes(course, thaw)))
    assert "<strong>Question</strong> from <bdi>Dora</bdi>" in listing


def test_a_private_note_is_read_by_its_author_alone(client_for, course, thaw, ada, ben, cleo, dora):
    _note(cleo, thaw, course, "Cleo's reminder to herself about Ehrenburg.", visibility="private")
    _note(dora, thaw, course, "Dora's note for the whole class.")
    for viewer, expected in ((cleo, "2 notes"), (dora, "1 note"), (ada, "1 note"), (ben, "1 note")):
        reader = page_text(client_for(viewer).get(_reader(course, thaw)))
        assert f">{expected}</a>" in reader, viewer.display_name
        listing = page_text(client_for(viewer).get(_notes(course, thaw)))
        assert "Dora's note for the whole class." in listing
        assert ("Cleo's reminder" in listing) == (viewer == cleo), viewer.display_name


def test_a_note_for_the_teachers_is_read_with_its_replies_by_its_author_and_teachers(
    client_for, course, thaw, ada, ben, cleo, dora
):
    note = _note(cleo, thaw, course, "Cleo asks the teachers alone.", visibility="teachers")
    answer = make_post(note.prompt, ada, "Ada answers Cleo alone.", parent=note)
    assert answer.visibility == Visibility.TEACHERS  # a reply takes its note's visibility
    for viewer in (ada, ben, cleo, dora):
        listing = page_text(client_for(viewer).get(_notes(course, thaw)))
        reads = viewer != dora
        assert ("Cleo asks the teachers alone." in listing) == reads, viewer.display_name
        assert ("Ada answers Cleo alone." in listing) == reads, viewer.display_name
        assert "No note you can read is on this paragraph yet." in listing or reads


def test_private_notes_meet_no_requirement(course, thaw, cleo):
    note = _note(
        cleo, thaw, course, "A private thought of more than enough words.", visibility="private"
    )
    participation = note.prompt.participations.get(user=cleo)
    assert participation.responses == 0 and participation.unlocked_at is None
    public = _note(cleo, thaw, course, "A public thought for the class to read now.")
    participation.refresh_from_db()
    assert participation.responses == 1 and participation.response_met_by == public


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"exact": "words that are not there"}, 400, "Those words are not in this paragraph."),
        ({"body": ""}, 400, "Write something before posting."),
        ({"body": "\u200b \u200b"}, 400, "This post would show no words to readers"),
        ({"visibility": "everyone"}, 400, "Select a valid choice."),
        ({"p": "7"}, 404, None),
        ({"p": "x"}, 404, None),
        ({"p": "²"}, 404, None),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_saved(
    client_for, course, thaw, cleo, fields, status, message
):
    response = _write(client_for(cleo), course, thaw, **fields)
    assert response.status_code == status
    if message:
        assert message in response.content.decode().replace("&#x27;", "'")
    assert not Post.objects.exists() and not NoteTarget.objects.exists()
    assert not Prompt.objects.filter(kind=PromptKind.ANNOTATION).exists()


def test_a_reading_not_in_the_course_has_no_margin(client_for, course, other_course, thaw, cleo):
    other = reverse("discussions:note-create", args=[other_course.slug, thaw.slug])
    assert client_for(cleo).get(other, {"p": 1}).status_code == 404
    assert client_for(cleo).get(_notes(course, thaw, 99)).status_code == 404


def test_a_discussion_post_cannot_be_private(course, prompt, cleo):
    with pytest.raises(Exception, match="Only notes in a reading's margin"):
        make_post(prompt, cleo, "A private post in a discussion.", visibility="private")
    assert not Post.objects.exists()


def test_preview_shows_the_note_and_posts_nothing(client_for, course, thaw, cleo):
    response = _write(client_for(cleo), course, thaw, body="*Thaw* as a title", action="preview")
    page = page_text(response)
    assert "<em>Thaw</em> as a title" in page and not Post.objects.exists()


def test_notes_in_a_course_that_holds_posts_wait_for_review(
    client_for, course, thaw, ada, cleo, dora
):
    course.hold_posts = True
    course.save()
    response = _write(client_for(cleo), course, thaw)
    assert response.status_code == 302
    note = Post.objects.get(body=NOTE)
    assert note.held_at is not None
    assert "Awaiting review" in page_text(client_for(cleo).get(_notes(course, thaw)))
    assert "No note you can read" in page_text(client_for(dora).get(_notes(course, thaw)))
    assert "Awaiting review" in page_text(client_for(ada).get(_notes(course, thaw)))


def test_the_reader_reads_notes_in_a_constant_number_of_queries(
    client_for, course, thaw, cleo, dora
):
    client = client_for(cleo)
    _note(dora, thaw, course)
    few = count_queries(client, _reader(course, thaw))
    for number in (1, 2, 3, 4):
        _note(
            dora, thaw, course, f"Another note on paragraph {number} for the class.", number=number
        )
    assert count_queries(client, _reader(course, thaw)) == few


def test_the_margin_is_a_prompt_of_the_course_that_teachers_can_open(
    client_for, course, thaw, ada, cleo
):
    note = _note(cleo, thaw, course)
    thread = page_text(client_for(ada).get(note.prompt.get_absolute_url()))
    assert "Notes on The Thaw" in thread and NOTE in thread
    assert PromptFactory(course=course).kind == PromptKind.DISCUSSION


def test_teachers_who_follow_new_work_are_told_of_notes_they_may_read_only(
    course, thaw, ada, ben, cleo, django_capture_on_commit_callbacks
):
    from django.core import mail

    for teacher in (ada, ben):
        teacher.notify_new_responses = True
        teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        _note(
            cleo, thaw, course, "A private thought no teacher should hear of.", visibility="private"
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _note(cleo, thaw, course, "A note for the teachers about Ehrenburg.", visibility="teachers")
    assert sorted(m.to[0] for m in mail.outbox) == [ada.email, ben.email]
    assert all("New note from Cleo" in m.subject for m in mail.outbox)


def test_the_reader_script_gets_a_paragraphs_notes_as_a_list_alone(client_for, course, thaw, cleo):
    _note(cleo, thaw, course, exact="gave the era its name")
    fragment = page_text(client_for(cleo).get(_notes(course, thaw), {"fragment": "1"}))
    assert fragment.lstrip().startswith('<ol class="margin-notes')
    assert 'data-exact="gave the era its name"' in fragment and "<html" not in fragment


def test_a_note_is_quoted_into_a_discussion_with_its_author_and_passage(
    client_for, course, thaw, cleo, dora, prompt
):
    note = _note(cleo, thaw, course, exact="gave the era its name")
    picker = page_text(
        client_for(dora).get(reverse("discussions:note-quote", args=[course.slug, note.pk]))
    )
    link = f"{prompt.get_absolute_url()}?note={note.pk}#respond"
    assert link.replace("&", "&amp;") in picker
    assert "Notes on The Thaw" not in picker  # a margin takes notes on its own text only
    form = client_for(dora).get(prompt.get_absolute_url(), {"note": note.pk})
    body = form.context["form"].initial["body"]
    assert body.startswith(f"> {NOTE}\n>\n> — [Cleo's note on The Thaw ¶ 1]")
    assert f"(/courses/{course.slug}/posts/{note.pk}/)" in body


def test_a_private_note_cannot_be_quoted_by_others(client_for, course, thaw, cleo, dora, prompt):
    note = _note(cleo, thaw, course, visibility="private")
    url = reverse("discussions:note-quote", args=[course.slug, note.pk])
    assert client_for(dora).get(url).status_code == 404
    # Nor by its author: a discussion is read by the whole course.
    assert client_for(cleo).get(url).status_code == 404
    for reader in (dora, cleo):
        form = client_for(reader).get(prompt.get_absolute_url(), {"note": note.pk})
        assert form.context["form"].initial["body"] == ""


def test_only_a_note_the_whole_course_reads_can_be_quoted_into_a_discussion(
    client_for, course, thaw, ada, cleo, prompt
):
    for_teachers = _note(cleo, thaw, course, "Cleo asks the teachers alone.", visibility="teachers")
    own_private = _note(cleo, thaw, course, "Cleo's private reminder.", visibility="private")
    public = _note(cleo, thaw, course, "Cleo writes for the whole class.")
    quote = reverse("discussions:note-quote", args=[course.slug, for_teachers.pk])
    assert client_for(ada).get(quote).status_code == 404  # Ada reads it, the class does not
    own = reverse("discussions:note-quote", args=[course.slug, own_private.pk])
    assert client_for(cleo).get(own).status_code == 404
    listing = page_text(client_for(ada).get(_notes(course, thaw)))
    assert listing.count("Quote in a discussion") == 1
    allowed = reverse("discussions:note-quote", args=[course.slug, public.pk])
    assert allowed in listing and client_for(ada).get(allowed).status_code == 200


def test_a_private_note_never_waits_for_a_moderator_nor_reaches_the_grader(
    client_for, course, thaw, ada, cleo
):
    course.hold_posts = True
    course.word_list = "purge"
    course.save()
    note = _note(
        cleo, thaw, course, "My own thought on the purge, for me alone.", visibility="private"
    )
    assert note.held_at is None
    queue = page_text(client_for(ada).get(reverse("discussions:review-queue", args=[course.slug])))
    assert "for me alone" not in queue and "Review" in queue
    from discussions.models import Prompt

    Prompt.objects.filter(pk=note.prompt_id).update(points_possible=10)
    work = page_text(
        client_for(ada).get(
            reverse("grading:grade-student", args=[course.slug, note.prompt_id, cleo.pk])
        )
    )
    assert "for me alone" not in work and "Cleo" in work


def test_an_archived_course_takes_no_first_note(client_for, course, thaw, cleo):
    course.is_archived = True
    course.save()
    form = client_for(cleo).get(_new_note(course, thaw), {"p": 1})
    assert form.status_code == 403
    assert _write(client_for(cleo), course, thaw).status_code == 403
    assert not Post.objects.exists() and not Prompt.objects.filter(kind="annotation").exists()
    listing = page_text(client_for(cleo).get(_notes(course, thaw)))
    assert "Write a note on this paragraph" not in listing and "archived" in listing
