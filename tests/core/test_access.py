"""Access rules of the classroom core beyond the project-wide matrix (tests/security)."""

import re

import pytest
from django.urls import reverse


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
