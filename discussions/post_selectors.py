"""Reads of posts outside their thread: the course's search, and the posts that quote a
paragraph of a reading (found again where the passage is now)."""

from destalin.search import search
from discussions.models import Post, Quote


def search_posts(*, course, user, query):
    """Posts in the course the user may read that match the query, best first; the same
    visibility rule as the thread, so search never reveals a withheld post."""
    posts = (
        Post.objects.visible_to(user)
        .filter(prompt__course=course, deleted_at__isnull=True)
        .select_related("author", "prompt")
    )
    return search(posts, field="body", query=query, order=("-created_at",))


def locate(quote, paragraphs):
    """The paragraph number where a quote's words are now: where it was if they are still
    there, else the paragraph that holds them (its context breaking ties); None if gone."""
    if quote.exact in paragraphs.get(quote.paragraph_number, ""):
        return quote.paragraph_number
    candidates = [n for n, text in paragraphs.items() if quote.exact in text]
    if len(candidates) > 1:
        with_context = [
            n for n, text in paragraphs.items() if quote.prefix + quote.exact + quote.suffix in text
        ]
        candidates = with_context or candidates
    return min(candidates, key=lambda n: abs(n - quote.paragraph_number), default=None)


def _visible_quotes(*, course, reading, user):
    posts = Post.objects.visible_to(user).filter(prompt__course=course)
    return Quote.objects.filter(reading=reading, post__in=posts)


def quote_counts(*, course, reading, user):
    """Per paragraph number, how many posts the viewer may read quote it. Two queries."""
    quotes = list(
        _visible_quotes(course=course, reading=reading, user=user).only(
            "post_id", "paragraph_number", "exact", "prefix", "suffix"
        )
    )
    if not quotes:
        return {}
    paragraphs = dict(reading.paragraphs.values_list("number", "text"))
    posts_at = {}
    for quote in quotes:
        number = locate(quote, paragraphs)
        if number is not None:
            posts_at.setdefault(number, set()).add(quote.post_id)
    return {number: len(posts) for number, posts in posts_at.items()}


def posts_quoting(*, course, reading, number, user):
    quotes = list(
        _visible_quotes(course=course, reading=reading, user=user).select_related(
            "post__author", "post__prompt"
        )
    )
    paragraphs = dict(reading.paragraphs.values_list("number", "text"))
    posts = {q.post_id: q.post for q in quotes if locate(q, paragraphs) == number}
    return sorted(posts.values(), key=lambda post: post.created_at)
