"""What teachers see of scores on their way to the platform: each cell of the gradebook says
whether its score was sent, is waiting or failed (and why), every send is in the audit log,
and the course's tabs lead to its "Learning platform" page."""

import re

import pytest
from django.urls import reverse

from destalin.lti import tasks
from destalin.lti.models import LtiContext
from destalin.models import Role
from discussions.grading.models import GradeStatus
from discussions.grading.services import release_grades
from discussions.models import AuditAction, AuditEntry
from tests.factories import CourseFactory, MembershipFactory
from tests.html_validator import html_errors
from tests.lti.conftest import first_grade, launch, place_and_grade, regrade
from tests.lti.platform import TA

pytestmark = pytest.mark.django_db


def cell_label(client, course, student):
    page = client.get(reverse("grading:gradebook", args=[course.slug]))
    assert page.status_code == 200
    name = re.escape(student.display_name)
    return re.search(rf'aria-label="({name}, The Secret Speech: [^"]*)"', page.content.decode())[1]


def test_each_cell_of_the_gradebook_says_where_its_score_stands(
    client, platform, course_on_platform
):
    graded, teacher, grade, _ = place_and_grade(client, platform, course_on_platform)
    course = course_on_platform[0]
    context = LtiContext.objects.get(context_id="course-1")
    client.force_login(teacher)

    assert cell_label(client, course, grade.student) == "Cleo, The Secret Speech: 8"
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    waiting = cell_label(client, course, grade.student)
    tasks.send_scores.call(context.pk)
    sent = cell_label(client, course, grade.student)
    regrade(grade, teacher, entered=9)
    changed = cell_label(client, course, grade.student)
    platform.close()  # the platform is away
    tasks.send_scores.call(context.pk)
    failed = cell_label(client, course, grade.student)

    assert waiting == "Cleo, The Secret Speech: 8, waiting to be sent to the learning platform"
    assert sent == "Cleo, The Secret Speech: 8, sent to the learning platform"
    assert changed == "Cleo, The Secret Speech: 9, waiting to be sent to the learning platform"
    assert failed.startswith("Cleo, The Secret Speech: 9, not sent to the learning platform (")
    assert "Connection" in failed  # the reason: what the platform's address answered
    page = client.get(reverse("grading:gradebook", args=[course.slug])).content.decode()
    assert '<abbr title="not sent to the learning platform (' in page
    assert "! not sent (the reason is in its title)" in page
    assert html_errors({"gradebook": page}) == []


def test_a_student_the_platform_never_listed_is_not_waiting_forever(
    client, platform, course_on_platform
):
    graded, teacher, _, _ = place_and_grade(client, platform, course_on_platform)
    course = course_on_platform[0]
    local = MembershipFactory(course=course, role=Role.STUDENT).user
    first_grade(graded, local, teacher, entered=6, release=True)
    client.force_login(teacher)

    label = cell_label(client, course, local)

    assert label.endswith(": 6, not sent: the learning platform has not listed this student")


def test_a_course_outside_any_platform_has_no_notes(client, ada, course):
    client.force_login(ada)

    page = client.get(reverse("grading:gradebook", args=[course.slug]))

    assert page.status_code == 200
    assert b"Gradebook" in page.content
    assert b"learning platform" not in page.content


def test_every_send_is_in_the_audit_log(client, platform, course_on_platform):
    graded, teacher, grade, placed = place_and_grade(client, platform, course_on_platform)
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    context = LtiContext.objects.get(context_id="course-1")

    tasks.send_scores.call(context.pk)
    platform.close()
    regrade(grade, teacher, status=GradeStatus.EXCUSED)
    tasks.send_scores.call(context.pk)

    sends = AuditEntry.objects.filter(
        action__in=[AuditAction.SCORE_SENT, AuditAction.SCORE_FAILED]
    ).order_by("pk")
    sent, failed = sends
    assert (sent.action, sent.actor, sent.student, sent.prompt) == (
        AuditAction.SCORE_SENT,
        None,
        grade.student,
        graded,
    )
    assert sent.after == f"8 of 10 to {placed['lineitem']}" and sent.reason == ""
    assert failed.action == AuditAction.SCORE_FAILED
    assert failed.after.startswith("no score (excused) to ") and failed.reason
    client.force_login(teacher)
    log = client.get(reverse("discussions:audit-log", args=[context.course.slug]))
    assert log.status_code == 200
    assert b"Sent a score to the learning platform" in log.content
    assert b"A score did not reach the learning platform" in log.content


def tab(client, course):
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200
    url = reverse("lti:roster-sync", args=[course.slug])
    return f'<a href="{url}">Learning platform</a>' in page.content.decode()


def test_the_learning_platform_tab_is_offered_to_instructors_of_linked_courses(
    client, platform, course_on_platform
):
    course = course_on_platform[0]
    instructor = course.memberships.get(role=Role.INSTRUCTOR).user
    elsewhere = MembershipFactory(user=instructor, role=Role.INSTRUCTOR, course=CourseFactory())
    launch(client, platform, sub="ta-1", roles=[TA], name="Ben")
    ta_sees_it = tab(client, course)
    client.force_login(instructor)

    assert tab(client, course)
    assert not ta_sees_it
    assert not tab(client, elsewhere.course)
    page = client.get(reverse("lti:roster-sync", args=[course.slug]))
    assert (
        '<a href="{}" aria-current="page">Learning platform</a>'.format(
            reverse("lti:roster-sync", args=[course.slug])
        )
        in page.content.decode()
    )
