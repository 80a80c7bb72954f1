"""Reading a page in a test. An "absent" check passes on a 404 or an error page for the wrong
reason, so every test that looks for missing text reads the page through ``page_text``, which
first asserts that the page loaded, and then also checks something that must be present."""


def page_text(response, status=200):
    """The decoded body of a test client ``response`` (str), after asserting its status code
    (200 unless ``status`` says otherwise); fails with the status and path if it differs."""
    path = response.request["PATH_INFO"]
    assert response.status_code == status, f"{path} answered {response.status_code}"
    return response.content.decode()


def count_queries(client, url, data=None):
    """How many database queries one GET of ``url`` runs (int), counted on a second visit so
    that what a session's first visit writes (a standing, a visit mark) is not counted; asserts
    that the page loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page_text(client.get(url, data))
    with CaptureQueriesContext(connection) as queries:
        page_text(client.get(url, data))
    return len(queries)
