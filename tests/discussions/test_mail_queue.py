from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_post

# The worker closes database connections as a long-running process should, so this test
# commits for real instead of running inside a rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_is_queued_and_sent_by_the_worker(client_for, cleo, dora, prompt, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    parent = make_post(prompt, cleo, "Parent.")
    response = client_for(dora).post(
        reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]),
        {"body": "Reply.", "parent": parent.pk},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # posting only queued the mail
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[cleo.email]]
