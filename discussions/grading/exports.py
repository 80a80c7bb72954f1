"""A prompt's posts for archiving and research: one row per post, as CSV or JSON."""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from destalin.csv_cells import csv_lines
from discussions.grading.models import Grade
from discussions.grading.views import teacher_prompt
from discussions.models import Post, Quote

FIELDS = (
    "id", "parent", "author", "author_role", "created", "modified", "deleted", "hidden", "held",
    "text",
    "word_count", "late", "quoted_passages", "graded_version",
)  # fmt: skip


def post_rows(prompt, user):
    """The prompt's posts in thread order as plain dicts; read in chunks so a long
    discussion streams out without being held in memory."""
    graded = {
        g.student_id: g.graded_versions
        for g in Grade.objects.filter(prompt=prompt).only("student_id", "graded_versions")
    }
    posts = (
        Post.objects.visible_to(user)
        .filter(prompt=prompt)
        .select_related("author")
        .order_by("path")
        .iterator(chunk_size=500)
    )
    batch = []
    for post in posts:
        batch.append(post)
        if len(batch) == 500:
            yield from _rows(batch, graded)
            batch = []
    yield from _rows(batch, graded)


def _rows(posts, graded):
    quotes = {}
    for quote in Quote.objects.filter(post__in=posts).select_related("reading"):
        quotes.setdefault(quote.post_id, []).append(
            f"{quote.reading.title}, ¶ {quote.paragraph_number}: {quote.exact}"
        )
    for post in posts:
        version = graded.get(post.author_id, {}).get(str(post.pk))
        yield {
            "id": post.pk,
            "parent": post.parent_id,
            "author": post.author.display_name,
            "author_role": post.author_role,
            "created": post.created_at.isoformat(),
            "modified": post.edited_at.isoformat() if post.edited_at else None,
            "deleted": post.deleted_at is not None,
            "hidden": post.hidden_at is not None,
            "held": post.held_at is not None,
            "text": post.body,
            "word_count": post.word_count,
            "late": post.is_late,
            "quoted_passages": quotes.get(post.pk, []),
            "graded_version": version,
        }


def _csv_lines(rows):
    yield from csv_lines([FIELDS])
    yield from csv_lines(
        [_text({**row, "quoted_passages": "\n".join(row["quoted_passages"])}[f]) for f in FIELDS]
        for row in rows
    )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@require_GET
def discussion_export(request, course, pk, fmt):
    """Every post of the prompt (deleted ones marked) with the version that was graded."""
    access = teacher_prompt(request, course, pk)
    name = f"{slugify(access.course.code)}-{access.prompt.pk}-posts"
    if fmt == "json":
        response = JsonResponse(
            {"prompt": access.prompt.title, "posts": list(post_rows(access.prompt, request.user))},
            json_dumps_params={"ensure_ascii": False},
        )
    elif fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(post_rows(access.prompt, request.user)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        raise Http404("Posts export as csv or json.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
