"""Every page and action of the classroom core, as every kind of person: one table, one test."""

import re

import pytest
from django.urls import reverse

ROLES = ["anonymous", "eve", "cleo", "ben", "ada", "sam"]
LOGIN = "login"  # anonymous visitors are sent to sign in

# (name, kwargs, method): expected status for anonymous, another course's student, a student,
# the TA, the instructor and staff.
MATRIX = [
    ("dashboard", {}, "get", [200, 200, 200, 200, 200, 200]),
    ("profile", {}, "get", [LOGIN, 200, 200, 200, 200, 200]),
    ("join", {}, "get", [LOGIN, 200, 200, 200, 200, 200]),
    ("join-link", {"code": "ABCDEFGH"}, "get", [LOGIN, 200, 200, 200, 200, 200]),
    ("course-create", {}, "get", [LOGIN, 403, 403, 403, 200, 200]),
    ("course-detail", {"course": "hist-274"}, "get", [LOGIN, 404, 200, 200, 200, 200]),
    ("course-settings", {"course": "hist-274"}, "get", [LOGIN, 404, 403, 403, 200, 200]),
    ("course-members", {"course": "hist-274"}, "get", [LOGIN, 404, 403, 200, 200, 200]),
    ("course-join-code", {"course": "hist-274"}, "post", [LOGIN, 404, 403, 403, 302, 302]),
    (
        "course-member-role",
        {"course": "hist-274", "pk": "dora"},
        "post",
        [LOGIN, 404, 403, 403, 302, 302],
    ),
    (
        "course-member-remove",
        {"course": "hist-274", "pk": "dora"},
        "post",
        [LOGIN, 404, 403, 403, 302, 302],
    ),
    (
        "course-member-restore",
        {"course": "hist-274", "pk": "dora"},
        "post",
        [LOGIN, 404, 403, 403, 302, 302],
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "expected"), MATRIX, ids=[f"{row[0]}-{row[2]}" for row in MATRIX]
)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_role_matrix(client_for, people, name, kwargs, method, expected, role_index):
    role = ROLES[role_index]
    user = None if role == "anonymous" else people[role]
    kwargs = {
        key: (people[value].memberships.get().pk if value in people else value)
        for key, value in kwargs.items()
    }
    url = reverse(name, kwargs=kwargs)
    client = client_for(user)
    data = {"role": "ta"} if name == "course-member-role" else {}
    response = getattr(client, method)(url, data)
    want = expected[role_index]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client_for, ada, method):
    response = getattr(client_for(ada), method)(reverse("course-detail", args=["hist-274"]))
    assert response.status_code == 405


def test_state_changing_actions_refuse_get(client_for, ada, dora):
    client = client_for(ada)
    url = reverse("course-member-remove", args=["hist-274", dora.memberships.get().pk])
    assert client.get(url).status_code == 405
    assert dora.memberships.get().removed_at is None


def test_non_member_sees_same_404_as_missing_course(client_for, eve):
    client = client_for(eve)
    real = client.get(reverse("course-detail", args=["hist-274"]))
    missing = client.get(reverse("course-detail", args=["no-such-course"]))
    assert real.status_code == missing.status_code == 404
    assert _without_tokens(real.content) == _without_tokens(missing.content)


def _without_tokens(content):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_instructor_cannot_manage_members_of_another_course_by_id(client_for, ada, eve):
    client = client_for(ada)
    url = reverse("course-member-remove", args=["hist-274", eve.memberships.get().pk])
    assert client.post(url).status_code == 404
    assert eve.memberships.get().removed_at is None


def test_forbidden_page_explains_why(client_for, cleo):
    response = client_for(cleo).get(reverse("course-settings", args=["hist-274"]))
    assert response.status_code == 403
    assert "Only the course&#x27;s instructors can change this." in response.content.decode()
