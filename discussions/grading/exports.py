"""A prompt's posts for archiving and research: every version of each post, the graded one
marked, and the passages they quote as fields; as JSON (a record per post) or CSV (a row per
version)."""

from django.db.models import Count, Max
from django.http import Http404, JsonResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from destalin import times
from destalin.csv_cells import csv_lines, csv_response, wants_bom
from discussions.grading.models import Grade
from discussions.grading.views import teacher_prompt
from discussions.models import Post, PostRevision, Quote
from readings import anchors

FIELDS = (
    "id", "parent", "author", "author_role", "created", "modified", "deleted", "hidden", "held",
    "text", "word_count", "late",
)  # fmt: skip
# The CSV has a row per version of each post: the post's fields, then the version's.
VERSION_FIELDS = ("version", "versions", "written", "replaced", "is_current", "is_graded")
QUOTE_FIELDS = ("reading", "block", "words")
BATCH = 500


def post_rows(prompt, user):
    """The prompt's posts in thread order as plain dicts; read in chunks so a long
    discussion streams out without being held in memory. Times are ISO 8601 with the offset of
    the course's time zone (``destalin.times.iso``).

    Each post carries ``versions``, oldest first, numbered from 1: every text it has had
    (``PostRevision`` rows, then the current text) with when it was written and replaced;
    ``graded_version`` is the version its author's grade was given on, with its text (None if
    ungraded); ``quoted_passages`` are the passages of readings its current text quotes, as
    fields: the reading's title and slug, the block (the paragraph's anchor, ``p-N``: stable
    block ids are not on main yet), the quoted words and the words around them. Two queries
    per 500 posts, plus one for the grades."""
    course = prompt.course
    graded = {
        g.student_id: g.graded_versions
        for g in Grade.objects.filter(prompt=prompt).only("student_id", "graded_versions")
    }
    posts = (
        Post.objects.visible_to(user)
        .filter(prompt=prompt)
        .select_related("author")
        .order_by("path")
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for post in posts:
        batch.append(post)
        if len(batch) == BATCH:
            yield from _rows(batch, graded, course)
            batch = []
    yield from _rows(batch, graded, course)


def _rows(posts, graded, course):
    quotes, revisions = {}, {}
    for quote in Quote.objects.filter(post__in=posts).select_related("reading").order_by("id"):
        quotes.setdefault(quote.post_id, []).append(
            {
                "reading": quote.reading.title,
                "reading_slug": quote.reading.slug,
                # The block's anchor, which survives edits (readings.anchors), and the "¶ n"
                # it had when quoted.
                "block": anchors.anchor(quote.block_key),
                "paragraph": quote.paragraph_number,
                "words": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
            }
        )
    for revision in PostRevision.objects.filter(post__in=posts).order_by(
        "post", "created_at", "id"
    ):
        revisions.setdefault(revision.post_id, []).append(revision)
    for post in posts:
        versions = [
            {"version": n, "written": times.iso(r.created_at, course),
             "replaced": times.iso(r.replaced_at, course), "text": r.body}
            for n, r in enumerate(revisions.get(post.pk, []), start=1)
        ]  # fmt: skip
        versions.append(
            {
                "version": len(versions) + 1,
                "written": times.iso(post.edited_at or post.created_at, course),
                "replaced": None,
                "text": post.body,
            }
        )
        earlier = graded.get(post.author_id, {}).get(str(post.pk))
        graded_version = (
            versions[earlier] if earlier is not None and earlier < len(versions) else None
        )
        yield {
            "id": post.pk,
            "parent": post.parent_id,
            "author": post.author.display_name,
            "author_role": post.author_role,
            "created": times.iso(post.created_at, course),
            "modified": times.iso(post.edited_at, course),
            "deleted": post.deleted_at is not None,
            "hidden": post.hidden_at is not None,
            "held": post.held_at is not None,
            "text": post.body,
            "word_count": post.word_count,
            "late": post.is_late,
            "versions": versions,
            "graded_version": graded_version,
            "quoted_passages": quotes.get(post.pk, []),
        }


def _csv_lines(rows, quote_columns):
    quote_header = [
        f"quote_{n}_{field}" for n in range(1, quote_columns + 1) for field in QUOTE_FIELDS
    ]
    yield from csv_lines([[*FIELDS, *VERSION_FIELDS, *quote_header]])
    yield from csv_lines(_version_rows(rows, quote_columns))


def _version_rows(rows, quote_columns):
    """A row per version of each post: its fields with that version's text (``word_count``
    stays the current text's), and the quotes (recorded for the current text) on the current
    version's row."""
    width = len(QUOTE_FIELDS) * quote_columns
    for row in rows:
        graded = row["graded_version"]["version"] if row["graded_version"] else None
        current = row["versions"][-1]["version"]
        for version in row["versions"]:
            post = [_text(version["text"] if f == "text" else row[f]) for f in FIELDS]
            about = [
                version["version"],
                len(row["versions"]),
                version["written"],
                _text(version["replaced"]),
                _text(version["version"] == current),
                _text(version["version"] == graded),
            ]
            quotes = row["quoted_passages"] if version["version"] == current else []
            cells = [quote[field] for quote in quotes for field in QUOTE_FIELDS]
            yield post + about + cells + [""] * (width - len(cells))


def _most_quotes(prompt):
    """The most passages one post of the prompt quotes: how many quote columns the CSV has."""
    counts = Quote.objects.filter(post__prompt=prompt).values("post").annotate(n=Count("id"))
    return counts.aggregate(most=Max("n"))["most"] or 0


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@require_GET
def discussion_export(request, course, pk, fmt):
    """Every post of the prompt (deleted ones marked), every version of it with the graded one
    marked, and the passages it quotes."""
    access = teacher_prompt(request, course, pk)
    name = f"{slugify(access.course.code)}-{access.prompt.pk}-posts"
    if fmt == "json":
        response = JsonResponse(
            {"prompt": access.prompt.title, "posts": list(post_rows(access.prompt, request.user))},
            json_dumps_params={"ensure_ascii": False},
        )
    elif fmt == "csv":
        return csv_response(
            _csv_lines(post_rows(access.prompt, request.user), _most_quotes(access.prompt)),
            filename=f"{name}.csv",
            bom=wants_bom(request),
        )
    else:
        raise Http404("Posts export as csv or json.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
