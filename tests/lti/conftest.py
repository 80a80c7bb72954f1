import html
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from destalin.lti import keys
from destalin.lti.models import LtiContext, LtiUser, PlatformPolicy
from discussions.grading.models import GradeStatus
from discussions.grading.services import release_grades, save_grade
from tests.factories import PromptFactory
from tests.lti.platform import INSTRUCTOR, LEARNER, Platform

TOOL = "http://testserver"


@pytest.fixture
def platform(db, client):
    """A registered platform: the admin entered its issuer, client id, deployment and URLs,
    and it holds the tool's published keys."""
    platform = register(client, Platform(TOOL))
    yield platform
    platform.close()


@pytest.fixture
def https_platform(db, client):
    """The same, with the tool served over HTTPS (as in production)."""
    platform = register(client, Platform(TOOL.replace("http:", "https:")), secure=True)
    yield platform
    platform.close()


def register(client, platform, secure=False):
    tool = LtiTool.objects.create(
        title="Canvas at Example State",
        issuer=platform.url,
        client_id=platform.client_id,
        auth_login_url=platform.url + "/auth",
        auth_token_url=platform.url + "/token",
        key_set_url=platform.url + "/jwks",
        deployment_ids=json.dumps([platform.deployment_id]),
        tool_key=keys.current_key(),
    )
    PlatformPolicy.objects.create(tool=tool, frame_origins="https://school.example.edu")
    platform.tool = tool
    platform.tool_jwks = client.get("/lti/jwks.json", secure=secure).json()
    return platform


def auth_request(client, platform, sub, *, hint="resource-link", secure=False):
    """The browser's part up to the platform's OIDC endpoint: the tool's login initiation,
    its cookie check, and the redirect; returns the auth request's parameters."""
    page = client.get(platform.preflight_url(sub, hint=hint), secure=secure)
    assert page.status_code == 200, page.content
    new_window = re.search(r'id="lti1p3-new-tab-link"', page.content.decode())
    assert new_window
    href = html.unescape(
        re.search(r'href="([^"]+)"[^>]*id="lti1p3-new-tab-link"', page.content.decode()).group(1)
    )
    redirect = client.get(href, secure=secure)
    assert redirect.status_code == 302, redirect.content
    location = redirect["Location"]
    assert location.startswith(platform.url + "/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def launch(client, platform, *, sub, roles, form=None, secure=False, **claims):
    """A whole launch as the browser makes it; ``form`` rewrites the posted form first."""
    params = auth_request(client, platform, sub, secure=secure)
    posted = platform.launch_form(params, sub=sub, roles=roles, **claims)
    posted = {"id_token": posted["id_token"], "state": posted["state"]}
    if form:
        posted = form(posted, params)
    return client.post("/lti/launch/", posted, secure=secure)


def deep_link_launch(client, platform, sub="t-1", roles=(INSTRUCTOR,), **claims):
    params = auth_request(client, platform, sub, hint="deep-link")
    posted = platform.launch_form(params, sub=sub, roles=list(roles), deep_link=True, **claims)
    return client.post("/lti/launch/", {"id_token": posted["id_token"], "state": posted["state"]})


def answer_jwt(page):
    return re.search(r'name="JWT" value="([^"]+)"', page.content.decode()).group(1)


@pytest.fixture
def course_on_platform(client, platform):
    """The instructor launched once: the course exists, with a graded and an ungraded
    prompt."""
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR], name="Ada")
    course = LtiContext.objects.get().course
    graded = PromptFactory(course=course, title="The Secret Speech", points_possible=10)
    ungraded = PromptFactory(course=course, title="Warm-up", points_possible=0)
    client.logout()
    return course, graded, ungraded


def place_and_grade(client, platform, course_on_platform, *, status=GradeStatus.GRADED, entered=8):
    _, graded, _ = course_on_platform
    deep_link_launch(client, platform)
    placed = platform.place(
        answer_jwt(client.post("/lti/deep-link/", {"item": [f"prompt-{graded.pk}"]}))
    )[0]
    client.logout()
    launch(
        client,
        platform,
        sub="s-1",
        roles=[LEARNER],
        name="Cleo",
        resource_link=placed["id"],
        custom=placed["item"]["custom"],
        lineitem=placed["lineitem"],
    )
    student = LtiUser.objects.get(sub="s-1").user
    teacher = LtiUser.objects.get(sub="t-1").user
    grade = first_grade(graded, student, teacher, entered=entered, status=status)
    return graded, teacher, grade, placed


def first_grade(prompt, student, teacher, *, entered, status=GradeStatus.GRADED, release=False):
    """The student's first grade on the prompt (released to everyone if ``release``)."""
    grade = save_grade(
        prompt=prompt,
        student=student,
        grader=teacher,
        status=status,
        entered=Decimal(entered) if entered is not None else None,
        expected_version=None,
    )
    if release:
        release_grades(prompt=prompt, by=teacher, everyone=True, notify=False)
    return grade


def regrade(grade, teacher, *, status=GradeStatus.GRADED, entered=None):
    """The same grade saved again (after release, it goes to the platform again)."""
    return save_grade(
        prompt=grade.prompt,
        student=grade.student,
        grader=teacher,
        status=status,
        entered=Decimal(entered) if entered is not None else None,
        expected_version=grade.version,
    )
