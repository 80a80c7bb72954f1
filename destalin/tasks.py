"""What every background task shares: trying again later; and the core's own task, sending
a queued mail. Each other task is defined beside the code it runs (mail about a post in
discussions.notifications, and so on)."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from destalin import mail

log = logging.getLogger(__name__)

RETRIES = 5


@task()
def send_message(payload, attempt=1):
    """Send one mail queued by ``mail.queue``; if the mail server refuses or cannot be reached,
    try again later, a few times (the same Message-ID each time)."""
    message = mail.rebuild(payload)
    try:
        message.send()
    except Exception:
        log.exception("Could not send %r (attempt %s)", payload["subject"], attempt)
        retry_later(send_message, attempt, payload)


def retry_later(task_function, attempt, *args, **kwargs):
    """Queue the task's next attempt after a growing pause (2, 4, 8, 16 minutes), if the
    queue can wait (the database queue can; running tasks inline cannot) and tries are
    left."""
    if attempt >= RETRIES or not default_task_backend.supports_defer:
        return None
    later = timezone.now() + timedelta(minutes=2**attempt)
    return task_function.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
