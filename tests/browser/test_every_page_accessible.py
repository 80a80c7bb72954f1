"""axe-core on every page the access matrix says each role may open (tests/security), as
that role: zero WCAG 2.2 A and AA violations anywhere, not only on the journeys' pages."""

import pytest

from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["anonymous", "cleo", "ben", "ada", "sam"])
def test_every_page_has_no_accessibility_violations(
    new_page, check_a11y, live_server, people, course, thaw, world, role
):
    page = new_page()
    if role != "anonymous":
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.cached_db import SessionStore

        user = people[role]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )
    index = ROLES.index(role)
    visited = 0
    for name, (kwargs, query, on_get, _) in MATRIX.items():
        if on_get[index] != 200 or name in DOWNLOADS:
            continue
        response = page.goto(_url(name, kwargs, query, people, course, thaw, world))
        assert response.status == 200, name
        check_a11y(page)
        visited += 1
    assert visited >= (2 if role == "anonymous" else 15)
