"""Every page the access matrix says each role may open is valid HTML by the W3C Nu HTML
Checker, as that role: zero errors. All pages go to the checker in one batch."""

import pytest

from tests.html_validator import html_errors
from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db


def test_every_page_of_every_role_is_valid_html(client, people, course, thaw, world):
    documents = {}
    for index, role in enumerate(ROLES):
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for name, (kwargs, query, on_get, _) in MATRIX.items():
            if on_get[index] != 200 or name in DOWNLOADS:
                continue
            response = client.get(_url(name, kwargs, query, people, course, thaw, world))
            assert response.status_code == 200, (role, name)
            documents[f"{role} {name}"] = response.content.decode()
    assert len(documents) > 100  # every role's pages were fetched
    errors = html_errors(documents)
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)
