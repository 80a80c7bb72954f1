"""What the grader reads beside the form: the replies a student received, what moderators did
to the posts, a word-level diff of edits made after grading, a student picker, and the
single-key shortcuts a person can turn off."""

import html as html_module
import re

import pytest
from django.urls import reverse

from discussions import post_services as discussion_post_services
from discussions.grading.grader_selectors import word_diff
from discussions.moderation import services as moderation_services
from tests.factories import make_post
from tests.grading.steps import grade_form, grader_url
from tests.pages import page_text

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "Khrushchev's secret speech of February 1956 broke the spell of Stalin for a generation "
    "of party members, who had believed that the terror was the work of enemies and not of "
    "the leader himself. The camps emptied slowly, and the returnees found a country that "
    "did not want to hear them."
)


def _words(response, status=200):
    """The page as a reader hears it: tags dropped, entities read, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", page_text(response, status))
    return re.sub(r"\s+", " ", html_module.unescape(text)).replace(" :", ":")


def test_replies_a_student_received_are_shown_with_their_text_and_marks(
    client, ada, ben, graded, posts, cleo, dora
):
    later = make_post(graded, ada, "Good point, but what of Hungary?", parent=posts["cleo_reply"])
    moderation_services.hide_post(post=later, by=ben, reason="Off topic")
    moderation_services.hide_post(post=posts["cleo_response"], by=ben, reason="Spoiler")
    moderation_services.hide_post(post=posts["dora_response"], by=ben, reason="Rude")
    client.force_login(ada)
    response = client.get(grader_url(graded, cleo))
    html = response.content.decode()
    text = _words(response)
    # Dora's answer to Cleo's reply is read in full, not counted.
    assert "2 replies received" in text and "Only partly, Cleo." in text
    assert "Good point, but what of Hungary?" in text
    assert text.count("Hidden by a moderator") == 3
    assert "In reply to Dora · Hidden by a moderator: Rude:" in text  # the post answered
    assert "Hidden by a moderator: Off topic" in text and "Hidden by a moderator: Spoiler" in text
    # Dora's reply to Cleo is shown too, unmarked.
    (dora_block,) = re.findall(
        r'<div class="work-post__reply">.*?Only partly, Cleo\..*?</div>', html, re.S
    )
    assert "Hidden" not in dora_block
    assert "Cleo argues the speech broke the spell of Stalin." in text


def test_a_three_word_edit_after_grading_marks_those_words_not_the_paragraph(
    client, ada, graded, cleo
):
    post = make_post(graded, cleo, PARAGRAPH)
    client.force_login(ada)
    assert client.post(grader_url(graded, cleo), grade_form(score="7")).status_code == 302
    edited = PARAGRAPH.replace("February 1956", "early 1956").replace(
        "emptied slowly", "emptied quickly"
    )
    discussion_post_services.edit_post(post=post, editor=cleo, body=edited)
    html = client.get(grader_url(graded, cleo)).content.decode()
    deleted = re.findall(r"<del>(.*?)</del>", html, re.S)
    inserted = re.findall(r"<ins>(.*?)</ins>", html, re.S)
    words = lambda parts: [re.sub(r"<span.*?</span>", "", p).strip() for p in parts]  # noqa: E731
    assert words(deleted) == ["deleted", "February", "slowly,"]  # the legend, then the text
    assert words(inserted) == ["inserted", "early", "quickly,"]
    assert "broke the spell of Stalin for a generation" in html  # unchanged, unmarked
    assert '<p class="word-diff">' in html and '<pre class="diff">' not in html


def test_word_diff_keeps_both_texts_and_marks_only_what_changed():
    old, new = "One two three.\n\nFour five.", "One 2 three.\n\nFour five six."
    parts = word_diff(old, new)
    assert "".join(t for k, t in parts if k != "ins") == old
    assert "".join(t for k, t in parts if k != "del") == new
    assert [(k, t) for k, t in parts if k != "same"] == [
        ("del", "two "),
        ("ins", "2 "),
        ("del", "five."),
        ("ins", "five six."),
    ]
    assert word_diff("Same.", "Same.") == [("same", "Same.")]
    assert word_diff("", "New.") == [("ins", "New.")]


def _find(prompt, **query):
    url = reverse("grading:grader-find", kwargs={"course": prompt.course.slug, "pk": prompt.pk})
    return url, query


def test_the_student_picker_goes_to_the_chosen_student_keeping_the_sort(
    client, ben, graded, posts, cleo, dora
):
    client.force_login(ben)
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert '<select id="student-picker" name="student">' in page
    assert f'<option value="{cleo.pk}" dir="auto" selected>Cleo</option>' in page
    assert f'<option value="{dora.pk}" dir="auto">Dora</option>' in page
    url, query = _find(graded, student=str(dora.pk), sort="status")
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"] == grader_url(graded, dora) + "?sort=status"
    roster = client.get(grader_url(graded)).content.decode()
    assert 'action="' + url + '"' in roster and f'<option value="{cleo.pk}" dir="auto">' in roster


@pytest.mark.parametrize("chosen", ["", "abc", "99999999", "²", None])
def test_the_student_picker_refuses_anyone_not_a_student_here(
    client, ada, eve, graded, posts, chosen
):
    client.force_login(ada)
    url, query = _find(graded, student=str(eve.pk) if chosen is None else chosen)
    response = client.get(url, query)
    text = _words(response, 400)
    assert "Choose a student of this course from the list." in text
    assert "Students (2)" in text  # the roster again, to choose from


def test_shortcuts_can_be_turned_off_in_the_profile(client, ada, graded, posts, cleo):
    client.force_login(ada)
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert 'data-shortcut="j"' in page and "Turn the shortcuts off" in page
    form = {"display_name": ada.display_name, "time_zone": ""}  # the box left unticked
    assert client.post(reverse("profile"), form).status_code == 302
    ada.refresh_from_db()
    assert ada.keyboard_shortcuts is False
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert "data-shortcut" not in page and "Turn the shortcuts off" not in page
    assert 'rel="next"' in page or 'rel="prev"' in page  # the links stay, without keys
    assert client.post(reverse("profile"), {**form, "keyboard_shortcuts": "on"}).status_code == 302
    assert 'data-shortcut="' in client.get(grader_url(graded, cleo)).content.decode()
