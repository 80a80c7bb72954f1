"""State changes need POST and a CSRF token: Django's test client skips the CSRF check unless
told not to, so these tests tell it not to."""

import hashlib

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client

from tests.security.test_access_matrix import MATRIX, ROLES, _url

# Reading a page may record that it was read: when a reading was first opened, when a prompt
# was last visited (a person's participation row is created on first visit). Nothing else.
TRACKING = {"readings.progress", "discussions.participation", "sessions.session"}


def _snapshot():
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in TRACKING:
            continue
        rows = serializers.serialize("json", model._default_manager.order_by("pk"))
        digest.update(model._meta.label_lower.encode() + rows.encode())
    return digest.hexdigest()


# Views of the matrix that take a POST without a CSRF token. The one-click unsubscribe: its
# signed link is the authority (RFC 8058's POST comes from a mail client with no cookie and no
# token). LTI's login and launch: platforms post them from their own site (LTI 1.3 Core 5.1.1
# and 5.1.2); the signed id_token, its state and its never-reused nonce protect them instead,
# and a post without them changes nothing. A SAML response: the school's IdP page posts it
# through the browser (SAML 2.0 HTTP-POST binding); its signature, audience and InResponseTo
# (a request of this browser's session) protect it (tests/sso/test_saml.py). LTI's continue:
# the new window a launch proven through the platform's storage continues in has no cookie
# of the frame's; its one-time, five-minute token is the authority (tests/lti).
CSRF_EXEMPT = {"discussions:unsubscribe", "saml-acs", "lti:continue"}
CROSS_SITE = {"lti:login", "lti:launch"}
POSTS = [
    name
    for name, (_, _, _, on_post) in MATRIX.items()
    if on_post[4] != 405 and name not in CSRF_EXEMPT
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", POSTS)
def test_every_state_change_needs_a_csrf_token(people, course, thaw, world, name):
    kwargs, query, _, _ = MATRIX[name]
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["ada"])
    before = _snapshot()
    response = client.post(_url(name, kwargs, query, people, course, thaw, world), {"x": "1"})
    assert response.status_code == (400 if name in CROSS_SITE else 403)
    assert _snapshot() == before


@pytest.mark.django_db
def test_only_a_signed_unsubscribe_link_works_without_a_csrf_token(cleo):
    from django.urls import reverse

    from discussions.notifications import unsubscribe_token

    client = Client(enforce_csrf_checks=True)
    forged = client.post(
        reverse("discussions:unsubscribe", args=["eyJ1IjoxLCJrIjoicmVwbGllcyJ9:forged"]),
        {"List-Unsubscribe": "One-Click"},
    )
    cleo.refresh_from_db()
    assert forged.status_code == 404 and cleo.notify_replies
    signed = client.post(
        reverse("discussions:unsubscribe", args=[unsubscribe_token(cleo, "replies")]),
        {"List-Unsubscribe": "One-Click"},
    )
    cleo.refresh_from_db()
    assert signed.status_code == 200 and not cleo.notify_replies


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_anything(client, people, course, thaw, world, role):
    if role != "anonymous":
        client.force_login(people[role])
    before = _snapshot()
    for name, (kwargs, query, _, _) in MATRIX.items():
        client.get(_url(name, kwargs, query, people, course, thaw, world))
    assert _snapshot() == before


def test_snapshot_notices_a_change(db, course):
    before = _snapshot()
    course.title = "Changed"
    course.save()
    assert _snapshot() != before
