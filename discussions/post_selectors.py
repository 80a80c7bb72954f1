"""Reads of posts outside their thread: the course's search, the posts that quote a
paragraph of a reading (found again where the passage is now), and why a post's permalink
cannot be followed yet."""

from dataclasses import dataclass

from django.http import Http404

from destalin.forms import as_id
from destalin.search import search
from discussions.models import Post, Quote
from discussions.selectors import get_prompt_access, withheld_notice
from discussions.thread.posts import PromptReader
from readings import anchors


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


def current_blocks(reading):
    """Key to plain text of the reading's blocks now, in order: what quotes are located in.
    One query."""
    return dict(reading.paragraphs.order_by("number").values_list("key", "text"))


def locate_quotes(quotes, reading):
    """Quote pk to where its words are now (``readings.anchors.Location``). Nearly every quote
    is where it was, so the first query reads only the quoted blocks; the whole text is read
    (a second query) only when some quote is not in its own block any more."""
    quoted = {quote.block_key for quote in quotes}
    blocks = dict(reading.paragraphs.filter(key__in=quoted).values_list("key", "text"))
    found, rest = {}, []
    for quote in quotes:
        # Found in its own block is the answer whatever the rest of the text holds.
        where = anchors.locate(quote.passage, blocks)
        if where.status == anchors.Status.SAME:
            found[quote.pk] = where
        else:
            rest.append(quote)
    if rest:
        blocks = current_blocks(reading)
        found.update((quote.pk, anchors.locate(quote.passage, blocks)) for quote in rest)
    return found


def _visible_quotes(*, course, reading, user):
    posts = Post.objects.visible_to(user).filter(prompt__course=course)
    return Quote.objects.filter(reading=reading, post__in=posts)


def quote_counts(*, course, reading, user):
    """Per block key, how many posts the viewer may read quote words that are still there
    (``readings.anchors.locate``; a passage that changed counts nowhere). Three queries at
    most (``locate_quotes``)."""
    quotes = list(
        _visible_quotes(course=course, reading=reading, user=user).only(
            "post_id", "block_key", "exact", "prefix", "suffix", "start", "end"
        )
    )
    if not quotes:
        return {}
    located = locate_quotes(quotes, reading)
    posts_at = {}
    for quote in quotes:
        found = located[quote.pk]
        if found.is_found:
            posts_at.setdefault(found.block, set()).add(quote.post_id)
    return {key: len(posts) for key, posts in posts_at.items()}


@dataclass(frozen=True)
class QuoteArrival:
    """A reader arriving from a quote whose passage is not where and as it was: the quote,
    where its words are now (``readings.anchors.Location``) and that block's number now."""

    quote: Quote
    found: anchors.Location
    number: int | None


def quote_arrival(*, course, reading, user, pk):
    """What to tell a reader who followed quote ``pk`` (a ``?quote=`` parameter; anything
    else, or a quote the viewer may not read, is None), unless its words are unchanged where
    they were. Two queries when there is a quote."""
    pk = as_id(pk or "")
    if not pk:
        return None
    quote = _visible_quotes(course=course, reading=reading, user=user).filter(pk=pk).first()
    if quote is None:
        return None
    blocks = current_blocks(reading)
    found = anchors.locate(quote.passage, blocks)
    if found.status == anchors.Status.SAME:
        return None
    numbers = {key: n for n, key in enumerate(blocks, start=1)}
    return QuoteArrival(quote=quote, found=found, number=numbers.get(found.block))


def posts_quoting(*, course, reading, key, user):
    """The posts the viewer may read that quote words still in block ``key``, oldest first."""
    quotes = list(
        _visible_quotes(course=course, reading=reading, user=user).select_related(
            "post__author", "post__prompt"
        )
    )
    located = locate_quotes(quotes, reading)
    posts = {}
    for quote in quotes:
        found = located[quote.pk]
        if found.is_found and found.block == key:
            posts[quote.post_id] = quote.post
    return sorted(posts.values(), key=lambda post: post.created_at)


def why_post_is_withheld(user, course_slug, pk, now):
    """(prompt, the withheld notice of ``withheld_notice``) when the prompt's reveal rule is
    the only thing between the viewer and post ``pk``: they may open its prompt, and would
    read the post once classmates are revealed to them. None otherwise, so a post the viewer
    may never read stays a plain 404 and reveals nothing. Two queries."""
    post = (
        Post.objects.select_related("parent", "root")
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
        post.visibility,
        post.root.author_id if post.root_id else post.author_id,
    )
    if not reader.readable(visible, post.author_id, post.hidden_at is not None):
        return None
    return access.prompt, notice


def quotes_into(*, reading):
    """The quotes of the reading in posts that are not deleted, in any course (an edit
    changes the text for every course that reads it). One query."""
    return list(
        Quote.objects.filter(reading=reading, post__deleted_at__isnull=True).only(
            "post_id", "block_key", "exact", "prefix", "suffix", "start", "end"
        )
    )


def quotes_lost_by(quotes, blocks):
    """How many of ``quotes`` would no longer find their words in a version whose blocks are
    ``blocks`` (key to text): the count an editor is warned of before saving."""
    return sum(not anchors.locate(quote.passage, blocks).is_found for quote in quotes)
