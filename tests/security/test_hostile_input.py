"""NUL characters, lone surrogates and nonsense in every field, field name and query
parameter of every form, as a teacher and as a student: a clear refusal or a success, never a
500. PostgreSQL refuses NUL in text (SQLite stores it), so this matters most there, and the
whole suite runs on both.

Form fields are read from each page's own HTML, so a new form is covered as soon as its
route is in the access matrix."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
# A NUL, a lone surrogate as a browser would send it (CESU-8 bytes), an over-long number, and
# text that shows nothing (a zero-width space and a soft hyphen).
HOSTILE = ["a\x00b", "%ED%A0%80", "9" * 40, "-0", "\x00", "\u200b\u00ad"]


def _body(names, value):
    """A urlencoded body by hand: the test client cannot encode a lone surrogate itself."""
    raw = value if value.startswith("%") else quote(value)
    pairs = [f"{quote(name)}={raw}" for name in names if name != "csrfmiddlewaretoken"]
    pairs.append(f"{quote('field' + chr(0))}={raw}")  # and a field name nobody expects
    return "&".join(pairs)


@pytest.mark.parametrize("role", ["cleo", "ada"])
def test_hostile_values_in_every_form_never_cause_a_500(client, people, course, thaw, world, role):
    client.force_login(people[role])
    index = ROLES.index(role)
    tried = 0
    for name, (kwargs, query, on_get, on_post) in MATRIX.items():
        if on_post[index] in (405, 403, 404) or name in DOWNLOADS:
            continue
        url = _url(name, kwargs, query, people, course, thaw, world)
        page = client.get(url) if on_get[index] == 200 else None
        names = set(FIELD.findall(page.content.decode())) if page is not None else set()
        for value in HOSTILE:
            response = client.post(
                url, _body(sorted(names), value), content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code < 500, (name, value)
            tried += 1
    assert tried > 20


@pytest.mark.parametrize("role", ["cleo", "ada"])
def test_hostile_query_parameters_never_cause_a_500(client, people, course, thaw, world, role):
    client.force_login(people[role])
    index = ROLES.index(role)
    params = ["q", "sort", "students", "grader", "actor", "action", "page", "next", "reading", "p"]
    for name, (kwargs, _query, on_get, _) in MATRIX.items():
        if on_get[index] != 200:
            continue
        url = _url(name, kwargs, "", people, course, thaw, world)  # our parameters instead
        for value in HOSTILE:
            raw = value if value.startswith("%") else quote(value)
            response = client.get(url + "?" + "&".join(f"{p}={raw}" for p in params))
            assert response.status_code < 500, (name, value)


@pytest.mark.parametrize("value", ["\u00b2", "\u0661", "9" * 40, "-1", "1e3"])
def test_odd_numbers_in_post_and_quote_parameters_are_refused_cleanly(
    client_for, cleo, course, prompt, value
):
    client = client_for(cleo)
    post_url = reverse("discussions:post-create", args=[course.slug, prompt.pk])
    assert client.post(post_url, {"body": "Hi", "parent": value}).status_code == 404
    assert client.get(prompt.get_absolute_url(), {"reading": "x", "p": value}).status_code == 200
    quote = reverse("discussions:quote", args=[course.slug])
    assert client.get(quote, {"reading": "x", "p": value}).status_code == 404


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "thaw\u2028"])
def test_nul_in_reading_slugs_and_join_codes_is_refused_cleanly(
    client_for, cleo, course, prompt, value
):
    client = client_for(cleo)
    assert client.get(prompt.get_absolute_url(), {"reading": value, "p": "1"}).status_code == 200
    quote = reverse("discussions:quote", args=[course.slug])
    assert client.get(quote, {"reading": value, "p": "1"}).status_code == 404
    assert client.get(f"/join/AB{value}CD/").status_code == 200
    assert client.post(reverse("join"), {"code": f"AB{value}CDEFG"}).status_code == 400
