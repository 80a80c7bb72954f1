import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from discussions.models import Post, RevealMode
from discussions.notifications import notify_new_post
from discussions.post_services import delete_post
from tests.factories import PromptFactory, make_post
from tests.pages import count_queries, page_text

pytestmark = pytest.mark.django_db


def test_new_posts_since_the_last_visit_are_counted_and_marked(client_for, cleo, dora, prompt):
    client = client_for(cleo)
    client.get(prompt.get_absolute_url())
    new = make_post(prompt, dora, "Something new.")
    course_page = client.get(prompt.course.get_absolute_url()).content.decode()
    assert "1 new</strong>" in course_page
    page = client.get(prompt.get_absolute_url()).content.decode()
    assert f'<a href="#post-{new.pk}">Jump to first new post</a>' in page
    assert "post--new" in page
    again = page_text(client.get(prompt.get_absolute_url()))
    assert "Something new." in again and "post--new" not in again
    course_page = page_text(client.get(prompt.course.get_absolute_url()))
    assert prompt.title in course_page and " new</strong>" not in course_page


def test_a_visit_with_nothing_new_keeps_what_counts_as_new(client_for, cleo, dora, prompt):
    client = client_for(cleo)
    client.get(prompt.get_absolute_url())
    first = prompt.participations.get(user=cleo).last_visited_at
    client.get(prompt.get_absolute_url())
    assert prompt.participations.get(user=cleo).last_visited_at == first
    new = make_post(prompt, dora, "Something new.")
    page = client.get(prompt.get_absolute_url()).content.decode()
    assert f'<a href="#post-{new.pk}">Jump to first new post</a>' in page
    assert prompt.participations.get(user=cleo).last_visited_at > first


def test_the_course_page_counts_unread_posts_at_a_constant_cost(
    client_for, cleo, dora, course, prompt
):
    second = PromptFactory(course=course)
    client = client_for(cleo)
    client.get(prompt.get_absolute_url())
    queries = count_queries(client, course.get_absolute_url())
    for n in range(4):
        make_post(prompt, dora, f"New {n}.")
        make_post(second, dora, f"Also new {n}.")
    assert count_queries(client, course.get_absolute_url()) == queries
    page = page_text(client.get(course.get_absolute_url()))
    assert page.count("4 new</strong>") == 2


def test_own_posts_are_never_new(client_for, cleo, prompt):
    client = client_for(cleo)
    client.get(prompt.get_absolute_url())
    make_post(prompt, cleo, "My own.")
    course_page = page_text(client.get(prompt.course.get_absolute_url()))
    assert prompt.title in course_page and " new</strong>" not in course_page
    assert "post--new" not in page_text(client.get(prompt.get_absolute_url()))


def test_withheld_posts_are_never_marked_new(client_for, cleo, dora, course):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Short.")
    client_for(cleo).get(prompt.get_absolute_url())
    make_post(prompt, dora, "Dora's reply Cleo cannot see yet.", parent=mine)
    page = page_text(client_for(cleo).get(prompt.get_absolute_url()))
    assert "Short." in page
    assert "Jump to first new post" not in page and "post--new" not in page


def _reply_with_mail(prompt, parent_author, replier, capture):
    with capture(execute=True):
        parent = make_post(prompt, parent_author, "Parent.")
        make_post(prompt, replier, "A reply.", parent=parent)


def test_a_reply_emails_the_parent_author_with_an_unsubscribe_link(
    client, cleo, dora, prompt, django_capture_on_commit_callbacks
):
    _reply_with_mail(prompt, cleo, dora, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[cleo.email]]
    message = mail.outbox[0]
    assert "Dora replied to your post" in message.subject
    unsubscribe = re.search(r"https://\S+(/notifications/unsubscribe/\S+/)", message.body).group(1)
    page = client.get(unsubscribe)  # not signed in: the link works from the mail
    assert page.status_code == 200 and "Stop these emails?" in page.content.decode()
    cleo.refresh_from_db()
    assert cleo.notify_replies  # a GET changes nothing
    client.post(unsubscribe)
    cleo.refresh_from_db()
    assert not cleo.notify_replies


def test_no_mail_when_turned_off(
    client_for, cleo, dora, prompt, django_capture_on_commit_callbacks
):
    client_for(cleo).post(reverse("notification-settings"), {"notify_new_responses": ""})
    _reply_with_mail(prompt, cleo, dora, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_instructors_can_ask_for_every_new_response(
    ada, cleo, prompt, django_capture_on_commit_callbacks
):
    ada.notify_new_responses = True
    ada.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_post(prompt, cleo, "A response.")
    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_a_broken_mail_server_never_loses_the_post(
    client_for, cleo, dora, prompt, django_capture_on_commit_callbacks, smtp_down
):
    parent = make_post(prompt, cleo, "Parent.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dora).post(
            reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]),
            {"body": "Reply.", "parent": parent.pk},
        )
    assert response.status_code == 302
    assert Post.objects.filter(author=dora).exists()


def test_a_failure_choosing_whom_to_mail_never_loses_the_post(
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
    assert Post.objects.filter(author=dora, body="Reply.").exists()


def test_no_mail_for_a_post_deleted_before_the_worker_ran(ada, cleo, prompt):
    ada.notify_new_responses = True
    ada.save()
    post = make_post(prompt, cleo, "Gone before the mail.")
    mail.outbox.clear()
    notify_new_post.call(post.pk)
    assert [m.to for m in mail.outbox] == [[ada.email]]
    delete_post(post=post, by=cleo)
    mail.outbox.clear()
    notify_new_post.call(post.pk)
    assert mail.outbox == []


def test_mail_goes_out_only_after_commit(cleo, dora, prompt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        parent = make_post(prompt, cleo, "Parent.")
        make_post(prompt, dora, "Reply.", parent=parent)
    assert mail.outbox == [] and len(callbacks) == 2


def test_forged_unsubscribe_token_is_refused(client, cleo):
    response = client.post(reverse("discussions:unsubscribe", args=["forged:token"]))
    assert response.status_code == 404
    cleo.refresh_from_db()
    assert cleo.notify_replies
