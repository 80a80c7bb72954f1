"""Mail the server refuses is tried again later, to exactly those it did not reach; nothing is
sent twice and a post or a grade never depends on it."""

from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks import default_task_backend

from destalin.tasks import RETRIES
from discussions import notifications
from discussions.grading import notifications as grading_notifications
from discussions.grading.models import Grade
from tests.factories import make_post

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _refusing(address):
    real = mail.send_mail

    def send(*args, recipient_list, **kwargs):
        if address in recipient_list:
            raise ConnectionRefusedError("the mail server is down")
        return real(*args, recipient_list=recipient_list, **kwargs)

    return send


@override_settings(TASKS=QUEUE)
def test_a_refused_mail_about_a_post_is_retried_for_that_person_only(ada, ben, cleo, prompt):
    default_task_backend.clear()
    for teacher in (ada, ben):
        teacher.notify_new_responses = True
        teacher.save()
    post = make_post(prompt, cleo, "A response both teachers want to hear about.")
    default_task_backend.clear()
    with mock.patch("discussions.notifications.send_mail", _refusing("ben@example.edu")):
        notifications.notify_new_post.call(post.pk)
    assert [m.to for m in mail.outbox] == [["ada@example.edu"]]
    (retry,) = default_task_backend.results
    assert retry.args == [post.pk] and retry.kwargs == {"only": [ben.pk], "attempt": 2}
    assert retry.task.run_after is not None
    notifications.notify_new_post.call(post.pk, only=[ben.pk], attempt=2)
    assert [m.to for m in mail.outbox] == [["ada@example.edu"], ["ben@example.edu"]]


@override_settings(TASKS=QUEUE)
def test_retries_stop_after_a_few_attempts(ada, cleo, prompt):
    ada.notify_new_responses = True
    ada.save()
    post = make_post(prompt, cleo, "Nobody hears of this one.")
    default_task_backend.clear()
    with mock.patch("discussions.notifications.send_mail", _refusing("ada@example.edu")):
        notifications.notify_new_post.call(post.pk, only=[ada.pk], attempt=RETRIES)
    assert default_task_backend.results == []


@override_settings(TASKS=QUEUE)
def test_a_refused_grade_mail_stays_untold_and_is_retried(ada, cleo, dora, prompt):
    from discussions.grading import services

    prompt.points_possible = 10
    prompt.save()
    for student in (cleo, dora):
        make_post(prompt, student, f"{student.display_name}'s work.")
        services.save_grade(
            prompt=prompt,
            student=student,
            grader=ada,
            status="graded",
            entered=8,
            expected_version=0,
        )
    services.release_grades(prompt=prompt, by=ada, everyone=True, notify=False)
    Grade.objects.update(notified_at=None)
    default_task_backend.clear()
    with mock.patch("discussions.grading.notifications.send_mail", _refusing("dora@example.edu")):
        grading_notifications.notify_released_grades.call(prompt.pk)
    told = dict(Grade.objects.values_list("student__display_name", "notified_at"))
    assert told["Cleo"] is not None and told["Dora"] is None
    (retry,) = default_task_backend.results
    assert retry.kwargs == {"attempt": 2}
    grading_notifications.notify_released_grades.call(prompt.pk, attempt=2)
    assert sorted(m.to[0] for m in mail.outbox) == ["cleo@example.edu", "dora@example.edu"]
