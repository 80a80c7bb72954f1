"""A join link opened before having an account survives sign-up, the address's verification
and signing in; allauth's mail and messages name the site and read right."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from destalin.models import Membership, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "oleg@example.edu",
    "display_name": "Oleg S.",
    "password1": "a sturdy passphrase 42",
    "password2": "a sturdy passphrase 42",
}


def _link_in(message):
    # Mail links come from SITE_URL; the path is what the test client follows.
    return re.search(r"https://destalin\.example\.edu(\S+)", message.body)[1]


def test_a_join_link_survives_sign_up_and_verification(
    client, course, django_capture_on_commit_callbacks
):
    join = reverse("join-link", args=[course.join_code])
    first = client.get(join)
    assert first.status_code == 302 and first["Location"].startswith(reverse("account_login"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account_signup"), SIGNUP).status_code == 302
    landed = client.post(_link_in(mail.outbox[-1]))
    assert landed["Location"] == join
    page = client.get(join)
    assert f"Join <bdi>{course.code}</bdi>: <bdi>{course.title}</bdi>?" in page.content.decode()
    joined = client.post(join)
    assert joined["Location"] == course.get_absolute_url()
    oleg = User.objects.get(email="oleg@example.edu")
    assert Membership.objects.filter(course=course, user=oleg).exists()


def test_a_join_link_brings_a_member_back_after_signing_in(client, course, cleo, other_course):
    join = reverse("join-link", args=[other_course.join_code])
    client.get(join)
    signed_in = client.post(reverse("account_login"), {"login": cleo.email, "password": PASSWORD})
    assert signed_in["Location"] == join
    # Only once: the next sign-in goes where it always goes.
    client.logout()
    again = client.post(reverse("account_login"), {"login": cleo.email, "password": PASSWORD})
    assert again["Location"] == reverse("dashboard")


def test_allauths_mail_names_the_site_not_the_server(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    body = mail.outbox[-1].body
    assert body.startswith("Hello from Destalin!")
    assert "Thank you for using Destalin!" in body and "testserver!" not in body


def test_signing_in_as_a_name_ending_in_a_period_says_one_period(client):
    UserFactory(email="oleg@example.edu", display_name="Oleg S.")
    response = client.post(
        reverse("account_login"), {"login": "oleg@example.edu", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Signed in as Oleg S."]
