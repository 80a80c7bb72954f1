"""Launches that must be refused: each gets a plain page saying what went wrong, a 4xx
status, and saves nothing."""

import time
from datetime import timedelta

import jwt
import pytest
from django.utils import timezone
from pylti1p3.dynamic_registration import generate_key_pair

from destalin.lti.models import LtiContext, LtiUser, UsedNonce
from destalin.models import Course, Membership, Role
from tests.lti.conftest import auth_request, launch
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db


def resigned(platform, key=None, headers=None, drop=(), **changes):
    """Rewrite the posted id_token's body and sign it again (with the platform's key unless
    ``key`` is given)."""

    def rewrite(posted, params):
        body = jwt.decode(posted["id_token"], options={"verify_signature": False})
        body.update(changes)
        for claim in drop:
            body.pop(claim, None)
        return {**posted, "id_token": platform.sign(body, headers=headers, key=key)}

    return rewrite


def assert_refused(response, status=400, says=b"could not be checked"):
    assert response.status_code == status, response.content
    assert says in response.content
    assert b"<h1>Destalin could not open this link</h1>" in response.content
    assert not Course.objects.exists()
    assert not LtiUser.objects.exists()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_honest_launch_goes_through(client, platform):
    # The baseline every attack below changes one thing of.
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    assert response.status_code == 302
    assert Course.objects.count() == 1


def test_a_replayed_launch_is_refused(client, platform):
    params = auth_request(client, platform, "t-1")
    posted = platform.launch_form(params, sub="t-1", roles=[INSTRUCTOR])
    form = {"id_token": posted["id_token"], "state": posted["state"]}
    assert client.post("/lti/launch/", form).status_code == 302
    client.logout()

    again = client.post("/lti/launch/", form)

    assert again.status_code == 400
    assert b"could not be checked" in again.content
    assert UsedNonce.objects.count() == 1
    assert "_auth_user_id" not in again.wsgi_request.session


def test_a_token_for_another_client_is_refused(client, platform):
    response = launch(
        client, platform, sub="t-1", roles=[INSTRUCTOR], form=resigned(platform, aud="other-tool")
    )
    assert_refused(response)


def test_a_token_with_a_foreign_authorized_party_is_refused(client, platform):
    rewrite = resigned(platform, aud=[platform.client_id, "other-tool"], azp="other-tool")
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_a_token_signed_by_another_key_is_refused(client, platform):
    stranger, _ = generate_key_pair(2048)
    rewrite = resigned(platform, key=stranger)
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_a_key_id_not_in_the_platforms_jwks_is_refused(client, platform):
    stranger, _ = generate_key_pair(2048)
    rewrite = resigned(platform, key=stranger, headers={"kid": "not-published"})
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_an_expired_token_is_refused(client, platform):
    past = int(time.time()) - 3600
    rewrite = resigned(platform, iat=past - 300, exp=past)
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_a_token_without_expiry_is_refused(client, platform):
    rewrite = resigned(platform, drop=("exp",))
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_an_unknown_deployment_is_refused(client, platform):
    rewrite = resigned(
        platform, **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "elsewhere"}
    )
    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR], form=rewrite)
    assert_refused(response)


def test_a_state_from_another_browser_is_refused(client, platform):
    response = launch(
        client,
        platform,
        sub="t-1",
        roles=[INSTRUCTOR],
        form=lambda posted, params: {**posted, "state": "state-forged"},
    )
    assert_refused(response)


def test_a_nonce_the_tool_never_issued_is_refused(client, platform):
    response = launch(
        client, platform, sub="t-1", roles=[INSTRUCTOR], form=resigned(platform, nonce="made-up")
    )
    assert_refused(response)


def test_an_unregistered_platform_gets_a_plain_page(client, platform):
    platform.tool.is_active = False
    platform.tool.save()

    page = client.get(platform.preflight_url("t-1"))

    assert page.status_code == 400
    assert b"not registered with Destalin" in page.content


def test_garbage_instead_of_a_token_is_refused(client, platform):
    auth_request(client, platform, "t-1")
    response = client.post("/lti/launch/", {"id_token": "not.a.jwt", "state": "x"})
    assert_refused(response)
    assert client.post("/lti/launch/", {}).status_code == 400


def test_a_rotated_platform_key_is_fetched_again(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()
    platform.rotate_key()

    response = launch(client, platform, sub="t-1", roles=[INSTRUCTOR])

    assert response.status_code == 302


def test_a_students_claims_elsewhere_never_make_them_teach_this_course(client, platform):
    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])
    client.logout()
    launch(client, platform, sub="s-1", roles=[LEARNER])
    client.logout()
    # The same person teaches a course of their own on the platform.
    own = {"id": "course-2", "title": "Sandbox", "label": "SANDBOX"}
    launch(client, platform, sub="s-1", roles=[INSTRUCTOR], context=own)

    student = LtiUser.objects.get(sub="s-1").user
    first = LtiContext.objects.get(context_id="course-1").course
    assert Membership.objects.get(user=student, course=first).role == Role.STUDENT
    gradebook = client.get(f"/courses/{first.slug}/gradebook/")
    assert gradebook.status_code in (403, 404)
    assert client.get(first.get_absolute_url()).status_code == 200


def test_old_nonces_are_forgotten_once_their_tokens_could_not_pass(client, platform):
    stale = UsedNonce.objects.create(nonce="n-old", used_at=timezone.now() - timedelta(days=1))

    launch(client, platform, sub="t-1", roles=[INSTRUCTOR])

    assert not UsedNonce.objects.filter(pk=stale.pk).exists()
    assert UsedNonce.objects.count() == 1
