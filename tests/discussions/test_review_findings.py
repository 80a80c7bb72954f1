"""Rules found missing in review, each pinned by a test."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post, Prompt, RevealMode
from discussions.services import grant_extension, save_prompt
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db


def _page(client, prompt):
    return client.get(prompt.get_absolute_url()).content.decode()


def test_an_extension_keeps_classmates_hidden_until_the_students_own_due_date(
    client_for, ada, cleo, dora, course
):
    prompt = PromptFactory(
        course=course, reveal_mode=RevealMode.AFTER_DUE, due_at=timezone.now() - timedelta(hours=1)
    )
    make_post(prompt, cleo, "Cleo's finished answer.")
    grant_extension(
        prompt=prompt,
        student=dora,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=timezone.now() + timedelta(days=2),
        granted_by=ada,
    )
    assert "finished answer" not in _page(client_for(dora), prompt)


def test_raising_the_minimum_relocks_short_responses(client_for, ada, cleo, dora, course):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST)
    make_post(prompt, dora, "Dora's long and careful argument.")
    make_post(prompt, cleo, "Short.")
    assert "careful argument" in _page(client_for(cleo), prompt)
    prompt.min_words = 10
    save_prompt(prompt=prompt)
    assert "careful argument" not in _page(client_for(cleo), prompt)


def test_prompt_edits_never_overwrite_the_post_counter(cleo, course):
    prompt = PromptFactory(course=course)
    stale = Prompt.objects.get(pk=prompt.pk)
    make_post(prompt, cleo, "Posted while the instructor was editing.")
    stale.title = "Renamed"
    save_prompt(prompt=stale)
    assert Prompt.objects.get(pk=prompt.pk).post_count == 1


def test_moving_the_due_date_or_extending_updates_late_marks(ada, cleo, course):
    prompt = PromptFactory(course=course, due_at=timezone.now() - timedelta(hours=1))
    post = make_post(prompt, cleo, "Late.")
    assert Post.objects.get(pk=post.pk).is_late
    grant_extension(
        prompt=prompt,
        student=cleo,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=None,
        granted_by=ada,
    )
    assert not Post.objects.get(pk=post.pk).is_late


def test_a_teachers_reply_reaches_the_student_it_answers(client_for, ben, cleo, course):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Too short to unlock.")
    make_post(prompt, ben, "Please expand this.", parent=mine)
    assert "Please expand this." in _page(client_for(cleo), prompt)


def test_replying_to_does_not_name_a_hidden_author(client_for, ada, cleo, dora, course):
    prompt = PromptFactory(course=course)
    parent = make_post(prompt, cleo, "Level 0.")
    for depth in range(1, 5):
        parent = make_post(prompt, dora if depth % 2 else cleo, f"Level {depth}.", parent=parent)
    make_post(prompt, cleo, "Level 5.", parent=parent)
    from discussions.services import delete_post

    delete_post(post=parent, by=ada)
    page = _page(client_for(cleo), prompt)
    assert "replying to a post not shown" in page
    assert "replying to Dora" not in page


@pytest.mark.parametrize("value", ["\u00b2", "\u0661", "9" * 40, "-1", "1e3"])
def test_odd_numbers_never_crash(client_for, cleo, course, prompt, value):
    client = client_for(cleo)
    post_url = reverse("discussions:post-create", args=[course.slug, prompt.pk])
    assert client.post(post_url, {"body": "Hi", "parent": value}).status_code == 404
    assert client.get(prompt.get_absolute_url(), {"reading": "x", "p": value}).status_code == 200
    quote = reverse("discussions:quote", args=[course.slug])
    assert client.get(quote, {"reading": "x", "p": value}).status_code == 404


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "thaw\u2028"])
def test_nul_in_slugs_and_codes_never_crash(client_for, cleo, course, prompt, value):
    client = client_for(cleo)
    assert client.get(prompt.get_absolute_url(), {"reading": value, "p": "1"}).status_code == 200
    quote = reverse("discussions:quote", args=[course.slug])
    assert client.get(quote, {"reading": value, "p": "1"}).status_code == 404
    assert client.get(f"/join/AB{value}CD/").status_code == 200
    assert client.post(reverse("join"), {"code": f"AB{value}CDEFG"}).status_code == 400


def test_opening_time_is_shown_in_the_courses_time_zone(client_for, cleo, course, settings):
    settings.TIME_ZONE = "America/New_York"
    opens = timezone.make_aware(timezone.datetime(2030, 1, 15, 10, 0))
    prompt = PromptFactory(course=course, opens_at=opens)
    assert "opens Jan 15 at 10:00 AM" in _page(client_for(cleo), prompt)


def test_archived_courses_and_closed_prompts_freeze_posts(client_for, cleo, course, prompt):
    post = make_post(prompt, cleo, "Mine.")
    prompt.cutoff_at = timezone.now() - timedelta(minutes=1)
    prompt.save()
    delete = reverse("discussions:post-delete", args=[course.slug, post.pk])
    assert client_for(cleo).post(delete).status_code == 403
    prompt.cutoff_at = None
    prompt.save()
    course.is_archived = True
    course.save()
    edit = reverse("discussions:post-edit", args=[course.slug, post.pk])
    assert client_for(cleo).post(edit, {"body": "Changed"}).status_code == 403
    assert client_for(cleo).post(delete).status_code == 403


def test_a_broken_notification_never_breaks_the_post(
    client_for, cleo, dora, prompt, django_capture_on_commit_callbacks
):
    parent = make_post(prompt, cleo, "Parent.")
    with (
        mock.patch("discussions.notifications._recipients", side_effect=RuntimeError("boom")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(dora).post(
            reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]),
            {"body": "Reply.", "parent": parent.pk},
        )
    assert response.status_code == 302


def test_the_same_words_to_two_classmates_are_not_duplicates(cleo, dora, ada, prompt):
    a, b = make_post(prompt, dora, "Dora."), make_post(prompt, ada, "Ada.")
    make_post(prompt, cleo, "I agree.", parent=a)
    make_post(prompt, cleo, "I agree.", parent=b)
    assert Post.objects.filter(author=cleo).count() == 2


def test_after_due_reveal_needs_a_due_date(client_for, ada, course):
    response = client_for(ada).post(
        reverse("discussions:prompt-create", args=[course.slug]),
        {
            "title": "T",
            "body": "B",
            "points_possible": "0",
            "reveal_mode": "after_due",
            "min_words": "0",
            "required_responses": "1",
            "required_replies": "0",
        },
    )
    assert response.status_code == 400
    assert "needs a due date" in response.content.decode()


def test_no_delete_link_when_a_hidden_reply_hangs_under_the_post(
    client_for, cleo, dora, ben, course
):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Short.")
    make_post(prompt, dora, "Dora's reply Cleo cannot see yet.", parent=mine)
    page = _page(client_for(cleo), prompt)
    assert reverse("discussions:post-delete", args=[course.slug, mine.pk]) not in page


def test_quote_page_offers_only_open_prompts(client_for, cleo, course, thaw):
    PromptFactory(course=course, title="Open prompt")
    PromptFactory(
        course=course, title="Closed prompt", cutoff_at=timezone.now() - timedelta(hours=1)
    )
    page = (
        client_for(cleo)
        .get(reverse("discussions:quote", args=[course.slug]), {"reading": thaw.slug, "p": 1})
        .content.decode()
    )
    assert "Open prompt" in page and "Closed prompt" not in page


def test_editing_a_prompt_keeps_a_concurrent_move(ada, course):
    first, second = PromptFactory(course=course), PromptFactory(course=course)
    stale = Prompt.objects.get(pk=first.pk)
    from discussions.services import move_prompt

    move_prompt(prompt=second, offset=-1)
    stale.title = "Renamed"
    save_prompt(prompt=stale)
    positions = dict(Prompt.objects.values_list("pk", "position"))
    assert positions[second.pk] < positions[first.pk]


def test_hidden_posts_are_never_marked_new(client_for, cleo, dora, course):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Short.")
    client_for(cleo).get(prompt.get_absolute_url())
    make_post(prompt, dora, "Dora's reply Cleo cannot see yet.", parent=mine)
    page = _page(client_for(cleo), prompt)
    assert "Jump to first new post" not in page and "post--new" not in page


def test_no_mail_for_a_post_deleted_before_the_worker_ran(ada, cleo, prompt):
    from django.core import mail

    from discussions.notifications import notify_new_post
    from discussions.services import delete_post

    ada.notify_new_responses = True
    ada.save()
    post = make_post(prompt, cleo, "Gone before the mail.")
    delete_post(post=post, by=cleo)
    mail.outbox.clear()
    notify_new_post.call(post.pk)
    assert mail.outbox == []


@pytest.mark.parametrize("meta", [{"REMOTE_ADDR": ""}, {"REMOTE_ADDR": "not-an-address"}])
def test_rate_limits_survive_a_missing_client_address(client_for, otto, course, meta):
    response = client_for(otto).post(reverse("join"), {"code": course.join_code}, **meta)
    assert response.status_code == 302
