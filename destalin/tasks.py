"""What every background task shares: trying again later. Each task itself is defined beside
the code it runs (mail about a post in discussions.notifications, and so on)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend

RETRIES = 5


def retry_later(task_function, attempt, *args, **kwargs):
    """Queue the task's next attempt after a growing pause (2, 4, 8, 16 minutes), if the
    queue can wait (the database queue can; running tasks inline cannot) and tries are
    left."""
    if attempt >= RETRIES or not default_task_backend.supports_defer:
        return None
    later = timezone.now() + timedelta(minutes=2**attempt)
    return task_function.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
