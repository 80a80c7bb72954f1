"""Reads for moderation pages."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q

from discussions.models import Flag, Post


@dataclass
class QueueItem:
    post: Post
    flags: list
    since: object


def review_queue(*, course):
    """Posts with open flags and held posts, oldest first (by first flag or by hold), each
    with its parent and its flags. Three queries."""
    posts = list(
        Post.objects.filter(prompt__course=course, deleted_at__isnull=True)
        .annotate(first_flag=Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)))
        .filter(Q(held_at__isnull=False) | Q(first_flag__isnull=False))
        .select_related("author", "prompt", "parent__author")
    )
    flags = {}
    for flag in Flag.objects.filter(post__in=posts, resolved_at__isnull=True):
        flags.setdefault(flag.post_id, []).append(flag)
    items = [
        QueueItem(
            post=p,
            flags=flags.get(p.pk, []),
            since=min(t for t in (p.held_at, p.first_flag) if t is not None),
        )
        for p in posts
    ]
    return sorted(items, key=lambda item: (item.since, item.post.pk))


def review_count(course):
    """How many posts wait for review in ``course`` (a Course or its pk), for the course tabs.
    One query."""
    return (
        Post.objects.filter(prompt__course=course, deleted_at__isnull=True)
        .filter(Q(held_at__isnull=False) | Q(flags__resolved_at__isnull=True, flags__isnull=False))
        .aggregate(n=Count("id", distinct=True))["n"]
    )
