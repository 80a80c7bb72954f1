import pytest
from django.urls import reverse

from destalin.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_student_joins_with_code_as_student(client_for, otto, course):
    response = client_for(otto).post(reverse("join"), {"code": course.join_code})
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert Membership.objects.get(user=otto, course=course).role == Role.STUDENT


def test_code_is_forgiving_about_case_and_spaces(client_for, otto, course):
    typed = f" {course.join_code[:4].lower()} - {course.join_code[4:].lower()} "
    client_for(otto).post(reverse("join"), {"code": typed})
    assert Membership.objects.filter(user=otto, course=course).exists()


def test_joining_twice_is_harmless(client_for, cleo, course):
    response = client_for(cleo).post(reverse("join"), {"code": course.join_code}, follow=True)
    assert "You are already in HIST 274." in response.content.decode()
    assert Membership.objects.filter(user=cleo, course=course).count() == 1
    assert Membership.objects.get(user=cleo, course=course).role == Role.STUDENT


def test_code_never_changes_a_teachers_role(client_for, ben, course):
    client_for(ben).post(reverse("join"), {"code": course.join_code})
    assert Membership.objects.get(user=ben, course=course).role == Role.TA


@pytest.mark.parametrize("code", ["WRONGCOD", "", "x" * 33, "AB\x00CDEFG"])
def test_wrong_code_is_refused_with_message(client_for, otto, course, code):
    response = client_for(otto).post(reverse("join"), {"code": code})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=otto).exists()


def test_wrong_code_message_is_clear(client_for, otto, course):
    response = client_for(otto).post(reverse("join"), {"code": "WRONGCOD"})
    assert "That code does not match any course taking new students." in response.content.decode()


def test_regenerated_code_replaces_the_old_one(client_for, ada, otto, course):
    old = course.join_code
    client_for(ada).post(reverse("course-join-code", args=[course.slug]))
    course.refresh_from_db()
    assert course.join_code != old
    assert client_for(otto).post(reverse("join"), {"code": old}).status_code == 400
    assert client_for(otto).post(reverse("join"), {"code": course.join_code}).status_code == 302


def test_closed_course_refuses_new_students(client_for, otto, course):
    course.is_joining_open = False
    course.save()
    response = client_for(otto).post(reverse("join"), {"code": course.join_code})
    assert response.status_code == 400
    assert "does not match any course taking new students" in response.content.decode()
    assert not Membership.objects.filter(user=otto).exists()


def test_removed_student_cannot_rejoin_with_the_code(client_for, ada, cleo, course):
    membership = cleo.memberships.get()
    client_for(ada).post(reverse("course-member-remove", args=[course.slug, membership.pk]))
    response = client_for(cleo).post(reverse("join"), {"code": course.join_code})
    assert response.status_code == 400
    assert "You were removed from this course." in response.content.decode()


def test_join_link_asks_before_joining(client_for, otto, course):
    client = client_for(otto)
    page = client.get(course.get_join_url())
    assert page.status_code == 200
    assert "Join <bdi>HIST 274</bdi>" in page.content.decode()
    assert not Membership.objects.filter(user=otto).exists()
    assert client.post(course.get_join_url()).status_code == 302
    assert Membership.objects.filter(user=otto, course=course).exists()


def test_stale_join_link_says_so(client_for, otto, course):
    page = client_for(otto).get(reverse("join-link", args=["NOTACODE"]))
    assert "This link does not work" in page.content.decode()


def test_join_attempts_are_rate_limited_per_user(client_for, otto, course, settings):
    settings.JOIN_RATE_PER_USER = "3/h"
    client = client_for(otto)
    statuses = [client.post(reverse("join"), {"code": "WRONGCOD"}).status_code for _ in range(3)]
    blocked = client.post(reverse("join"), {"code": course.join_code})
    assert statuses == [400, 400, 400]
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert not Membership.objects.filter(user=otto).exists()


def test_join_attempts_are_rate_limited_per_address(client_for, otto, eve, course, settings):
    settings.JOIN_RATE_PER_ADDRESS = "2/h"
    for user in (otto, eve):
        client_for(user).post(reverse("join"), {"code": "WRONGCOD"})
    response = client_for(otto).post(reverse("join"), {"code": course.join_code})
    assert response.status_code == 429


def test_join_codes_carry_forty_bits(course):
    from destalin.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH

    assert len(set(JOIN_CODE_ALPHABET)) ** JOIN_CODE_LENGTH >= 2**40
    assert not set("01IO") & set(JOIN_CODE_ALPHABET)
