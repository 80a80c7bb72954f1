"""Reads of posts outside their thread: the course's search, the posts that quote a
paragraph of a reading (found again where the passage is now), and why a post's permalink
cannot be followed yet."""

from django.http import Http404

from destalin.search import search
from discussions.models import Post, Quote
from discussions.selectors import get_prompt_access, withheld_notice
from discussions.thread.posts import PromptReader


def search_posts(*, course, user, query):
    """Posts in the course the user may read that match the query, best first among the most
    recent matches (``destalin.search.Results``); the same visibility rule as the thread, so
    search never reveals a withheld post."""
    posts = (
        Post.objects.visible_to(user)
        .filter(prompt__course=course, deleted_at__isnull=True)
        .select_related("author", "prompt")
    )
    return search(posts, field="body", query=query, order=("-created_at",), vector="search_vector")


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


def why_post_is_withheld(user, course_slug, pk, now):
    """(prompt, the withheld notice of ``withheld_notice``) when the prompt's reveal rule is
    the only thing between the viewer and post ``pk``: they may open its prompt, and would
    read the post once classmates are revealed to them. None otherwise, so a post the viewer
    may never read stays a plain 404 and reveals nothing. Two queries."""
    post = (
        Post.objects.select_related("parent")
        .filter(pk=pk, prompt__course__slug=course_slug)
        .first()
    )
    if post is None:
        return None
    try:
        access = get_prompt_access(user, course_slug, post.prompt_id)
    except Http404:
        return None
    notice = withheld_notice(prompt=access.prompt, participation=access.participation, now=now)
    if notice is None or access.teaching:
        return None
    reader = PromptReader(
        user_id=user.pk,
        prompt=access.prompt,
        participation=access.participation,
        now=now,
        reads_all=False,
        revealed=True,
    )
    visible = reader.visible(
        post.author_id,
        post.author_role,
        post.depth,
        post.parent.author_id if post.parent_id else None,
        post.deleted_at is not None,
        post.held_at is not None,
    )
    if not reader.readable(visible, post.author_id, post.hidden_at is not None):
        return None
    return access.prompt, notice
