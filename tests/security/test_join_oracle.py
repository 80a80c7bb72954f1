"""Join codes are no oracle: the link is rate-limited like the form, and a course that would
not take the person answers exactly as a code that matches nothing.

Inputs tried: an unknown code, the code of a course closed to joining, of an archived course,
and of an open course, through ``GET /join/<code>/``, ``POST /join/<code>/`` and ``POST /join/``,
as someone from outside, as a current member and as a removed student; repeated link visits
past the per-person and per-address limits, with a forged ``X-Forwarded-For``."""

import re

import pytest
from django.urls import reverse

from destalin.models import Membership
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def closed():
    return CourseFactory(code="HIST 999", title="A closed seminar", is_joining_open=False)


@pytest.fixture
def archived():
    return CourseFactory(code="HIST 998", title="Last year's seminar", is_archived=True)


def _answers(client, code):
    """What an outsider learns from each way of trying a code: (status, page) per way."""
    link = reverse("join-link", args=[code])
    return [
        (r.status_code, r.content.decode())
        for r in (
            client.get(link),
            client.post(link),
            client.post(reverse("join"), {"code": code}),
        )
    ]


def _without_code(answers, code):
    # Pages may differ only where they repeat the code the person typed, and in the CSRF
    # token, which is masked afresh on every response.
    return [(status, CSRF.sub("", page.replace(code, "CODE"))) for status, page in answers]


@pytest.mark.parametrize("which", ["closed", "archived"])
def test_a_closed_course_answers_as_an_unknown_code(client_for, otto, request, which):
    course = request.getfixturevalue(which)
    client = client_for(otto)
    theirs = _without_code(_answers(client, course.join_code), course.join_code)
    unknown = _without_code(_answers(client, "WRNGC0DE"), "WRNGC0DE")
    assert [status for status, _ in theirs] == [200, 400, 400]
    assert theirs == unknown
    assert "This link does not work" in theirs[0][1]
    assert course.title not in "".join(page for _, page in theirs)
    assert not Membership.objects.filter(user=otto).exists()


def test_an_open_course_is_named_and_joined(client_for, otto, course):
    client = client_for(otto)
    assert "Join <bdi>HIST 274</bdi>" in client.get(course.get_join_url()).content.decode()
    assert client.post(course.get_join_url()).status_code == 302
    assert Membership.objects.filter(user=otto, course=course).exists()


def test_a_member_of_a_closed_course_is_told_they_are_in_it(client_for, cleo, course):
    course.is_joining_open = False
    course.save()
    page = client_for(cleo).get(course.get_join_url()).content.decode()
    assert "You are already in HIST 274" in page and course.get_absolute_url() in page


def test_the_join_link_is_rate_limited_like_the_form(client_for, otto, course, settings):
    settings.JOIN_RATE_PER_USER = "3/h"
    client = client_for(otto)
    link = reverse("join-link", args=["WRNGC0DE"])
    assert [client.get(link).status_code for _ in range(3)] == [200, 200, 200]
    blocked = client.get(course.get_join_url())
    assert blocked.status_code == 429
    page = blocked.content.decode()
    assert "Too many attempts to join" in page and course.title not in page
    # The form and the link count against one limit.
    assert client.post(reverse("join"), {"code": course.join_code}).status_code == 429
    assert not Membership.objects.filter(user=otto).exists()


def test_the_link_limit_per_address_ignores_forged_headers(client_for, otto, eve, course, settings):
    settings.JOIN_RATE_PER_ADDRESS = "2/h"
    link = reverse("join-link", args=["WRNGC0DE"])
    for user, forged in ((otto, "10.0.0.1"), (eve, "10.0.0.2")):
        client_for(user).get(link, HTTP_X_FORWARDED_FOR=forged)
    response = client_for(otto).get(course.get_join_url(), HTTP_X_FORWARDED_FOR="10.0.0.3")
    assert response.status_code == 429
