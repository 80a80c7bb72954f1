"""Two-factor sign-in (allauth's MFA): anyone may turn it on; teachers must when their course
or the site says so, and then reach no page before they have a second factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(user):
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client, response


def _current_code(secret):
    return totp.format_hotp_value(totp.hotp_value(secret, int(time.time()) // 30))


def _activate_totp(client):
    """Turn on an authenticator app through allauth's page, as a person would (confirming
    the password first, as allauth asks before any change of sign-in)."""
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    return secret


def test_a_course_can_require_two_factor_of_its_teachers_only(course, ada, ben, cleo):
    course.require_two_factor = True
    course.save()
    for teacher in (ada, ben):
        client, _ = _sign_in(teacher)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
        page = client.get(reverse("mfa_index")).content.decode()
        assert "Your courses require two-factor sign-in" in page
        assert client.get(reverse("account_logout")).status_code == 200  # can still leave
    client, _ = _sign_in(cleo)
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_site_can_require_it_of_every_teacher_and_staff(settings, ada, sam, otto, cleo):
    settings.TWO_FACTOR_REQUIRED_FOR = "teachers"
    for teacher in (ada, sam):
        client, _ = _sign_in(teacher)
        assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    for student in (cleo, otto):
        client, _ = _sign_in(student)
        assert client.get(reverse("dashboard")).status_code == 200


def test_a_required_teacher_goes_on_once_an_authenticator_app_is_set_up(course, ada):
    course.require_two_factor = True
    course.save()
    client, _ = _sign_in(ada)
    _activate_totp(client)
    assert client.get(reverse("dashboard")).status_code == 200
    # Recovery codes come with the app, for a lost phone.
    assert Authenticator.objects.filter(user=ada, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_with_an_app_sign_in_asks_for_its_code_and_refuses_a_wrong_one(ada):
    client, _ = _sign_in(ada)
    secret = _activate_totp(client)
    client.post(reverse("account_logout"))

    client, response = _sign_in(ada)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("profile"))["Location"].startswith(reverse("account_login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    right = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert right.status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == ada


def test_a_recovery_code_signs_in_once(ada):
    client, _ = _sign_in(ada)
    _activate_totp(client)
    client.post(reverse("account_logout"))
    codes = RecoveryCodes(
        Authenticator.objects.get(user=ada, type=Authenticator.Type.RECOVERY_CODES)
    )
    code = codes.get_unused_codes()[0]

    client, _ = _sign_in(ada)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == ada
    client.post(reverse("account_logout"))
    client, _ = _sign_in(ada)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200  # used up


def test_a_student_may_opt_in(cleo):
    client, _ = _sign_in(cleo)
    assert client.get(reverse("dashboard")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200 and "Authenticator App" in page.content.decode()
    _activate_totp(client)
    client.post(reverse("account_logout"))
    _, response = _sign_in(cleo)
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_course_setting_page_offers_the_requirement(client_for, ada, course):
    response = client_for(ada).post(
        reverse("course-settings", args=[course.slug]),
        {
            "title": course.title,
            "code": course.code,
            "term": course.term,
            "grade_release": course.grade_release,
            "is_joining_open": "on",
            "require_two_factor": "on",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.require_two_factor
