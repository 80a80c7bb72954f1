"""Every page any role may open has what assistive technology relies on: a language, a skip
link to the main landmark, exactly one h1, labelled form fields, and scrolling tables that a
keyboard can reach and a screen reader names; and a description for search results."""

import re

import pytest

from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_well_formed_for_assistive_technology(
    client, people, course, thaw, world, role
):
    if role != "anonymous":
        client.force_login(people[role])
    index = ROLES.index(role)
    for name, (kwargs, query, on_get, _) in MATRIX.items():
        if on_get[index] != 200 or name in DOWNLOADS:
            continue
        response = client.get(_url(name, kwargs, query, people, course, thaw, world))
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html, name
        assert len(re.findall(r"<h1[\s>]", html)) == 1, name
        assert re.search(r'<meta name="description" content="[^"]{40,}">', html), name
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for wrap in re.findall(r'<div class="table-wrap"[^>]*>', html):
            assert 'role="region"' in wrap and 'tabindex="0"' in wrap, (name, wrap)
            assert re.search(r'aria-labelledby="([^"]+)"', wrap)[1] in ids, (name, wrap)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        for field_id in re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*id="([^"]+)"', html
        ):
            assert field_id in labelled, (name, field_id)
