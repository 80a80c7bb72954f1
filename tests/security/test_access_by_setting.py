"""The access matrix again where a course setting or a lock changes who may do what: the rows
that change, with every other role's status as in ``MATRIX``.

- A course that does not let TAs assign readings: Ben gets 403 on every syllabus change.
- A locked discussion: Cleo, the author of the world's post, may no longer edit or delete it,
  nor post; teachers still may.
"""

import pytest
from django.utils import timezone

from discussions.models import Prompt
from tests.security.test_access_matrix import MATRIX, ROLES, L, _url

NO_TA_SYLLABUS = {
    "readings:assign": ([L, 404, 403, 403, 200, 200], [L, 404, 403, 403, 400, 400]),
    "readings:assignment-edit": ([L, 404, 403, 403, 200, 200], [L, 404, 403, 403, 302, 302]),
    "readings:unassign": ([L, 404, 403, 403, 200, 200], [L, 404, 403, 403, 302, 302]),
    "readings:move": ([L] + [405] * 5, [L, 404, 403, 403, 302, 302]),
}
LOCKED_PROMPT = {
    "discussions:post-edit": ([L, 404, 403, 200, 200, 200], [L, 404, 403, 400, 400, 400]),
    "discussions:post-delete": ([L, 404, 403, 200, 200, 200], [L, 404, 403, 302, 302, 302]),
    "discussions:post-create": ([L] + [405] * 5, [L, 404, 403, 400, 400, 400]),
}


def _no_ta_syllabus(course, world):
    course.tas_may_assign_readings = False
    course.save(update_fields=["tas_may_assign_readings"])


def _locked_prompt(course, world):
    Prompt.objects.filter(pk=world["prompt"]).update(locked_at=timezone.now())


VARIANTS = {"no-ta-syllabus": (_no_ta_syllabus, NO_TA_SYLLABUS),
            "locked-prompt": (_locked_prompt, LOCKED_PROMPT)}  # fmt: skip
CASES = [
    (variant, name, method, index)
    for variant, (_, rows) in VARIANTS.items()
    for name in rows
    for method in ("get", "post")
    for index in range(len(ROLES))
]


def test_each_variant_changes_rows_the_matrix_knows():
    for _, rows in VARIANTS.values():
        for name, statuses in rows.items():
            assert name in MATRIX and statuses != MATRIX[name][2:], name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("variant", "name", "method", "index"),
    CASES,
    ids=[f"{v}-{n}-{m}-{ROLES[i]}" for v, n, m, i in CASES],
)
def test_access_under_a_setting(client, people, course, thaw, world, variant, name, method, index):
    change, rows = VARIANTS[variant]
    change(course, world)
    kwargs, query, _, _ = MATRIX[name]
    role = ROLES[index]
    if role != "anonymous":
        client.force_login(people[role])
    url = _url(name, kwargs, query, people, course, thaw, world)
    response = getattr(client, method)(url)
    expected = rows[name][0 if method == "get" else 1][index]
    if expected == L:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    else:
        assert response.status_code == expected, url
