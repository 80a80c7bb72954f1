"""Launching Destalin from a platform: people, courses and roles."""

import pytest
from allauth.account.models import EmailAddress

from destalin.lti.models import LtiContext, LtiUser
from destalin.models import Course, Membership, Role
from tests.factories import CourseFactory, MembershipFactory, PromptFactory, UserFactory
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TA

pytestmark = pytest.mark.django_db


def test_an_instructors_first_launch_creates_the_course_and_signs_them_in(client, platform):
    response = launch(
        client,
        platform,
        sub="t-1",
        roles=[INSTRUCTOR],
        name="Ada Lovelace",
        email="ada@school.example.edu",
    )

    context = LtiContext.objects.get(context_id="course-1")
    assert context.course.title == "The Soviet Union after Stalin"
    assert context.course.code == "HIST 274"
    assert response.status_code == 302
    assert response["Location"] == context.course.get_absolute_url()
    identity = LtiUser.objects.get(sub="t-1")
    assert identity.user.display_name == "Ada Lovelace"
    assert identity.user.email == "ada@school.example.edu"
    assert Membership.objects.get(course=context.course, user=identity.user).role == Role.INSTRUCTOR
    page = client.get(context.course.get_absolute_url())
    assert page.status_code == 200
    assert b"The Soviet Union after Stalin" in page.content


def test_the_same_person_launching_again_is_the_same_user(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR], email="ada@school.example.edu")
    client.logout()
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR], email="ada@school.example.edu")

    assert LtiUser.objects.filter(sub="t-1").count() == 1
    assert Course.objects.count() == 1


def test_a_student_before_the_course_exists_is_asked_to_wait_and_nothing_is_saved(client, platform):
    response = launch(client, platform, sub="s-1", roles=[LEARNER], email="cleo@school.example.edu")

    assert response.status_code == 403
    assert b"not set up in Destalin yet" in response.content
    assert not LtiUser.objects.exists()
    assert not Course.objects.exists()


def test_students_and_tas_join_the_course_with_their_roles(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()
    launch(client, platform, sub="s-1", roles=[LEARNER], name="Cleo")
    client.logout()
    # Canvas sends a TA both roles; the TA role is the one that counts.
    launch(client, platform, sub="ta-1", roles=[TA, INSTRUCTOR], name="Ben")

    course = LtiContext.objects.get().course
    roles = {m.user.display_name: m.role for m in course.memberships.select_related("user")}
    assert roles["Cleo"] == Role.STUDENT
    assert roles["Ben"] == Role.TA


def test_a_platform_administrator_is_not_staff_and_not_a_teacher_here(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()
    response = launch(
        client,
        platform,
        sub="root",
        name="Root",
        roles=[
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
            LEARNER,
        ],
    )

    user = LtiUser.objects.get(sub="root").user
    assert response.status_code == 302
    assert not user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user).role == Role.STUDENT


def test_an_observer_gets_a_plain_refusal(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()
    response = launch(
        client,
        platform,
        sub="mum",
        roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"],
    )

    assert response.status_code == 403
    assert b"gives no access to Destalin" in response.content
    assert not LtiUser.objects.filter(sub="mum").exists()


@pytest.fixture
def launch_through_link(client, platform):
    """The instructor set the course up; then a student launches through a placed link
    (``link-9``) whose custom parameter names a prompt. Returns the course and the
    function that makes the student's launch for a prompt."""
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()

    def student_launch(prompt):
        return launch(
            client,
            platform,
            sub="s-1",
            roles=[LEARNER],
            resource_link="link-9",
            custom={"destalin_prompt": str(prompt.pk)},
        )

    return LtiContext.objects.get().course, student_launch


def test_a_launch_through_a_placed_prompt_opens_that_prompt(launch_through_link):
    course, student_launch = launch_through_link
    prompt = PromptFactory(course=course, is_published=True)

    response = student_launch(prompt)

    assert response["Location"] == prompt.get_absolute_url()


def test_a_link_naming_another_courses_prompt_opens_only_the_launch_course(
    client, launch_through_link
):
    course, student_launch = launch_through_link
    elsewhere = PromptFactory(course=CourseFactory(), is_published=True)

    response = student_launch(elsewhere)

    assert response["Location"] == course.get_absolute_url()
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


class TestExistingAccounts:
    def test_a_claimed_address_never_takes_over_a_local_account(self, client, platform):
        owner = UserFactory(email="cleo@school.example.edu", display_name="Cleo")
        assert EmailAddress.objects.get(user=owner).verified
        launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
        client.logout()

        launch(client, platform, sub="s-1", roles=[LEARNER], email="cleo@school.example.edu")

        identity = LtiUser.objects.get(sub="s-1")
        assert identity.user != owner
        assert identity.user.email.endswith("@lti.invalid")

    def test_a_trusted_platform_links_a_verified_address(self, client, platform):
        platform.tool.policy.link_verified_emails = True
        platform.tool.policy.save()
        owner = UserFactory(email="cleo@school.example.edu", display_name="Cleo")
        assert EmailAddress.objects.get(user=owner).verified
        launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
        client.logout()

        launch(client, platform, sub="s-1", roles=[LEARNER], email="cleo@school.example.edu")

        assert LtiUser.objects.get(sub="s-1").user == owner

    def test_a_trusted_platform_does_not_link_an_unverified_address(self, client, platform):
        platform.tool.policy.link_verified_emails = True
        platform.tool.policy.save()
        owner = UserFactory(email="cleo@school.example.edu", verified=False)
        EmailAddress.objects.create(user=owner, email=owner.email, verified=False, primary=True)
        launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
        client.logout()

        launch(client, platform, sub="s-1", roles=[LEARNER], email="cleo@school.example.edu")

        assert LtiUser.objects.get(sub="s-1").user != owner


def test_a_member_removed_here_comes_back_only_through_the_platform(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    course = LtiContext.objects.get().course
    student = MembershipFactory(course=course, role=Role.STUDENT).user
    client.force_login(student)

    assert client.get(course.get_absolute_url()).status_code == 200
