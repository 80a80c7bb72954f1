import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from destalin.models import User
from tests.factories import PASSWORD
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.student@example.edu",
    "display_name": "\uff2e\uff4f\uff52\uff41   \uff2b.",  # full-width "Nora K."
    "password1": "a sturdy passphrase 42",
    "password2": "a sturdy passphrase 42",
}


def _link_in(message):
    return re.search(r"https://destalin.example.edu(/\S+)", message.body).group(1)


def test_signup_needs_a_verified_email_before_signing_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.student@example.edu")
    assert user.display_name == "Nora K."  # Unicode-normalised, spaces collapsed
    assert client.get(reverse("dashboard")).context["user"].is_anonymous

    confirm = _link_in(mail.outbox[-1])
    client.post(confirm)
    assert client.get(reverse("dashboard")).context["user"] == user


def test_signup_requires_a_display_name(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "   "})
    assert response.status_code == 200
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
    assert "This field is required." in response.content.decode()


def test_signup_does_not_reveal_existing_accounts(client, cleo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            reverse("account_signup"), {**SIGNUP, "email": cleo.email.upper()}, follow=True
        )
    fresh = client.post(reverse("account_signup"), SIGNUP, follow=True)
    assert taken.status_code == fresh.status_code == 200
    assert taken.redirect_chain == fresh.redirect_chain
    # The same page, word for word, but for the address each one typed.
    page = taken.content.decode().replace(cleo.email, SIGNUP["email"])
    assert page == fresh.content.decode()
    assert "already" not in taken.content.decode().lower()
    assert User.objects.filter(email=cleo.email).count() == 1
    assert "already" in mail.outbox[0].body.lower()  # the owner is told instead


def test_password_reset_does_not_reveal_existing_accounts(client, cleo):
    known = client.post(reverse("account_reset_password"), {"email": cleo.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.edu"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_email_is_the_login_whatever_its_case(client, cleo):
    response = client.post(
        reverse("account_login"), {"login": "CLEO@Example.EDU", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == cleo


def test_failed_logins_lock_the_account_for_a_while(client, cleo):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": cleo.email, "password": "wrong"})
    # Varying the case of the address does not reset the count.
    right = client.post(
        reverse("account_login"), {"login": cleo.email.upper(), "password": PASSWORD}
    )
    assert "Too many failed login attempts" in right.content.decode()
    assert client.get(reverse("dashboard")).context["user"].is_anonymous


def test_login_attempts_from_one_address_get_429(client, cleo):
    statuses = [
        client.post(
            reverse("account_login"), {"login": f"x{n}@example.edu", "password": "x"}
        ).status_code
        for n in range(31)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_reach_the_admin_lists(client_for, sam, course):
    client = client_for(sam)
    for url in [
        "/admin/destalin/course/",
        "/admin/destalin/membership/",
        "/admin/destalin/user/",
        f"/admin/destalin/course/{course.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/destalin/course/?q=274").context["cl"].result_count == 1


def test_student_is_kept_out_of_the_admin(client_for, cleo):
    response = client_for(cleo).get("/admin/")
    assert response.status_code == 302


def test_profile_edits_display_name(client_for, cleo):
    response = client_for(cleo).post(reverse("profile"), {"display_name": "  Cleo  M. "})
    cleo.refresh_from_db()
    assert response.status_code == 302
    assert cleo.display_name == "Cleo M."


def test_profile_refuses_empty_or_long_names(client_for, cleo):
    client = client_for(cleo)
    assert client.post(reverse("profile"), {"display_name": ""}).status_code == 400
    assert client.post(reverse("profile"), {"display_name": "x" * 81}).status_code == 400
    cleo.refresh_from_db()
    assert cleo.display_name == "Cleo"


def test_signed_in_pages_are_never_cached(client_for, cleo, client):
    private = client_for(cleo).get(reverse("dashboard"))
    assert "no-store" in private["Cache-Control"]
    client.logout()
    public = client.get(reverse("dashboard"))
    assert "Create an account" in page_text(public)
    assert "no-store" not in public.get("Cache-Control", "")


def test_field_errors_are_tied_to_their_field(client_for, ada):
    page = client_for(ada).post(reverse("course-create"), {"title": ""}).content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_title_error"' in page
    assert 'id="id_title_error"' in page


@pytest.mark.parametrize(
    ("elapsed", "signed_in"),
    [(60, True), (2 * 60 * 60 + 1, False)],
    ids=["active", "idle-two-hours"],
)
def test_sessions_end_after_two_idle_hours(client_for, cleo, elapsed, signed_in):
    client = client_for(cleo)
    client.get(reverse("dashboard"))
    session = client.session
    session["seen_at"] = int(time.time()) - elapsed
    session.save()
    response = client.get(reverse("profile"))
    assert (response.status_code == 200) is signed_in


def test_sessions_end_twelve_hours_after_sign_in_even_when_active(client_for, cleo):
    client = client_for(cleo)
    client.get(reverse("dashboard"))
    session = client.session
    session["started_at"] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("dashboard")).context["user"].is_anonymous
