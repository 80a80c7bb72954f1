"""The notes of a reading's margin as files: W3C Web Annotation JSON-LD and CSV.

The JSON-LD follows the W3C Web Annotation Data Model (Recommendation, 23 February 2017,
https://www.w3.org/TR/annotation-model/): an ``AnnotationCollection`` whose one
``AnnotationPage`` holds an ``Annotation`` per note and per reply. A note's ``target`` is the
reading (``source``) with two selectors of the same words: a ``TextQuoteSelector`` (exact,
prefix, suffix) and a ``FragmentSelector`` for the paragraph (``p-<key>``, its HTML fragment
identifier, which survives edits) refined by a ``TextPositionSelector`` (offsets in the
paragraph's text). A reply
is an annotation whose target is the annotation it answers, with the motivation ``replying``;
a question's motivation is ``questioning``, a note's ``commenting``. Only what the exporting
teacher may read is exported (private notes never are)."""

from django.urls import reverse

from destalin import times
from destalin.mail import site_url
from discussions.models import Post, PromptKind
from readings import anchors

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
HTML_FRAGMENTS = "http://tools.ietf.org/rfc/rfc3236"


def margin_posts(*, course, reading, user):
    """The notes and replies of the course's margin of ``reading`` that ``user`` may read,
    deleted ones left out, in thread order, with their target and author. One query."""
    return list(
        Post.objects.visible_to(user)
        .filter(
            prompt__course=course,
            prompt__reading=reading,
            prompt__kind=PromptKind.ANNOTATION,
            deleted_at__isnull=True,
        )
        .select_related("author", "target", "parent")
        .order_by("path")
    )


def _iri(course, post):
    return site_url(reverse("discussions:post", kwargs={"course": course.slug, "pk": post.pk}))


def annotation(post, *, course, source):
    """One post of a margin as a W3C ``Annotation`` (a dict ready for JSON)."""
    motivation = (
        "replying" if post.parent_id else ("questioning" if post.is_question else "commenting")
    )
    item = {
        "id": _iri(course, post),
        "type": "Annotation",
        "motivation": motivation,
        "created": times.iso(post.created_at, course),
        "creator": {"type": "Person", "name": post.author.display_name},
        "body": {
            "type": "TextualBody",
            "value": post.body,
            "format": "text/markdown",
            "purpose": motivation,
        },
    }
    if post.edited_at:
        item["modified"] = times.iso(post.edited_at, course)
    if post.parent_id:
        item["target"] = _iri(course, post.parent)
        return item
    target = post.target
    item["target"] = {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": target.exact,
                "prefix": target.prefix,
                "suffix": target.suffix,
            },
            {
                "type": "FragmentSelector",
                "conformsTo": HTML_FRAGMENTS,
                "value": anchors.anchor(target.block_key),
                "refinedBy": {
                    "type": "TextPositionSelector",
                    "start": target.start,
                    "end": target.end,
                },
            },
        ],
    }
    return item


def collection(*, course, reading, user):
    """The margin as an ``AnnotationCollection`` with one ``AnnotationPage``."""
    source = site_url(
        reverse("reading-detail", kwargs={"course": course.slug, "reading": reading.slug})
    )
    items = [
        annotation(post, course=course, source=source)
        for post in margin_posts(course=course, reading=reading, user=user)
    ]
    return {
        "@context": CONTEXT,
        "id": site_url(
            reverse(
                "discussions:margin-export",
                kwargs={"course": course.slug, "reading": reading.slug, "fmt": "jsonld"},
            )
        ),
        "type": "AnnotationCollection",
        "label": f"Notes on {reading.title}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


CSV_HEADER = [
    "id", "reply to", "author", "created", "paragraph", "words noted", "question",
    "who can read", "note",
]  # fmt: skip


def csv_rows(*, course, reading, user):
    """The header, then a row per note or reply, times in the course's zone (ISO 8601)."""
    yield CSV_HEADER
    for post in margin_posts(course=course, reading=reading, user=user):
        target = None if post.parent_id else post.target
        yield [
            post.pk,
            post.parent_id or "",
            post.author.display_name,
            times.iso(post.created_at, course),
            target.paragraph_number if target else "",
            target.exact if target else "",
            "yes" if post.is_question else "",
            post.get_visibility_display(),
            post.body,
        ]
