"""From the platform's "add external tool" dialog to grades in its gradebook and the roster
synced back: deep linking, AGS and NRPS against the lti1p3platform platform."""

import re

import pytest
from django_tasks_db.models import DBTaskResult

from destalin.lti import tasks
from destalin.lti.models import LtiContext, LtiLink, LtiUser, ScoreSend, ScoreSendStatus
from destalin.models import Membership, Role
from discussions.grading.models import GradeStatus
from discussions.grading.services import release_grades
from tests.factories import CourseFactory, PromptFactory
from tests.lti.conftest import (
    answer_jwt,
    deep_link_launch,
    first_grade,
    launch,
    place_and_grade,
    regrade,
)
from tests.lti.platform import INSTRUCTOR, LEARNER, TA

pytestmark = pytest.mark.django_db


def test_an_instructor_places_a_graded_prompt_with_a_gradebook_column(
    client, platform, course_on_platform
):
    _, graded, ungraded = course_on_platform

    response = deep_link_launch(client, platform)
    assert response.status_code == 302
    assert response["Location"] == "/lti/deep-link/"
    picker = client.get("/lti/deep-link/")
    assert picker.status_code == 200
    assert b"The Secret Speech" in picker.content and b"Warm-up" in picker.content
    answer = client.post(
        "/lti/deep-link/", {"item": [f"prompt-{graded.pk}", f"prompt-{ungraded.pk}"]}
    )
    assert answer.status_code == 200
    assert f'action="{platform.url}/deep-link-return"'.encode() in answer.content

    placed = platform.place(answer_jwt(answer))
    assert [p["item"]["title"] for p in placed] == ["The Secret Speech", "Warm-up"]
    assert placed[0]["item"]["lineItem"]["scoreMaximum"] == 10
    assert placed[0]["item"]["custom"] == {"destalin_prompt": str(graded.pk)}
    assert "lineItem" not in placed[1]["item"]


def test_choosing_nothing_says_so(client, platform, course_on_platform):
    deep_link_launch(client, platform)
    response = client.post("/lti/deep-link/", {"item": []})
    assert response.status_code == 400
    assert b"Choose at least one item" in response.content


def test_items_of_a_course_the_launcher_does_not_teach_are_never_placed(
    client, platform, course_on_platform
):
    elsewhere = PromptFactory(course=CourseFactory(), title="Someone else's", points_possible=5)
    deep_link_launch(client, platform)

    response = client.post("/lti/deep-link/", {"item": [f"prompt-{elsewhere.pk}"]})

    assert response.status_code == 400
    assert b"Someone else" not in response.content
    assert b"The Secret Speech" in response.content


def test_a_student_cannot_place_items(client, platform, course_on_platform):
    response = deep_link_launch(client, platform, sub="s-1", roles=[LEARNER])
    assert response.status_code == 302

    picker = client.get("/lti/deep-link/")

    assert picker.status_code == 403
    assert b"instructors and TAs can add Destalin items" in picker.content


def test_a_deep_link_answer_for_another_context_is_refused(client, platform, course_on_platform):
    # The instructor's own sandbox course on the platform, then a picker reached with that
    # launch while the session names the first course.
    sandbox = {"id": "course-2", "title": "Sandbox", "label": "SANDBOX"}
    deep_link_launch(client, platform, context=sandbox)
    first = LtiContext.objects.get(context_id="course-1")
    session = client.session
    session["lti"] = {**session["lti"], "context": first.pk}
    session.save()

    response = client.post("/lti/deep-link/", {"item": [f"prompt-{course_on_platform[1].pk}"]})

    assert response.status_code == 400
    assert b"belongs to another course or person" in response.content


def test_unreleased_grades_never_leave(client, platform, course_on_platform):
    place_and_grade(client, platform, course_on_platform)

    tasks.send_scores.call(LtiContext.objects.get(context_id="course-1").pk)

    assert platform.scores == []
    assert not ScoreSend.objects.exists()


def test_released_grades_reach_the_platforms_line_item_and_again_when_changed(
    client, platform, course_on_platform
):
    graded, teacher, grade, placed = place_and_grade(client, platform, course_on_platform)
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    context = LtiContext.objects.get(context_id="course-1")

    tasks.send_scores.call(context.pk)

    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["lineitem"] == placed["lineitem"]
    assert score["userId"] == "s-1"
    assert score["scoreGiven"] == 8 and score["scoreMaximum"] == 10
    assert score["gradingProgress"] == "FullyGraded"
    assert ScoreSend.objects.get().status == ScoreSendStatus.SENT
    tasks.send_scores.call(context.pk)
    assert len(platform.scores) == 1  # nothing new, nothing sent

    regrade(grade, teacher, entered=9)
    tasks.send_scores.call(context.pk)

    assert [s["scoreGiven"] for s in platform.scores] == [8, 9]


def test_excused_and_missing_reach_the_platform_as_it_understands_them(
    client, platform, course_on_platform
):
    graded, teacher, grade, _ = place_and_grade(
        client, platform, course_on_platform, status=GradeStatus.EXCUSED, entered=None
    )
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    context = LtiContext.objects.get(context_id="course-1")
    tasks.send_scores.call(context.pk)
    regrade(grade, teacher, status=GradeStatus.MISSING)
    tasks.send_scores.call(context.pk)

    excused, missing = platform.scores
    assert excused["gradingProgress"] == "NotReady" and "scoreGiven" not in excused
    assert missing["scoreGiven"] == 0 and missing["gradingProgress"] == "FullyGraded"


def test_a_platform_that_refuses_is_recorded_and_shown(client, platform, course_on_platform):
    graded, teacher, _, _ = place_and_grade(client, platform, course_on_platform)
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    context = LtiContext.objects.get(context_id="course-1")
    platform.close()  # the platform is away

    tasks.send_scores.call(context.pk)

    send = ScoreSend.objects.get()
    assert send.status == ScoreSendStatus.FAILED and send.error
    client.force_login(teacher)
    page = client.get(f"/lti/courses/{context.course.slug}/roster/")
    assert page.status_code == 200
    row = re.search(r"The Secret Speech</bdi></td>(.*?)</tr>", page.content.decode()).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "1", "1"]


def test_a_link_without_a_line_item_gets_one_made(client, platform, course_on_platform):
    _, graded, _ = course_on_platform
    launch(
        client,
        platform,
        sub="s-1",
        roles=[LEARNER],
        resource_link="old-link",
        custom={"destalin_prompt": str(graded.pk)},
    )
    student = LtiUser.objects.get(sub="s-1").user
    teacher = LtiUser.objects.get(sub="t-1").user
    first_grade(graded, student, teacher, entered=7, release=True)

    tasks.send_scores.call(LtiContext.objects.get().pk)

    (lineitem,) = platform.lineitems.values()
    assert lineitem["resourceId"] == f"prompt-{graded.pk}" and lineitem["scoreMaximum"] == 10
    assert platform.scores[0]["lineitem"] == lineitem["id"]
    assert LtiLink.objects.get(resource_link_id="old-link").lineitem_url == lineitem["id"]


def test_the_roster_syncs_from_the_platform(client, platform, course_on_platform):
    course = course_on_platform[0]
    launch(client, platform, sub="s-1", roles=[LEARNER], name="Cleo")
    client.logout()
    platform.members = [
        {"user_id": "t-1", "roles": [INSTRUCTOR], "status": "Active", "name": "Ada"},
        {
            "user_id": "s-2",
            "roles": [LEARNER],
            "status": "Active",
            "name": "Dora",
            "email": "dora@school.example.edu",
        },
        {"user_id": "ta-1", "roles": [TA], "status": "Active", "name": "Ben"},
        {"user_id": "s-3", "roles": [LEARNER], "status": "Inactive", "name": "Gone"},
    ]
    teacher = LtiUser.objects.get(sub="t-1").user
    client.force_login(teacher)

    page = client.post(f"/lti/courses/{course.slug}/roster/", {"action": "roster"})

    assert page.status_code == 302
    roles = {
        m.user.display_name: (m.role, m.removed_at is None)
        for m in Membership.objects.filter(course=course).select_related("user")
    }
    assert roles == {
        "Ada": (Role.INSTRUCTOR, True),
        "Dora": (Role.STUDENT, True),
        "Ben": (Role.TA, True),
        "Cleo": (Role.STUDENT, False),  # dropped on the platform: removed, work kept
    }
    cleo = LtiUser.objects.get(sub="s-1").user
    client.force_login(cleo)
    assert client.get(course.get_absolute_url()).status_code == 404


def test_only_instructors_sync_the_roster(client, platform, course_on_platform):
    course = course_on_platform[0]
    launch(client, platform, sub="ta-1", roles=[TA], name="Ben")

    page = client.post(f"/lti/courses/{course.slug}/roster/", {"action": "roster"})

    assert page.status_code == 403
    assert b"instructors can sync its roster" in page.content


def test_a_launch_plans_the_courses_sync_once(
    client, platform, course_on_platform, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        first = launch(client, platform, sub="s-1", roles=[LEARNER])
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        launch(client, platform, sub="s-2", roles=[LEARNER])

    assert first.status_code == 302
    (planned,) = DBTaskResult.objects.filter(task_path="destalin.lti.tasks.sync_course")
    context = LtiContext.objects.get(context_id="course-1")
    assert planned.args_kwargs["args"] == [context.pk]
    assert planned.run_after == context.next_sync_at


def test_a_scheduled_sync_updates_the_roster_and_sends_scores(client, platform, course_on_platform):
    graded, teacher, _, _ = place_and_grade(client, platform, course_on_platform)
    release_grades(prompt=graded, by=teacher, everyone=True, notify=False)
    platform.members = [{"user_id": "t-1", "roles": [INSTRUCTOR], "status": "Active"}]
    context = LtiContext.objects.get(context_id="course-1")

    tasks.sync_course.call(context.pk)

    assert [s["userId"] for s in platform.scores] == ["s-1"]
    assert Membership.objects.get(user__lti_identities__sub="s-1").removed_at is not None


def test_an_annotation_assignment_is_placed_with_its_points_and_opens_on_its_reading(
    client, platform, course_on_platform
):
    from discussions.models import Prompt
    from discussions.note_services import margin_prompt
    from tests.factories import AssignmentFactory, ReadingFactory
    from tests.lti.conftest import launch

    course, _, _ = course_on_platform
    reading = ReadingFactory(title="The Thaw", sections=[("", "Ehrenburg's novel.")])
    assignment = AssignmentFactory(course=course, reading=reading)
    margin = margin_prompt(course=course, reading=reading)
    Prompt.objects.filter(pk=margin.pk).update(points_possible=8)

    deep_link_launch(client, platform)
    picker = client.get("/lti/deep-link/").content.decode()
    assert "Annotation assignment" in picker and "Notes on The Thaw" in picker
    answer = client.post("/lti/deep-link/", {"item": [f"prompt-{margin.pk}"]})
    placed = platform.place(answer_jwt(answer))
    assert placed[0]["item"]["lineItem"]["scoreMaximum"] == 8
    client.logout()

    response = launch(
        client,
        platform,
        sub="s-1",
        roles=[LEARNER],
        resource_link=placed[0]["id"],
        custom={"destalin_prompt": str(margin.pk)},
    )
    assert response["Location"] == assignment.get_absolute_url()
