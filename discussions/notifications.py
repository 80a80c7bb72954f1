"""Mail that follows a post. Called after the post's transaction commits; a mail failure is
logged and never undoes or blocks the post."""

import logging

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from destalin.mail import compose, site_url
from destalin.models import Membership, User
from destalin.permissions import TEACHING_ROLES
from destalin.tasks import retry_later
from discussions.models import Post

log = logging.getLogger(__name__)
SALT = "destalin.unsubscribe"
# An unsubscribe link works for 90 days: longer than the 30 days the law asks of a mail's
# link (CAN-SPAM), and every new mail carries a fresh one; a link forwarded or leaked with an
# old mail stops working on its own, with nothing stored to revoke.
UNSUBSCRIBE_MAX_AGE = 90 * 24 * 60 * 60
KINDS = {
    "replies": "notify_replies",
    "responses": "notify_new_responses",
    "grades": "notify_grades",
}


def unsubscribe_token(user, kind):
    """A signed, timestamped token that turns off one ``kind`` of mail (a key of ``KINDS``)
    for ``user``."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=SALT)


def unsubscribe_url(user, kind):
    """The absolute one-click unsubscribe link for ``user`` and ``kind``, on SITE_URL."""
    return site_url(
        reverse("discussions:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    )


class ExpiredToken(Exception):
    """An unsubscribe link older than ``UNSUBSCRIBE_MAX_AGE``."""


def read_unsubscribe_token(token):
    """(user id, kind) from a token, or None if it was tampered with; raises ``ExpiredToken``
    for a genuine link past its age."""
    try:
        data = signing.loads(token, salt=SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise ExpiredToken from expired
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        return None
    return data.get("u"), data["k"]


def new_post(post, only=None):
    """Tell the parent's author about a reply, and teachers who asked about new responses;
    ``only`` limits it to these user ids (a retry). Runs after the post is committed; nothing
    here may undo or fail it. Returns the ids of those the mail server did not take."""
    try:
        recipients = _recipients(post)
    except Exception:
        log.exception("Could not find whom to tell about post %s", post.pk)
        return []
    failed = []
    for user, kind, subject in recipients:
        wanted = only is None or user.pk in only
        if wanted and not _send(user, kind, post, subject):
            failed.append(user.pk)
    return failed


def _recipients(post):
    prompt = post.prompt
    if post.parent_id is not None:
        # Fresh from the database: their settings may have changed since the page loaded.
        parent_author = User.objects.get(pk=post.parent.author_id)
        if (
            parent_author.pk != post.author_id
            and parent_author.notify_replies
            and Post.objects.visible_to(parent_author).filter(pk=post.pk).exists()
        ):
            return [(parent_author, "replies", f"{post.author} replied to your post")]
        return []
    teachers = (
        Membership.objects.current()
        .filter(course=prompt.course, role__in=TEACHING_ROLES)
        .filter(user__notify_new_responses=True)
        .exclude(user=post.author)
        .select_related("user")
    )
    noun = "note" if prompt.is_annotation else "response"
    # The one reading rule decides here too: a private note is told to no one.
    return [
        (m.user, "responses", f"New {noun} from {post.author}")
        for m in teachers
        if Post.objects.visible_to(m.user).filter(pk=post.pk).exists()
    ]


def _send(user, kind, post, subject):
    unsubscribe = unsubscribe_url(user, kind)
    context = {
        "user": user,
        "post": post,
        "prompt": post.prompt,
        "post_url": site_url(
            reverse("discussions:post", kwargs={"course": post.prompt.course.slug, "pk": post.pk})
        ),
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("notification-settings")),
    }
    message = compose(
        to=user.email,
        subject=f"[{post.prompt.course.code}] {subject}",
        text=render_to_string("emails/new_post.txt", context),
        unsubscribe_url=unsubscribe,
    )
    try:
        message.send()
    except Exception:
        # The post is saved; a mail server failure must not surface to its author.
        log.exception("Could not send the %s notification for post %s", kind, post.pk)
        return False
    return True


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
        failed = new_post(post, only=set(only) if only is not None else None)
        if failed:
            retry_later(notify_new_post, attempt, post_id, only=failed)
