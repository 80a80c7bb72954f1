"""The class list ("People"): instructors change roles, remove and restore members, and
each change is in the audit log with who, when, and the role before and after."""

import pytest
from django.urls import reverse

from destalin.models import Membership, Role
from discussions.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _url(name, course, user):
    return reverse(name, args=[course.slug, user.memberships.get(course=course).pk])


def test_instructor_promotes_student_to_ta_and_back(client_for, ada, cleo, course):
    client = client_for(ada)
    client.post(_url("course-member-role", course, cleo), {"role": "ta"})
    assert cleo.memberships.get().role == Role.TA
    client.post(_url("course-member-role", course, cleo), {"role": "student"})
    assert cleo.memberships.get().role == Role.STUDENT


def test_unknown_role_is_refused(client_for, ada, cleo, course):
    response = client_for(ada).post(_url("course-member-role", course, cleo), {"role": "king"})
    assert response.status_code == 400
    assert "Choose a role" in response.content.decode()
    assert cleo.memberships.get().role == Role.STUDENT


def test_last_instructor_cannot_step_down_or_be_removed(client_for, ada, course):
    client = client_for(ada)
    demote = client.post(_url("course-member-role", course, ada), {"role": "student"})
    remove = client.post(_url("course-member-remove", course, ada))
    assert demote.status_code == remove.status_code == 400
    assert "at least one instructor" in demote.content.decode()
    assert "last instructor" in remove.content.decode()
    membership = ada.memberships.get()
    assert (membership.role, membership.removed_at) == (Role.INSTRUCTOR, None)


def test_an_instructor_may_leave_once_there_is_another(client_for, ada, ben, course):
    client = client_for(ada)
    client.post(_url("course-member-role", course, ben), {"role": "instructor"})
    response = client.post(_url("course-member-remove", course, ada))
    assert response.status_code == 302
    assert ada.memberships.get().removed_at is not None


def test_removed_student_loses_access_but_keeps_their_record(client_for, ada, cleo, course):
    client_for(ada).post(_url("course-member-remove", course, cleo))
    assert client_for(cleo).get(course.get_absolute_url()).status_code == 404
    membership = Membership.objects.get(user=cleo, course=course)
    assert membership.removed_at is not None
    roster = client_for(ada).get(reverse("course-members", args=[course.slug])).content.decode()
    assert "Cleo" in roster and "Removed" in roster


def test_removing_twice_is_harmless_and_restore_brings_back(client_for, ada, cleo, course):
    client = client_for(ada)
    client.post(_url("course-member-remove", course, cleo))
    first = cleo.memberships.get().removed_at
    client.post(_url("course-member-remove", course, cleo))
    assert cleo.memberships.get().removed_at == first
    client.post(_url("course-member-restore", course, cleo))
    assert client_for(cleo).get(course.get_absolute_url()).status_code == 200


def test_roster_lists_teachers_first(client_for, ada, ben, cleo, dora, course):
    page = client_for(ben).get(reverse("course-members", args=[course.slug])).content.decode()
    page = page[page.index("<tbody>") :]
    assert page.index("Ada") < page.index("Ben") < page.index("Cleo") < page.index("Dora")


def test_roster_query_count_does_not_grow_with_the_class(
    client_for, ada, course, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(30, course=course)
    client = client_for(ada)
    client.get(reverse("dashboard"))  # the session's first request records its start
    # One of them: whether the course is in a learning platform (an instructor's tabs).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("course-members", args=[course.slug]))
    assert response.content.decode().count('class="actions"') == 31


@pytest.mark.parametrize("page", ["course-members", "course-settings"])
def test_people_and_settings_carry_the_whole_course_navigation(client_for, ada, course, page):
    html = client_for(ada).get(reverse(page, args=[course.slug])).content.decode()
    for name in ("grading:gradebook", "grading:course-analytics", "discussions:review-queue"):
        assert f'href="{reverse(name, args=[course.slug])}"' in html


def test_a_ta_sees_people_in_the_navigation_of_the_people_page(client_for, ben, course):
    html = client_for(ben).get(reverse("course-members", args=[course.slug])).content.decode()
    assert f'href="{reverse("course-members", args=[course.slug])}" aria-current="page"' in html
    assert f'href="{reverse("grading:gradebook", args=[course.slug])}"' in html


def _log(course):
    return list(
        AuditEntry.objects.filter(course=course)
        .order_by("id")
        .values_list("actor__display_name", "action", "student__display_name", "before", "after")
    )


def test_each_change_of_the_class_list_is_in_the_audit_log(client_for, ada, cleo, course):
    client = client_for(ada)
    client.post(_url("course-member-role", course, cleo), {"role": "ta"})
    client.post(_url("course-member-remove", course, cleo))
    client.post(_url("course-member-restore", course, cleo))
    assert _log(course) == [
        ("Ada", AuditAction.MEMBER_ROLE, "Cleo", "role: Student", "role: TA"),
        ("Ada", AuditAction.MEMBER_REMOVE, "Cleo", "in the course as TA", "removed"),
        ("Ada", AuditAction.MEMBER_RESTORE, "Cleo", "removed", "in the course as TA"),
    ]
    page = client.get(reverse("discussions:audit-log", args=[course.slug])).content.decode()
    assert "Changed a member&#x27;s role" in page and "role: Student → role: TA" in page
    assert "Removed a member" in page and "Brought back a removed member" in page


def test_what_changes_nothing_is_not_logged(client_for, ada, cleo, course):
    client = client_for(ada)
    assert (
        client.post(_url("course-member-role", course, cleo), {"role": "student"}).status_code
        == 302
    )
    assert client.post(_url("course-member-restore", course, cleo)).status_code == 302
    client.post(_url("course-member-remove", course, cleo))
    client.post(_url("course-member-remove", course, cleo))
    assert [entry[1] for entry in _log(course)] == [AuditAction.MEMBER_REMOVE]


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("course-member-role", {"role": "king"}, "Choose a role"),
        ("course-member-role", {}, "Choose a role"),
        ("course-member-role", {"role": "student"}, "at least one instructor"),
        ("course-member-remove", {}, "last instructor"),
    ],
)
def test_a_refused_change_leaves_the_member_and_the_log_as_they_were(
    client_for, ada, course, url, data, message
):
    response = client_for(ada).post(_url(url, course, ada), data)
    assert response.status_code == 400 and message in response.content.decode()
    membership = ada.memberships.get()
    assert (membership.role, membership.removed_at) == (Role.INSTRUCTOR, None)
    assert _log(course) == []


def test_a_removed_member_cannot_be_given_a_role_until_restored(client_for, ada, cleo, course):
    client = client_for(ada)
    client.post(_url("course-member-remove", course, cleo))
    response = client.post(_url("course-member-role", course, cleo), {"role": "ta"})
    assert response.status_code == 400
    assert "was removed from the course" in response.content.decode()
    assert cleo.memberships.get().role == Role.STUDENT
    assert [entry[1] for entry in _log(course)] == [AuditAction.MEMBER_REMOVE]


@pytest.mark.parametrize("url", ["course-member-role", "course-member-remove"])
def test_nobody_changes_the_class_list_of_another_course(
    client_for, ada, eve, course, other_course, url
):
    # Ada teaches HIST 274, not Eve's course: Eve's membership is not found under hers...
    response = client_for(ada).post(_url(url, other_course, eve), {"role": "ta"})
    assert response.status_code == 404
    # ...nor under Ada's own course's address.
    pk = eve.memberships.get().pk
    response = client_for(ada).post(reverse(url, args=[course.slug, pk]), {"role": "ta"})
    assert response.status_code == 404
    membership = eve.memberships.get()
    assert (membership.role, membership.removed_at) == (Role.STUDENT, None)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["ben", "cleo"])
def test_tas_and_students_may_not_change_the_class_list(client_for, ben, cleo, dora, course, who):
    client = client_for({"ben": ben, "cleo": cleo}[who])
    assert client.post(_url("course-member-role", course, dora), {"role": "ta"}).status_code == 403
    assert client.post(_url("course-member-remove", course, dora)).status_code == 403
    membership = dora.memberships.get()
    assert (membership.role, membership.removed_at) == (Role.STUDENT, None)
    assert not AuditEntry.objects.exists()
