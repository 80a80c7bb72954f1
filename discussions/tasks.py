"""Background work of the discussions: mail that follows a post, outside the request."""

from django_tasks import task

from discussions import notifications
from discussions.models import Post


@task()
def notify_new_post(post_id):
    """Mail about a new post, unless it was deleted before the worker got to it."""
    post = (
        Post.objects.select_related("prompt__course", "parent", "author")
        .filter(pk=post_id, deleted_at__isnull=True)
        .first()
    )
    if post is not None:
        notifications.new_post(post)
