"""Long unbroken text never widens a page: with 80-character unbroken names, titles, rubric
texts and URLs, every page of the access matrix (tests/security) fits 320 px, for each role
that may open it, with no horizontal scroll."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore

from discussions.grading.models import GradingPolicy, Rubric
from discussions.models import Prompt
from readings.models import Reading
from tests.factories import make_post
from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db(transaction=True)

# 80 characters, no space, no hyphen: nothing a browser would break at by itself.
ADDRESS = "cleo.martin.from.the.department.of.history@university-of-somewhere-far-away.edu2"
UNBROKEN = "Destalinization" * 5 + "Khrus"
URL = "https://example.edu/" + "a" * 60
assert len(ADDRESS) == len(UNBROKEN) == len(URL) == 80


@pytest.fixture
def long_texts(people, course, thaw, world):
    for name in ("cleo", "dora", "ada", "ben"):
        person = people[name]
        person.display_name = ADDRESS[: 80 - len(name)] + name
        person.save(update_fields=["display_name"])
    course.title = UNBROKEN
    course.term = UNBROKEN[:60]
    course.save(update_fields=["title", "term"])
    Reading.objects.filter(pk=thaw.pk).update(title=UNBROKEN)
    prompt = Prompt.objects.get(pk=world["prompt"])
    Prompt.objects.filter(pk=prompt.pk).update(title=UNBROKEN)
    make_post(prompt, people["dora"], f"See {URL} and {UNBROKEN}.")
    rubric = Rubric.objects.get(pk=world["rubric"])
    Rubric.objects.filter(pk=rubric.pk).update(title=UNBROKEN)
    criterion = rubric.criteria.create(title=UNBROKEN, description=UNBROKEN, position=1)
    criterion.levels.create(title=UNBROKEN, points=10, position=1)
    criterion.levels.create(title="None", points=0, position=2)
    GradingPolicy.objects.update_or_create(prompt=prompt, defaults={"rubric": rubric})
    return world


def _sign_in(page, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}
    page.context.add_cookies([{**cookie, "url": live_server.url}])


WIDER = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("role", ["anonymous", "cleo", "ben", "ada", "sam"])
def test_every_page_fits_320_px_with_long_unbroken_text(
    new_page, live_server, people, course, thaw, long_texts, role
):
    page = new_page(viewport={"width": 320, "height": 640})
    if role != "anonymous":
        _sign_in(page, live_server, people[role])
    index = ROLES.index(role)
    too_wide, visited = [], 0
    for name, (kwargs, query, on_get, _) in MATRIX.items():
        if on_get[index] != 200 or name in DOWNLOADS:
            continue
        response = page.goto(_url(name, kwargs, query, people, course, thaw, long_texts))
        assert response.status == 200, name
        overflow = page.evaluate(WIDER)
        if overflow > 0:
            too_wide.append(f"{name}: {overflow} px too wide")
        visited += 1
    assert visited >= (2 if role == "anonymous" else 15)
    assert too_wide == [], too_wide
