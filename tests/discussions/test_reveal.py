"""Until revealed, classmates' posts are withheld everywhere."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post, RevealMode
from discussions.post_services import delete_post
from discussions.services import grant_extension, save_prompt
from tests.factories import PromptFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db

TEN_WORDS = "one two three four five six seven eight nine ten"


def _page(client, prompt):
    page = page_text(client.get(prompt.get_absolute_url()))
    assert prompt.title in page
    return page


def test_student_must_post_before_seeing_classmates(client_for, cleo, dora, guarded):
    make_post(guarded, dora, "Dora's secret argument here.")
    page = _page(client_for(cleo), guarded)
    assert "Dora&#x27;s secret argument" not in page and "Dora's secret argument" not in page
    assert "appear once you have posted your own response of at least 10 words" in page


def test_a_short_response_does_not_unlock(client_for, cleo, dora, guarded):
    make_post(guarded, dora, "Dora's secret argument here.")
    make_post(guarded, cleo, "Too short.")
    assert "secret argument" not in _page(client_for(cleo), guarded)


def test_a_qualifying_response_unlocks_and_deleting_it_locks_again(client_for, cleo, dora, guarded):
    make_post(guarded, dora, "Dora's secret argument here.")
    mine = make_post(guarded, cleo, TEN_WORDS)
    assert "secret argument" in _page(client_for(cleo), guarded)
    delete_post(post=mine, by=cleo)
    assert "secret argument" not in _page(client_for(cleo), guarded)


def test_a_reply_does_not_unlock(cleo, dora, ada, guarded):
    teacher_post = make_post(guarded, ada, "Framing the question for everyone.")
    make_post(guarded, cleo, TEN_WORDS + " as a reply", parent=teacher_post)
    assert guarded.participations.get(user=cleo).unlocked_at is None


def test_teachers_always_see_everything(client_for, ada, ben, dora, guarded):
    make_post(guarded, dora, "Dora's secret argument here.")
    assert "secret argument" in _page(client_for(ada), guarded)
    assert "secret argument" in _page(client_for(ben), guarded)


def test_a_teachers_framing_response_is_visible_to_all(client_for, ada, cleo, guarded):
    make_post(guarded, ada, "A model answer from the instructor.")
    assert "model answer" in _page(client_for(cleo), guarded)


def test_after_due_reveals_everyone_at_once(client_for, cleo, dora, course):
    prompt = PromptFactory(
        course=course, reveal_mode=RevealMode.AFTER_DUE, due_at=timezone.now() + timedelta(hours=1)
    )
    make_post(prompt, dora, "Dora's early answer.")
    make_post(prompt, cleo, TEN_WORDS)
    assert "early answer" not in _page(client_for(cleo), prompt)
    assert "Everyone&#x27;s posts appear together" in _page(client_for(cleo), prompt)
    prompt.due_at = timezone.now() - timedelta(minutes=1)
    prompt.save()
    assert "early answer" in _page(client_for(cleo), prompt)


def test_an_extension_keeps_classmates_hidden_until_the_students_own_due_date(
    client_for, ada, cleo, dora, course
):
    prompt = PromptFactory(
        course=course, reveal_mode=RevealMode.AFTER_DUE, due_at=timezone.now() - timedelta(hours=1)
    )
    make_post(prompt, dora, "Dora's early answer.")
    grant_extension(
        prompt=prompt,
        student=cleo,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=timezone.now() + timedelta(days=2),
        granted_by=ada,
    )
    page = _page(client_for(cleo), prompt)
    assert "early answer" not in page
    assert "Classmates&#x27; posts appear when your extension ends" in page


def test_raising_the_minimum_keeps_responses_that_unlocked(client_for, ada, cleo, dora, course):
    # Issue 15: rules changed mid-discussion apply to new posts (tests/discussions/
    # test_rule_changes.py); a response that met the minimum of its day keeps the thread open.
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST)
    make_post(prompt, dora, "Dora's long and careful argument.")
    make_post(prompt, cleo, "Short.")
    assert "careful argument" in _page(client_for(cleo), prompt)
    prompt.min_words = 10
    save_prompt(prompt=prompt)
    assert "careful argument" in _page(client_for(cleo), prompt)


def test_a_teachers_reply_reaches_the_student_it_answers_before_reveal(
    client_for, ben, cleo, course
):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Too short to unlock.")
    make_post(prompt, ben, "Please expand this.", parent=mine)
    assert "Please expand this." in _page(client_for(cleo), prompt)


def test_withheld_posts_are_not_counted_as_unread(client_for, cleo, dora, guarded):
    make_post(guarded, dora, "Dora's secret argument here.")
    page = page_text(client_for(cleo).get(guarded.course.get_absolute_url()))
    assert guarded.title in page and " new</strong>" not in page
    make_post(guarded, cleo, TEN_WORDS)
    page = page_text(client_for(cleo).get(guarded.course.get_absolute_url()))
    assert "1 new</strong>" in page


def test_withheld_replies_send_no_notification(
    dora, cleo, course, django_capture_on_commit_callbacks
):
    prompt = PromptFactory(
        course=course, reveal_mode=RevealMode.AFTER_DUE, due_at=timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        mine = make_post(prompt, cleo, "Cleo's answer.")
        make_post(prompt, dora, "Dora replies early.", parent=mine)
    assert mail.outbox == []


def test_visible_to_is_the_rule_everywhere(cleo, dora, ada, eve, guarded):
    theirs = make_post(guarded, dora, "Dora's secret argument here.")
    assert not Post.objects.visible_to(cleo).filter(pk=theirs.pk).exists()
    assert not Post.objects.visible_to(eve).filter(pk=theirs.pk).exists()
    assert Post.objects.visible_to(ada).filter(pk=theirs.pk).exists()
    make_post(guarded, cleo, TEN_WORDS)
    assert Post.objects.visible_to(cleo).filter(pk=theirs.pk).exists()


def test_permalink_to_a_withheld_post_says_why_and_shows_nothing_of_it(
    client_for, cleo, dora, guarded
):
    theirs = make_post(guarded, dora, "Dora's secret argument here.")
    url = reverse("discussions:post", args=[guarded.course.slug, theirs.pk])
    response = client_for(cleo).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "appear once you have posted your own response" in html
    assert "secret argument" not in html and "Dora" not in html


def test_drafts_hide_their_posts_from_students(cleo, ada, course):
    draft = PromptFactory(course=course, is_published=False)
    post = make_post(draft, ada, "Preview post.")
    assert not Post.objects.visible_to(cleo).filter(pk=post.pk).exists()


def _search(client, course, query):
    return page_text(client.get(reverse("course-search", args=[course.slug]), {"q": query}))


def test_search_finds_posts_but_never_withheld_or_deleted_ones(
    client_for, cleo, dora, ada, guarded
):
    make_post(guarded, dora, "Zhdanov appears in Dora's withheld post.")
    gone = make_post(guarded, ada, "Zhdanov in a framing post that will be deleted.")
    make_post(guarded, ada, "Zhdanov in a framing post that stays.")
    delete_post(post=gone, by=ada)
    page = _search(client_for(cleo), guarded.course, "Zhdanov")
    assert "Discussions: 1 result" in page
    assert "withheld" not in page and "will be deleted" not in page
    assert "<mark>Zhdanov</mark>" in page
    assert "Discussions: 2 results" in _search(client_for(ada), guarded.course, "Zhdanov")
    make_post(guarded, cleo, TEN_WORDS)
    assert "Discussions: 2 results" in _search(client_for(cleo), guarded.course, "Zhdanov")
