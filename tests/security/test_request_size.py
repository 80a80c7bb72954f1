"""A request body larger than its view needs is refused (413) from its declared length,
before the CSRF check or anything else reads it; each form's largest honest input fits."""

import socket

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM_LIMIT = 256 * 1024


def test_an_oversized_anonymous_post_is_refused_before_anything_reads_it():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_signup"),
        b"email=" + b"x" * FORM_LIMIT,
        content_type="application/x-www-form-urlencoded",
    )
    # Not the CSRF check's 403: the body was never parsed.
    assert response.status_code == 413
    assert "accepts at most 256 kB" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_150_mb_upload_is_answered_without_reading_its_body(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            b"POST /accounts/signup/ HTTP/1.1\r\n"
            + f"Host: {host}\r\n".encode()
            + b"Content-Type: multipart/form-data; boundary=x\r\n"
            + b"Content-Length: 157286400\r\n\r\n"
            + b"--x\r\n"
        )
        answer = connection.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413")


def test_the_longest_post_in_the_widest_characters_fits(client_for, cleo, prompt):
    # A CJK ideograph of plane 2: a letter (a post must show a word), four bytes in UTF-8,
    # twelve once URL-encoded.
    body = "\U00020000" * 20_000
    response = client_for(cleo).post(
        reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]), {"body": body}
    )
    assert response.status_code == 302
    assert prompt.posts.get().body == body


def test_the_gradebook_import_takes_its_file_and_nothing_much_larger(client_for, ada, course):
    url = reverse("grading:gradebook-import", args=[course.slug])
    client = client_for(ada)
    # Read and judged by the form (not a gradebook: 400 with the form's own message).
    fits = client.post(url, {"data": "A" * 2_100_000})
    assert fits.status_code == 400 and "The preview was damaged" not in fits.content.decode()
    assert "Gradebook CSV" in fits.content.decode()
    too_big = client.post(url, {"data": "A" * 3_100_000})
    assert too_big.status_code == 413
