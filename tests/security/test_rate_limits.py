import pytest
from django.urls import reverse

from destalin.models import Membership

pytestmark = pytest.mark.django_db


def test_forged_forwarded_for_does_not_reset_login_limits(client):
    statuses = [
        client.post(
            reverse("account_login"),
            {"login": f"x{n}@example.edu", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(31)
    ]
    assert statuses[-1] == 429


def test_forged_forwarded_for_does_not_reset_join_limits(client_for, otto, eve, course, settings):
    settings.JOIN_RATE_PER_ADDRESS = "2/h"
    for n, user in enumerate((otto, eve)):
        client_for(user).post(
            reverse("join"), {"code": "WRONGCOD"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    response = client_for(otto).post(
        reverse("join"), {"code": course.join_code}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429
    assert not Membership.objects.filter(user=otto, course=course).exists()


def test_admin_login_shares_the_limits(client, cleo):
    for _ in range(5):
        client.post(
            reverse("account_login") + "?next=/admin/",
            {"login": cleo.email.upper(), "password": "wrong"},
        )
    from tests.factories import PASSWORD

    right = client.post(
        reverse("account_login") + "?next=/admin/", {"login": cleo.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in right.content.decode()


@pytest.mark.parametrize("meta", [{"REMOTE_ADDR": ""}, {"REMOTE_ADDR": "not-an-address"}])
def test_rate_limits_survive_a_missing_client_address(client_for, otto, course, meta):
    response = client_for(otto).post(reverse("join"), {"code": course.join_code}, **meta)
    assert response.status_code == 302
