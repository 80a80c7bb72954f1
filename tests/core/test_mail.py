"""Every mail leaves through the task worker, speaks as the site and links only to SITE_URL;
the mail server being down never changes what a request answers."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from destalin.models import User
from tests.factories import PASSWORD

SITE = "https://destalin.example.edu"
SIGNUP = {
    "email": "new.student@example.edu",
    "display_name": "Nora K.",
    "password1": "a sturdy passphrase 42",
    "password2": "a sturdy passphrase 42",
}
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _parts(message):
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def _links(text):
    return re.findall(r"https?://[^\s<>\"']+", text)


def _work(**options):
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_signup_answers_normally_with_the_mail_server_down_and_its_mail_waits(
    client, settings, smtp_down
):
    settings.TASKS = QUEUE
    response = client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # The whole account, its address to verify and the mail to verify it: all or nothing.
    user = User.objects.get(email=SIGNUP["email"])
    assert EmailAddress.objects.get(user=user, verified=False)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "destalin.mail.send_message"
    assert queued.args_kwargs["args"][0]["to"] == [SIGNUP["email"]]

    _work()  # the worker finds the mail server down: the mail is tried again later
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_queued_mail_reaches_the_mail_server_through_the_worker(client, settings, smtp):
    settings.TASKS = QUEUE
    client.post(reverse("account_signup"), SIGNUP)
    assert smtp.messages == []  # the request only queued it
    _work()
    (message,) = smtp.messages
    assert message["To"] == SIGNUP["email"]
    assert message["Message-ID"].endswith("@destalin.example.edu>")


def _every_account_mail(client, cleo, on_commit):
    """Each mail allauth sends, asked for through a host that is not the site's."""
    host = {"HTTP_HOST": "localhost"}
    with on_commit(execute=True):
        _ask_for_mail(client, cleo, host)


def _ask_for_mail(client, cleo, host):
    client.post(reverse("account_signup"), SIGNUP, **host)
    client.post(reverse("account_signup"), {**SIGNUP, "email": cleo.email}, **host)
    client.post(reverse("account_reset_password"), {"email": cleo.email}, **host)
    client.post(reverse("account_reset_password"), {"email": "nobody@example.edu"}, **host)


@pytest.mark.django_db
def test_account_mail_speaks_as_the_site_with_every_link_on_site_url(
    client, cleo, smtp, django_capture_on_commit_callbacks
):
    _every_account_mail(client, cleo, django_capture_on_commit_callbacks)
    assert len(smtp.messages) == 4
    for message in smtp.messages:
        text, html = _parts(message)["text/plain"], _parts(message)["text/html"]
        assert message["Subject"].startswith("[Destalin] ")
        assert "Hello from Destalin!" in text and "destalin.example.edu" in text
        assert "localhost" not in text + html and "127.0.0.1" not in text + html
        assert _links(text), message["Subject"]
        assert all(link.startswith(SITE + "/") for link in _links(text))
        assert message["Message-ID"].endswith("@destalin.example.edu>")
        # Account mail is the person's own business: nothing to unsubscribe from.
        assert message["List-Unsubscribe"] is None


@pytest.mark.django_db
def test_every_mail_has_a_plain_part_and_an_html_part_in_the_sites_look(
    client, cleo, smtp, django_capture_on_commit_callbacks
):
    _every_account_mail(client, cleo, django_capture_on_commit_callbacks)
    for message in smtp.messages:
        assert message.get_content_type() == "multipart/alternative"
        parts = _parts(message)
        assert set(parts) == {"text/plain", "text/html"}
        html = parts["text/html"]
        assert html.startswith("<!doctype html>") and "<img" not in html
        for link in _links(parts["text/plain"]):
            assert f'href="{link}"' in html  # the same links, clickable


@pytest.mark.django_db
def test_the_confirmation_link_in_the_mail_works(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="localhost")
    (link,) = _links(_parts(smtp.messages[0])["text/plain"])
    client.post(link.removeprefix(SITE))
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


@pytest.mark.django_db
def test_signing_in_says_so_once(client, cleo):
    cleo.display_name = "Cleo M."
    cleo.save()
    response = client.post(
        reverse("account_login"), {"login": cleo.email, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Signed in as Cleo M." in page and "M.." not in page


@pytest.mark.django_db
def test_account_mail_is_composed_like_all_mail_a_bidi_override_in_the_name_goes(
    client, cleo, smtp, django_capture_on_commit_callbacks
):
    rlo = "\u202e"
    signup = {**SIGNUP, "display_name": f"Nora {rlo}K."}
    cleo.display_name = f"Cleo {rlo}M."
    cleo.save(update_fields=["display_name"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup, HTTP_HOST="localhost")
        client.post(reverse("account_reset_password"), {"email": cleo.email})
    confirmation, reset = smtp.messages
    assert confirmation["Subject"] == "[Destalin] Please Confirm Your Email Address"
    assert reset["Subject"] == "[Destalin] Password Reset Email"
    for message in (confirmation, reset):
        assert message["From"].startswith("Destalin <")
        text, html = _parts(message)["text/plain"], _parts(message)["text/html"]
        assert text.startswith("Hello from Destalin!")
        assert rlo not in message["Subject"] + text + html
    # The confirmation names who signed up: the name is there, its override is not.
    assert "user Nora K. has given your email address" in _parts(confirmation)["text/plain"]
