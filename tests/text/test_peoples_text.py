"""People's names and titles: shown isolated (a right-to-left override in a name reverses
nothing after it), refused when they show nothing, and stored NFC however they were typed."""

import unicodedata

import pytest
from django.core import mail
from django.urls import reverse

from destalin.models import User
from discussions.grading.models import Rubric
from discussions.models import Post, Prompt
from discussions.moderation.services import hide_post
from tests.factories import PromptFactory, make_post
from tests.grading.steps import grader_url

pytestmark = pytest.mark.django_db

RLO = "\u202e"
INVISIBLE_NAMES = ["\u200b\u200b\u200b", "\u200d\u2060", "\u3164", "\u202e \u202c", " \u00ad "]


@pytest.fixture
def eve_rtl(cleo):
    cleo.display_name = f"Cleo {RLO}evil"
    cleo.save(update_fields=["display_name"])
    return cleo


def test_a_bidi_override_in_a_name_is_isolated_in_the_grader_and_thread_and_log(
    client_for, ada, dora, eve_rtl, course
):
    prompt = PromptFactory(course=course, points_possible=10)
    post = make_post(prompt, eve_rtl, "My response.")
    hide_post(post=post, by=ada, reason="Checking")
    client = client_for(ada)
    name = f"<bdi>Cleo {RLO}evil</bdi>"
    for url in [
        grader_url(prompt),
        grader_url(prompt, eve_rtl),
        prompt.get_absolute_url(),
        reverse("grading:gradebook", kwargs={"course": course.slug}),
        reverse("discussions:audit-log", kwargs={"course": course.slug}),
        reverse("course-members", args=[course.slug]),
    ]:
        page = client.get(url).content.decode()
        assert name in page, url
        # Wherever the name is an element's text, that element is its <bdi>.
        assert page.count(f">Cleo {RLO}evil<") == page.count(name), url


def test_reply_mail_carries_no_bidi_controls(
    client_for, cleo, eve_rtl, dora, prompt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        parent = make_post(prompt, dora, "Parent.")
        make_post(prompt, eve_rtl, "A reply.", parent=parent)
    [message] = mail.outbox
    assert message.subject.endswith("Cleo evil replied to your post")
    assert RLO not in message.subject and RLO not in message.body


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_a_name_that_shows_nothing_is_refused(client_for, cleo, name):
    response = client_for(cleo).post(reverse("profile"), {"display_name": name})
    assert response.status_code == 400
    assert "shows nothing" in response.content.decode() or "Enter the name" in (
        response.content.decode()
    )
    assert User.objects.get(pk=cleo.pk).display_name == "Cleo"


@pytest.mark.parametrize("title", INVISIBLE_NAMES[:3])
def test_titles_that_show_nothing_are_refused(client_for, ada, course, title):
    client = client_for(ada)
    prompt = client.post(
        reverse("discussions:prompt-create", args=[course.slug]),
        {"title": title, "body": "Argue.", "reveal_mode": "open", "min_words": "0",
         "required_responses": "1", "required_replies": "0", "points_possible": "0"},
    )  # fmt: skip
    assert prompt.status_code == 400 and "shows nothing" in prompt.content.decode()
    assert not Prompt.objects.exists()
    rubric = client.post(
        reverse("grading:rubric-create", kwargs={"course": course.slug}),
        {"title": title, "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
         "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "20",
         "criteria-0-title": title, "criteria-0-levels": f"2 Good\n0 {title}"},
    )  # fmt: skip
    assert rubric.status_code == 400 and "shows nothing" in rubric.content.decode()
    assert not Rubric.objects.exists()
    settings = client.post(
        reverse("course-settings", args=[course.slug]),
        {"title": title, "code": "HIST 274", "term": "Fall 2026", "grade_release": "manual"},
    )
    assert settings.status_code == 400 and "shows nothing" in settings.content.decode()


def test_what_people_type_is_stored_nfc(client_for, ada, cleo, course, prompt):
    decomposed = unicodedata.normalize("NFD", "Хрущёв and Dubček")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    client_for(cleo).post(reverse("profile"), {"display_name": decomposed})
    client_for(cleo).post(
        reverse("discussions:post-create", args=[course.slug, prompt.pk]), {"body": decomposed}
    )
    composed = "Хрущёв and Dubček"
    assert User.objects.get(pk=cleo.pk).display_name == composed
    assert Post.objects.get(author=cleo).body == composed
