"""Mail a person subscribed to carries one-click unsubscribe (RFC 8058): a mail client's POST
works without a cookie or CSRF token, the page never names whose link it is, and a link stops
working after 90 days."""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from discussions.notifications import unsubscribe_token
from tests.factories import make_post

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def _reply_mail(smtp, prompt, cleo, dora, on_commit):
    with on_commit(execute=True):
        parent = make_post(prompt, cleo, "Parent.")
        make_post(prompt, dora, "Reply.", parent=parent)
    (message,) = smtp.messages
    return message


def test_a_reply_mail_offers_one_click_unsubscribe_that_a_mail_client_can_use(
    smtp, prompt, cleo, dora, django_capture_on_commit_callbacks
):
    message = _reply_mail(smtp, prompt, cleo, dora, django_capture_on_commit_callbacks)
    header = str(message["List-Unsubscribe"]).strip()  # folded: the URL is long
    assert header.startswith("<https://destalin.example.edu/notifications/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].endswith("@destalin.example.edu>")
    assert {part.get_content_type() for part in message.iter_parts()} == {
        "text/plain",
        "text/html",
    }
    # What a mail provider sends: a POST with this one field, no cookie, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        header.strip("<>").removeprefix("https://destalin.example.edu"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    cleo.refresh_from_db()
    assert not cleo.notify_replies and cleo.notify_grades  # only that kind


def test_the_unsubscribe_page_never_shows_whose_link_it_is(client, cleo):
    url = reverse("discussions:unsubscribe", args=[unsubscribe_token(cleo, "replies")])
    page = client.get(url).content.decode()
    assert "Stop these emails?" in page
    assert cleo.email not in page and "cleo" not in page.lower()
    done = client.post(url).content.decode()
    assert "You are unsubscribed" in done and cleo.email not in done


@pytest.mark.parametrize(("age_days", "works"), [(89, True), (91, False)])
def test_an_unsubscribe_link_works_for_90_days(client, cleo, age_days, works):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - age_days * DAY):
        token = unsubscribe_token(cleo, "grades")
    response = client.post(reverse("discussions:unsubscribe", args=[token]))
    cleo.refresh_from_db()
    if works:
        assert response.status_code == 200 and not cleo.notify_grades
    else:
        assert response.status_code == 410 and cleo.notify_grades
        assert "This link has expired" in response.content.decode()


def test_a_tampered_link_changes_nothing(client, cleo):
    token = unsubscribe_token(cleo, "replies")
    response = client.post(reverse("discussions:unsubscribe", args=[token[:-2] + "xx"]))
    cleo.refresh_from_db()
    assert response.status_code == 404 and cleo.notify_replies
    assert "This link does not work" in response.content.decode()
