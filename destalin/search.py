"""Full-text search, one mechanism for every kind of text (reading paragraphs, posts).

PostgreSQL: ``websearch_to_tsquery`` against a GIN expression index on the text column
(``to_tsvector('english', COALESCE(col, ''))``, created by each app's migration), ranked, with
``ts_headline`` marking the matches. SQLite: every word must appear (case-insensitive), ranked by
occurrences, matches marked in Python. Both return ``Hit`` objects whose ``passage`` is escaped
HTML with ``<mark>`` around the matches.

Neither ranks every match: ranking reads each row's text (PostgreSQL computes its tsvector
again), which made a common word 3.5-5x slower beside a million posts (issue 22). Both rank a
bounded candidate set, the ``CANDIDATES`` first matches in the caller's order (for posts, the
most recent), and neither counts every match: a page says "more than N" when more match.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"
MAX_QUERY = 200
# How many matches, first in the caller's order, are ranked for the top page.
CANDIDATES = 200
# Private-use characters as match markers: the database never sees HTML, and the passage is
# escaped before the markers become <mark>.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    item: object
    passage: str


@dataclass(frozen=True)
class Results:
    """The top ``hits`` (at most the limit asked for), and whether ``more`` rows match."""

    hits: list
    more: bool = False


def clean_query(raw):
    """What a search box sent, made safe for any database: no NUL or lone surrogates, not
    endless, single spaces."""
    text = raw.encode("utf-8", "ignore").decode("utf-8").replace("\x00", " ")
    return " ".join(text.split())[:MAX_QUERY]


def search(queryset, *, field, query, order, limit=30):
    """The rows of ``queryset`` whose ``field`` matches ``query``: of the ``CANDIDATES`` first
    matches in ``order``, the ``limit`` best (ties in ``order``), each with its passage, as
    ``Results`` (``more`` when over ``limit`` rows match). Two queries at most on either
    database, whatever the number of matches."""
    query = clean_query(query)
    if not _WORD.search(query):
        return Results(hits=[])
    if connection.vendor == "postgresql":
        hits = _search_postgres(queryset, field, query, order, limit)
    else:
        hits = _search_simple(queryset, field, query, order, limit)
    return Results(hits=hits[:limit], more=len(hits) > limit)


def _search_postgres(queryset, field, query, order, limit):
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    vector = SearchVector(field, config=SEARCH_CONFIG)
    candidates = (
        queryset.annotate(search=vector)
        .filter(search=search_query)
        .order_by(*order, "pk")
        .values("pk")[:CANDIDATES]
    )
    rows = (
        queryset.filter(pk__in=candidates)
        .annotate(
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                field,
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=15,
            ),
        )
        .order_by("-rank", *order, "pk")[: limit + 1]
    )
    return [Hit(item=row, passage=_marked(row.headline)) for row in rows]


def _search_simple(queryset, field, query, order, limit):
    words = [w.lower() for w in _WORD.findall(query)][:10]
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__icontains": word})
    rows = list(queryset.filter(condition).order_by(*order, "pk")[:CANDIDATES])
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    # A stable sort: ties keep the caller's order, as on PostgreSQL.
    rows.sort(key=lambda row: -len(pattern.findall(getattr(row, field))))
    return [
        Hit(item=row, passage=_excerpt(getattr(row, field), pattern)) for row in rows[: limit + 1]
    ]


def _excerpt(text, pattern, width=240):
    first = pattern.search(text)
    start = max(0, first.start() - width // 3) if first else 0
    snippet = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return _marked(prefix + pattern.sub(lambda m: _START + m.group(0) + _STOP, snippet) + suffix)


def _marked(text):
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))
