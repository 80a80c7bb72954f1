"""Reads for moderation pages."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q

from destalin.markdown import render_text
from discussions.models import Flag, Post


@dataclass
class QueueItem:
    post: Post
    flags: list
    since: object

    @property
    def pending_html(self):
        """A pending edit as it would read once approved (rendered for the reviewer only)."""
        return render_text(self.post.pending_body) if self.post.pending_at else ""


WAITING = Q(held_at__isnull=False) | Q(pending_at__isnull=False)


def review_queue(*, course):
    """Posts with open flags, held posts and pending edits, oldest first (by first flag, hold
    or edit), each with its parent and its flags. Three queries."""
    posts = list(
        Post.objects.filter(prompt__course=course, deleted_at__isnull=True)
        .annotate(first_flag=Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)))
        .filter(WAITING | Q(first_flag__isnull=False))
        .select_related("author", "prompt", "parent__author")
    )
    flags = {}
    for flag in Flag.objects.filter(post__in=posts, resolved_at__isnull=True):
        flags.setdefault(flag.post_id, []).append(flag)
    items = [
        QueueItem(
            post=p,
            flags=flags.get(p.pk, []),
            since=min(t for t in (p.held_at, p.pending_at, p.first_flag) if t is not None),
        )
        for p in posts
    ]
    return sorted(items, key=lambda item: (item.since, item.post.pk))


def review_count(course):
    """How many posts wait for review, for the course navigation. One query."""
    return (
        Post.objects.filter(prompt__course=course, deleted_at__isnull=True)
        .filter(WAITING | Q(flags__resolved_at__isnull=True, flags__isnull=False))
        .aggregate(n=Count("id", distinct=True))["n"]
    )
