"""The reveal rule cannot be gamed: with "after the student's own response", only a response
classmates can read, with words a reader sees, opens the gate.

Inputs tried: a response showing nothing (U+200B, ``&nbsp;``, ``<!-- -->``, ``[](x)``,
``** **``, a lone combining mark, a soft hyphen, and their kin: a Hangul filler, a blank
Braille cell, ``&#8203;``, an image alone); three "words" that are not words; a response held
by the word list or by pre-moderation; a response hidden after it unlocked."""

import pytest
from django.urls import reverse

from discussions.models import Post
from discussions.moderation import services as moderation
from discussions.post_services import NOTHING_VISIBLE
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

TEN_WORDS = "one two three four five six seven eight nine ten"
SECRET = "Dora's secret argument"


def _post(client, prompt, body, *, url=None):
    url = url or reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    return client.post(url, {"body": body, "action": "post"})


def _thread(client, prompt):
    return client.get(prompt.get_absolute_url()).content.decode()


@pytest.fixture
def after_post(course, dora):
    """An after-post prompt with no minimum, where Dora has already answered."""
    prompt = PromptFactory(course=course, reveal_mode="after_post", min_words=0)
    make_post(prompt, dora, f"{SECRET} here.")
    return prompt


NOTHING = [
    "\u200b",
    "&nbsp;",
    "<!-- -->",
    "[](x)",
    "** **",
    "\u0301",
    "\u00ad",
    "&#8203;",
    "&shy;",
    "\u3164",  # Hangul filler: a "letter" drawn as nothing
    "\u2800",  # a blank Braille cell
    "![a picture with many words of alt text](https://example.org/x.png)",
    "\u200b \u200b \u200b",
    ". . .",
    "`\u200b`",
    "[\u200b](https://example.org)",
]


@pytest.mark.parametrize("body", NOTHING)
def test_a_response_that_shows_nothing_is_refused_and_opens_nothing(
    client_for, cleo, after_post, body
):
    client = client_for(cleo)
    response = _post(client, after_post, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "would show no words to readers" in page
    assert not Post.objects.filter(author=cleo).exists()
    thread = _thread(client, after_post)
    assert "appear once you have posted your own response" in thread
    assert SECRET not in thread.replace("&#x27;", "'")


def test_the_refusal_keeps_the_text_and_says_why(client_for, cleo, after_post):
    response = _post(client_for(cleo), after_post, "[](x)")
    assert NOTHING_VISIBLE.replace("'", "&#x27;") in response.content.decode()
    assert "[](x)</textarea>" in response.content.decode()


@pytest.mark.parametrize("body", ["\u200b", "** **", "&nbsp;"])
def test_a_reply_or_an_edit_that_shows_nothing_is_refused(client_for, cleo, after_post, body):
    mine = make_post(after_post, cleo, "My own response.")
    client = client_for(cleo)
    reply_url = reverse("discussions:post-create", args=[after_post.course.slug, after_post.pk])
    reply = client.post(reply_url, {"body": body, "action": "post", "parent": mine.pk})
    assert reply.status_code == 400 and "would show no words" in reply.content.decode()
    edit = client.post(
        reverse("discussions:post-edit", args=[after_post.course.slug, mine.pk]), {"body": body}
    )
    assert edit.status_code == 400 and "would show no words" in edit.content.decode()
    mine.refresh_from_db()
    assert mine.body == "My own response." and Post.objects.filter(author=cleo).count() == 1


@pytest.mark.parametrize(
    "body",
    ["\u200b \u200b \u200b", ". . .", "a\u200b b\u200b", "— — — — word", "\u0301 \u0301 x y"],
)
def test_only_visible_words_count_toward_the_minimum(client_for, cleo, course, dora, body):
    prompt = PromptFactory(course=course, reveal_mode="after_post", min_words=3)
    make_post(prompt, dora, f"{SECRET} here.")
    _post(client_for(cleo), prompt, body)
    standing = prompt.participations.get(user=cleo)
    assert standing.unlocked_at is None and standing.qualifying_responses == 0
    assert SECRET not in _thread(client_for(cleo), prompt).replace("&#x27;", "'")


def test_three_visible_words_do_count(client_for, cleo, course, dora):
    prompt = PromptFactory(course=course, reveal_mode="after_post", min_words=3)
    make_post(prompt, dora, f"{SECRET} here.")
    _post(client_for(cleo), prompt, "Хрущёв's thaw\u00ad, 1956.")
    assert prompt.participations.get(user=cleo).unlocked_at is not None
    assert SECRET in _thread(client_for(cleo), prompt).replace("&#x27;", "'")


def test_a_response_held_by_the_word_list_unlocks_only_when_approved(
    client_for, ada, cleo, after_post
):
    after_post.course.word_list = "stalinist"
    after_post.course.save()
    _post(client_for(cleo), after_post, "A Stalinist answer.")
    mine = Post.objects.get(author=cleo)
    assert mine.held_at is not None
    assert after_post.participations.get(user=cleo).unlocked_at is None
    assert SECRET not in _thread(client_for(cleo), after_post).replace("&#x27;", "'")
    moderation.approve_post(post=mine, by=ada)
    mine.refresh_from_db()
    standing = after_post.participations.get(user=cleo)
    assert standing.unlocked_at == mine.published_at
    assert SECRET in _thread(client_for(cleo), after_post).replace("&#x27;", "'")


def test_a_response_held_for_pre_moderation_unlocks_only_when_approved(
    client_for, ada, cleo, after_post
):
    after_post.hold_posts = True
    after_post.save()
    _post(client_for(cleo), after_post, "My honest answer.")
    standing = after_post.participations.get(user=cleo)
    assert standing.unlocked_at is None and standing.met_at is None
    # Every other path is shut too: the permalink and search.
    theirs = Post.objects.get(author__display_name="Dora")
    client = client_for(cleo)
    permalink = reverse("discussions:post", args=[after_post.course.slug, theirs.pk])
    withheld = client.get(permalink)
    assert withheld.status_code == 403  # withheld by the reveal rule only, and told so
    assert SECRET not in withheld.content.decode()
    search = client.get(reverse("course-search", args=[after_post.course.slug]), {"q": "secret"})
    assert search.status_code == 200 and "Discussions: 0 results" in search.content.decode()
    moderation.approve_post(post=Post.objects.get(author=cleo), by=ada)
    assert client.get(permalink).status_code == 302


def test_hiding_the_response_relocks_as_deleting_does(client_for, ada, cleo, course, dora):
    prompt = PromptFactory(course=course, reveal_mode="after_post", required_responses=1)
    make_post(prompt, dora, f"{SECRET} here.")
    mine = make_post(prompt, cleo, TEN_WORDS)
    met_at = prompt.participations.get(user=cleo).met_at
    assert met_at is not None
    assert SECRET in _thread(client_for(cleo), prompt).replace("&#x27;", "'")

    moderation.hide_post(post=mine, by=ada, reason="Off topic.")
    standing = prompt.participations.get(user=cleo)
    assert standing.unlocked_at is None
    assert standing.met_at is None and standing.was_met_at == met_at
    page = _thread(client_for(cleo), prompt)
    assert SECRET not in page.replace("&#x27;", "'")
    assert "unmet, was met at" in page

    moderation.unhide_post(post=mine, by=ada)
    standing = prompt.participations.get(user=cleo)
    assert standing.unlocked_at is not None and standing.met_at is not None


def test_visible_to_follows_the_gate_on_every_path(ada, cleo, dora, after_post):
    theirs = Post.objects.get(author=dora)
    mine = make_post(after_post, cleo, "My answer.")
    assert Post.objects.visible_to(cleo).filter(pk=theirs.pk).exists()
    moderation.hide_post(post=mine, by=ada, reason="")
    assert not Post.objects.visible_to(cleo).filter(pk=theirs.pk).exists()
    # Her own hidden post stays hers to read.
    assert Post.objects.visible_to(cleo).filter(pk=mine.pk).exists()
