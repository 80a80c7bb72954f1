"""Full-text search, one mechanism for every kind of text (reading paragraphs, posts).

Case and accents never matter, in any script: "хрущев" finds "Хрущёв", "Dubcek" finds
"Dubček". Text and query are folded the same way (``destalin.text.fold``, ICU's rules).

PostgreSQL: ``websearch_to_tsquery`` against a GIN expression index on the text column
(``to_tsvector('destalin_search', COALESCE(col, ''))``, created by each app's migration),
ranked, with ``ts_headline`` marking the matches. A table may store the vector in a column of
its own (posts do: ``discussions`` migration 0014), named by ``vector=``; then no row's vector
is computed at query time. The ``destalin_search`` configuration
(destalin/migrations/0009_search_folding.py) is English with ``unaccent`` before the stemmer
for words with non-ASCII letters. SQLite: every folded word must appear in the folded text
(``fold`` registered as an SQL function), ranked by occurrences, matches marked in Python. Both
return ``Hit`` objects whose ``passage`` is escaped HTML with ``<mark>`` around the matches.

Neither ranks every match: ranking reads each row's text (PostgreSQL computes its tsvector
again), which made a common word 3.5-5x slower beside a million posts (issue 22). Both rank a
bounded candidate set, the ``CANDIDATES`` first matches in the caller's order (for posts, the
most recent), and neither counts every match: a page says "more than N" when more match.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Func, Q, TextField
from django.utils.html import escape
from django.utils.safestring import mark_safe

from destalin.text import fold

SEARCH_CONFIG = "destalin_search"
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


def search(queryset, *, field, query, order, limit=30, vector=None):
    """The rows of ``queryset`` whose ``field`` matches ``query``: of the ``CANDIDATES`` first
    matches in ``order``, the ``limit`` best (ties in ``order``), each with its passage, as
    ``Results`` (``more`` when over ``limit`` rows match). Two queries at most on either
    database, whatever the number of matches. ``vector`` names a column of the queryset's
    table holding ``field``'s vector on PostgreSQL (ignored on SQLite)."""
    query = clean_query(query)
    if not _WORD.search(query):
        return Results(hits=[])
    if connection.vendor == "postgresql":
        hits = _search_postgres(queryset, field, query, order, limit, vector)
    else:
        hits = _search_simple(queryset, field, query, order, limit)
    return Results(hits=hits[:limit], more=len(hits) > limit)


class StoredVector(Expression):
    """A tsvector column of the query's own table that the model does not declare (the
    database keeps it: a generated column)."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _search_postgres(queryset, field, query, order, limit, column):
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    vector = StoredVector(column) if column else SearchVector(field, config=SEARCH_CONFIG)
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


class Fold(Func):
    """``destalin.text.fold`` in SQL, on SQLite, where the connection is given the function."""

    function = "destalin_fold"
    output_field = TextField()


def _search_simple(queryset, field, query, order, limit):
    connection.ensure_connection()
    connection.connection.create_function("destalin_fold", 1, fold, deterministic=True)
    words = [w for w in _WORD.findall(fold(query))][:10]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(searched__contains=word)
    rows = list(
        queryset.annotate(searched=Fold(F(field)))
        .filter(condition)
        .order_by(*order, "pk")[:CANDIDATES]
    )
    pattern = re.compile("|".join(re.escape(w) for w in words))
    # A stable sort: ties keep the caller's order, as on PostgreSQL.
    rows.sort(key=lambda row: -len(pattern.findall(row.searched)))
    return [
        Hit(item=row, passage=_excerpt(getattr(row, field), pattern)) for row in rows[: limit + 1]
    ]


def _excerpt(text, pattern, width=240):
    """The passage around the first match, matches marked. Matching runs on the folded text;
    folding can change lengths ("ß" to "ss"), so the text is folded character by character
    to map each match back to the characters the reader wrote."""
    folded, origin = [], []
    for index, ch in enumerate(text):
        part = fold(ch)
        folded.append(part)
        origin += [index] * len(part)
    spans = [
        (origin[m.start()], origin[m.end() - 1] + 1)
        for m in pattern.finditer("".join(folded))
        if m.end() > m.start()
    ]
    start = max(0, spans[0][0] - width // 3) if spans else 0
    stop = start + width
    pieces, at = [], start
    for begin, end in spans:
        if begin < at or begin >= stop:
            continue
        pieces += [text[at:begin], _START, text[begin : min(end, stop)], _STOP]
        at = min(end, stop)
    pieces.append(text[at:stop])
    prefix = "…" if start else ""
    suffix = "…" if stop < len(text) else ""
    return _marked(prefix + "".join(pieces) + suffix)


def _marked(text):
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))
