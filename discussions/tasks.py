"""Background work of the discussions: mail that follows a post, outside the request."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from discussions import notifications
from discussions.models import Post

RETRIES = 5


@task()
def notify_new_post(post_id, only=None, attempt=1):
    """Mail about a new post, unless it was deleted before the worker got to it; whoever the
    mail server refused is tried again later (``only``), a few times."""
    post = (
        Post.objects.select_related("prompt__course", "parent", "author")
        .filter(pk=post_id, deleted_at__isnull=True)
        .first()
    )
    if post is not None:
        failed = notifications.new_post(post, only=set(only) if only is not None else None)
        if failed:
            retry_later(notify_new_post, attempt, post_id, only=failed)


def retry_later(task_function, attempt, *args, **kwargs):
    """Queue the task's next attempt after a growing pause (2, 4, 8, 16 minutes), if the
    queue can wait (the database queue can; running tasks inline cannot) and tries are
    left."""
    if attempt >= RETRIES or not default_task_backend.supports_defer:
        return None
    later = timezone.now() + timedelta(minutes=2**attempt)
    return task_function.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
