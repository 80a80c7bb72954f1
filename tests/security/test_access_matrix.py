"""Every URL of the project, with GET and POST, as every kind of person.

The URL list comes from the resolver, so a new view cannot be forgotten: a named route missing
from ``MATRIX`` fails ``test_every_url_is_in_the_matrix``. Statuses are for the request as
sent (POSTs carry no form data, so a permitted form answers 400).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "eve", "cleo", "ben", "ada", "sam"]
L = "login"  # anonymous visitors are sent to sign in
ALL = {"ALL"}

P = {"course": "c", "pk": "prompt"}

# Routes that answer with a file, not a page.
# (and the JSON health checks)
DOWNLOADS = {
    "grading:export", "grading:gradebook-csv", "grading:gradebook-moodle",
    "discussions:audit-log-csv", "healthz", "readyz",
    "lti:jwks", "lti:config", "readings:original", "discussions:margin-export",
}  # fmt: skip

# name: (kwargs, query, GET statuses, POST statuses), statuses in ROLES order.
MATRIX = {
    "dashboard": ({}, "", [200] * 6, [405] * 6),
    "healthz": ({}, "", [200] * 6, [405] * 6),
    "readyz": ({}, "", [200] * 6, [405] * 6),
    "profile": ({}, "", [L] + [200] * 5, [L] + [400] * 5),
    "notification-settings": ({}, "", [L] + [200] * 5, [L] + [302] * 5),
    "join": ({}, "", [L] + [200] * 5, [L] + [400] * 5),
    "join-link": ({"code": "ABCDEFGH"}, "", [L] + [200] * 5, [L] + [400] * 5),
    "course-create": ({}, "", [L, 403, 403, 403, 200, 200], [L, 403, 403, 403, 400, 400]),
    "course-detail": ({"course": "c"}, "", [L, 404] + [200] * 4, [L] + [405] * 5),
    "course-search": ({"course": "c"}, "?q=thaw", [L, 404] + [200] * 4, [L] + [405] * 5),
    "reading-detail": ({"course": "c", "reading": "r"}, "", [L, 404] + [200] * 4, [L] + [405] * 5),
    "reading-section": (
        {"course": "c", "reading": "r", "position": 1},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "reading-edit": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "course-settings": (
        {"course": "c"},
        "",
        [L, 404, 403, 403, 200, 200],
        [L, 404, 403, 403, 400, 400],
    ),
    "course-members": ({"course": "c"}, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "course-join-code": ({"course": "c"}, "", [L] + [405] * 5, [L, 404, 403, 403, 302, 302]),
    "course-member-role": (
        {"course": "c", "pk": "dora"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 403, 400, 400],
    ),
    "course-member-remove": (
        {"course": "c", "pk": "dora"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 403, 302, 302],
    ),
    "course-member-restore": (
        {"course": "c", "pk": "dora"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 403, 302, 302],
    ),
    "readings:library": ({}, "", [L, 403, 403, 200, 200, 200], [L] + [405] * 5),
    "readings:library-detail": (
        {"reading": "r"},
        "",
        [L, 403, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "readings:assign": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "readings:mark-read": (
        {"course": "c", "reading": "r"},
        "",
        [L] + [405] * 5,
        [L, 404, 302, 302, 302, 403],
    ),
    "readings:progress": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "readings:assignment-edit": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 302, 302, 302],
    ),
    "readings:unassign": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 302, 302, 302],
    ),
    "readings:move": (
        {"course": "c", "reading": "r"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "readings:versions": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "readings:add": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "readings:paste": (
        {"course": "c"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 400, 400, 400],
    ),
    "readings:upload": (
        {"course": "c", "upload": "upload"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 302, 302, 302],
    ),
    "readings:publish": (
        {"course": "c", "upload": "upload"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "readings:discard": (
        {"course": "c", "upload": "upload"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "readings:original": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:prompt-create": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "discussions:prompt": (
        {"course": "c", "pk": "prompt"},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:prompt-edit": (
        {"course": "c", "pk": "prompt"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "discussions:prompt-publish": (
        {"course": "c", "pk": "prompt"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "discussions:prompt-move": (
        {"course": "c", "pk": "prompt"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "discussions:post-create": (
        {"course": "c", "pk": "prompt"},
        "",
        [L] + [405] * 5,
        [L, 404, 400, 400, 400, 400],
    ),
    "discussions:reply": (
        {"course": "c", "pk": "prompt", "post": "post"},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:prompt-progress": (
        {"course": "c", "pk": "prompt"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "discussions:extensions": (
        {"course": "c", "pk": "prompt"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "discussions:post": ({"course": "c", "pk": "post"}, "", [L, 404] + [302] * 4, [L] + [405] * 5),
    "discussions:post-edit": (
        {"course": "c", "pk": "post"},
        "",
        [L, 404, 200, 200, 200, 200],
        [L, 404, 400, 400, 400, 400],
    ),
    "discussions:post-delete": (
        {"course": "c", "pk": "post"},
        "",
        [L, 404, 200, 200, 200, 200],
        [L, 404, 302, 302, 302, 302],
    ),
    "discussions:post-restore": (
        {"course": "c", "pk": "post"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "discussions:post-history": (
        {"course": "c", "pk": "post"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "discussions:quote": (
        {"course": "c"},
        "?reading=the-thaw&p=1",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:quote-source": (
        {"course": "c", "pk": "quote"},
        "",
        [L, 404] + [302] * 4,
        [L] + [405] * 5,
    ),
    "discussions:paragraph-quotes": (
        {"course": "c", "reading": "r", "key": 1},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:note-create": (
        {"course": "c", "reading": "r"},
        "?p=1",
        [L, 404] + [200] * 4,
        [L, 404] + [400] * 4,
    ),
    "discussions:margin-setup": (
        {"course": "c", "reading": "r"},
        "",
        [L] + [405] * 5,
        [L, 404, 403, 302, 302, 302],
    ),
    "discussions:margin": (
        {"course": "c", "reading": "r"},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:margin-export": (
        {"course": "c", "reading": "r", "fmt": "jsonld"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "discussions:note-quote": (
        {"course": "c", "pk": "note"},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:paragraph-notes": (
        {"course": "c", "reading": "r", "number": 1},
        "",
        [L, 404] + [200] * 4,
        [L] + [405] * 5,
    ),
    "discussions:unsubscribe": ({"token": "token"}, "", [200] * 6, [200] * 6),
    # Moderation: teachers moderate; members flag others' posts (Cleo wrote the post, so she
    # cannot flag it); the log and the settings are the instructors'.
    "discussions:post-moderate": (
        {"course": "c", "pk": "post"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "discussions:post-flag": (
        {"course": "c", "pk": "post"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "discussions:prompt-lock": (P, "", [L] + [405] * 5, [L, 404, 403, 302, 302, 302]),
    "discussions:review-queue": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "discussions:audit-log": ({"course": "c"}, "", [L, 404, 403, 403, 200, 200], [L] + [405] * 5),
    "discussions:audit-log-csv": (
        {"course": "c"},
        "",
        [L, 404, 403, 403, 200, 200],
        [L] + [405] * 5,
    ),
    "discussions:moderation-settings": (
        {"course": "c"},
        "",
        [L, 404, 403, 403, 200, 200],
        [L, 404, 403, 403, 302, 302],
    ),
    # Grading: teachers grade; instructors (and staff) set policy and release; students see
    # only their own grades page.
    "grading:grader": (P, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "grading:grade-student": (
        {**P, "student": "student"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    # The student picker: without a student chosen, the roster again with a message.
    "grading:grader-find": (P, "", [L, 404, 403, 400, 400, 400], [L] + [405] * 5),
    "grading:policy": (P, "", [L, 404, 403, 403, 200, 200], [L, 404, 403, 403, 400, 400]),
    "grading:release": (P, "", [L] + [405] * 5, [L, 404, 403, 403, 400, 400]),
    "grading:hide": (P, "", [L] + [405] * 5, [L, 404, 403, 403, 302, 302]),
    "grading:rescale": (P, "", [L, 404, 403, 403, 200, 200], [L, 404, 403, 403, 302, 302]),
    "grading:export": (
        {**P, "fmt": "json"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "grading:prompt-analytics": (P, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "grading:my-grades": ({"course": "c"}, "", [L, 404, 200, 403, 403, 403], [L] + [405] * 5),
    "grading:rubrics": ({"course": "c"}, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "grading:rubric-create": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "grading:rubric-edit": (
        {"course": "c", "pk": "rubric"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "grading:gradebook": ({"course": "c"}, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "grading:gradebook-csv": ({"course": "c"}, "", [L, 404, 403, 200, 200, 200], [L] + [405] * 5),
    "grading:gradebook-moodle": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "grading:gradebook-export": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    "grading:gradebook-import": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L, 404, 403, 400, 400, 400],
    ),
    "grading:course-analytics": (
        {"course": "c"},
        "",
        [L, 404, 403, 200, 200, 200],
        [L] + [405] * 5,
    ),
    # A school's SAML IdP posts here through the browser (a bare post goes on to allauth).
    "saml-acs": ({"organization_slug": "school"}, "", [405] * 6, [302] * 6),
    # LTI: platforms reach the keys, configuration, login and launch without an account (a
    # bare request is refused as incomplete); the rest needs a launch or a linked course,
    # which this course is not.
    "lti:jwks": ({}, "", [200] * 6, [405] * 6),
    "lti:config": ({}, "", [200] * 6, [405] * 6),
    "lti:login": ({}, "", [400] * 6, [400] * 6),
    "lti:launch": ({}, "", [405] * 6, [400] * 6),
    "lti:continue": ({"token": "not-a-token"}, "", [405] * 6, [404] * 6),
    "lti:deep-link": ({}, "", [L] + [404] * 5, [L] + [404] * 5),
    "lti:register": ({"token": "not-a-token"}, "", [404] * 6, [405] * 6),
    "lti:roster-sync": ({"course": "c"}, "", [L] + [404] * 5, [L] + [404] * 5),
}


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin"} or "allauth" in str(entry.urlconf_name):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_is_in_the_matrix():
    assert sorted(set(_names(get_resolver().url_patterns)) - set(MATRIX)) == []


def _url(name, kwargs, query, people, course, thaw, world):
    values = {"c": course.slug, "r": thaw.slug, **world}
    resolved = {}
    for key, value in kwargs.items():
        if value in people:
            resolved[key] = people[value].memberships.get(course=course).pk
        else:
            resolved[key] = values.get(value, value) if isinstance(value, str) else value
    return reverse(name, kwargs=resolved) + query


CASES = [
    (name, method, role_index)
    for name in MATRIX
    for method in ("get", "post")
    for role_index in range(len(ROLES))
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "role_index"), CASES, ids=[f"{n}-{m}-{ROLES[r]}" for n, m, r in CASES]
)
def test_access(client, people, course, thaw, world, name, method, role_index):
    kwargs, query, on_get, on_post = MATRIX[name]
    role = ROLES[role_index]
    if role != "anonymous":
        client.force_login(people[role])
    url = _url(name, kwargs, query, people, course, thaw, world)
    response = getattr(client, method)(url)
    expected = (on_get if method == "get" else on_post)[role_index]
    if expected == L:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, url
