"""Writes to readings, assignments and progress; each is one transaction."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from destalin.text import has_visible_character
from readings.models import (
    Assignment,
    Kind,
    Paragraph,
    Progress,
    Reading,
    ReadingVersion,
    Section,
    SectionVersion,
)
from readings.rendering import count_words, render_sections

RETIRED_TEXT_CHARS = 300  # enough of a removed block's words to recognise it


@transaction.atomic
def render_reading(*, reading, user=None, note="", before=None):
    """Render the reading's sections as its new current version: blocks keep their keys
    across the edit (``readings.anchors``), the numbered paragraphs are rebuilt, blocks that
    are gone are remembered (so an old link to one says so), and the version is kept.
    ``before``: the blocks as ``blocks_now`` read them before the sections changed, when a
    deleted section has taken its paragraphs with it; else they are read here."""
    before = blocks_now(reading) if before is None else before
    return _render(reading=reading, before=before, user=user, note=note)


def blocks_now(reading):
    """The reading's current blocks as ``(key, number, text)``, in order."""
    return list(reading.paragraphs.order_by("number").values_list("key", "number", "text"))


def _render(*, reading, before, user, note):
    """Render the sections; ``before`` are the ``(key, number, text)`` blocks of the version
    they replace."""
    sections = list(reading.sections.order_by("position"))
    rendered = render_sections(
        [(s.title, s.body) for s in sections],
        previous=[(key, text) for key, _, text in before],
        last_key=reading.last_block_key,
    )
    reading.paragraphs.all().delete()
    paragraphs = []
    for section, result in zip(sections, rendered.sections, strict=True):
        section.body_html = result.html
        section.first_paragraph = result.first_paragraph
        paragraphs += [
            Paragraph(
                reading=reading,
                section=section,
                number=block.number,
                key=block.key,
                kind=block.kind,
                text=block.text,
            )
            for block in result.blocks
        ]
    Section.objects.bulk_update(sections, ["body_html", "first_paragraph"])
    Paragraph.objects.bulk_create(paragraphs)
    kept = {block.key for block in rendered.blocks}
    reading.retired_blocks = [
        *reading.retired_blocks,
        *(
            {"key": key, "number": number, "text": text[:RETIRED_TEXT_CHARS]}
            for key, number, text in before
            if key not in kept
        ),
    ]
    reading.last_block_key = rendered.last_key
    reading.word_count = count_words(rendered.sections)
    reading.updated_at = timezone.now()
    reading.save(update_fields=["retired_blocks", "last_block_key", "word_count", "updated_at"])
    _record_version(reading=reading, sections=sections, user=user, note=note)
    return reading


def _record_version(*, reading, sections, user, note):
    last = reading.versions.aggregate(last=Max("number"))["last"] or 0
    version = ReadingVersion.objects.create(
        reading=reading,
        number=last + 1,
        created_by=user,
        note=note,
        block_keys=list(reading.paragraphs.order_by("number").values_list("key", flat=True)),
    )
    SectionVersion.objects.bulk_create(
        SectionVersion(version=version, position=s.position, title=s.title, body=s.body)
        for s in sections
    )
    return version


@transaction.atomic
def keep_history(*, reading):
    """Record the reading as it is now as its first version, if it has none (a reading
    loaded from a fixture, or saved before versions were kept), so the next edit keeps it."""
    if reading.versions.exists():
        return
    sections = list(reading.sections.order_by("position"))
    _record_version(reading=reading, sections=sections, user=None, note="")


@transaction.atomic
def edit_reading(*, reading, sections, user, note=""):
    """Replace the reading's text with ``sections`` (``(title, body)`` pairs in order) as a
    new version; the version before is kept. Raises ValidationError when no section has text."""
    sections = [
        (unicodedata.normalize("NFC", title.strip()), unicodedata.normalize("NFC", body))
        for title, body in sections
    ]
    if not any(has_visible_character(body) for _, body in sections):
        raise ValidationError("A reading needs some text.", code="empty")
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    keep_history(reading=reading)
    # Read before the old sections go: deleting them deletes their paragraphs.
    before = blocks_now(reading)
    reading.sections.all().delete()
    Section.objects.bulk_create(
        Section(reading=reading, position=n, title=title, body=body)
        for n, (title, body) in enumerate(sections, start=1)
    )
    return _render(reading=reading, before=before, user=user, note=note)


@transaction.atomic
def create_reading(*, source, title=None, author=None, kind=None, course=None, due_at=None):
    """A new reading from a parsed source; the arguments override its front matter. Assigned
    to ``course`` when given."""
    meta = dict(source.meta)
    title = unicodedata.normalize("NFC", (title or meta.get("title") or "").strip())
    if not has_visible_character(title):
        raise ValidationError("A reading needs a title.", code="title")
    kind = kind or meta.get("kind") or Kind.ARTICLE
    if kind not in Kind.values:
        raise ValidationError(
            f"Unknown kind {kind!r}; use one of: {', '.join(Kind.values)}.", code="kind"
        )
    slug = meta.get("slug") or slugify(title)[:80] or "reading"
    if Reading.objects.filter(slug=slug).exists():
        raise ValidationError(f"A reading with the slug {slug!r} already exists.", code="slug")
    reading = Reading(
        slug=slug,
        title=title,
        author=(author or meta.get("author") or "unknown").strip(),
        source=meta.get("source", ""),
        source_url=meta.get("source_url", ""),
        kind=kind,
        is_excerpt=meta.get("is_excerpt", "").lower() in {"1", "true", "yes"},
        excerpt_note=meta.get("excerpt_note", ""),
        citation=meta.get("citation", ""),
    )
    reading.full_clean()
    reading.save()
    Section.objects.bulk_create(
        Section(reading=reading, position=n, title=title, body=body)
        for n, (title, body) in enumerate(source.sections, start=1)
    )
    render_reading(reading=reading)
    if course is not None:
        assign_reading(course=course, reading=reading, due_at=due_at)
    return reading


@transaction.atomic
def assign_reading(*, course, reading, due_at=None, instructions=""):
    """Put a reading at the end of the course's syllabus."""
    if Assignment.objects.filter(course=course, reading=reading).exists():
        raise ValidationError(f"{reading} is already assigned in {course.code}.", code="assigned")
    last = Assignment.objects.filter(course=course).aggregate(last=Max("position"))["last"]
    return Assignment.objects.create(
        course=course,
        reading=reading,
        position=(last or 0) + 1,
        due_at=due_at,
        instructions=instructions,
    )


@transaction.atomic
def unassign_reading(*, assignment):
    """Take a reading off the syllabus; progress records stay with the person."""
    course, position = assignment.course, assignment.position
    assignment.delete()
    Assignment.objects.filter(course=course, position__gt=position).update(
        position=F("position") - 1
    )


@transaction.atomic
def move_assignment(*, assignment, offset):
    """Move a reading up (-1) or down (+1) the syllabus by swapping with its neighbour."""
    syllabus = list(
        Assignment.objects.select_for_update()
        .filter(course=assignment.course)
        .order_by("position", "id")
    )
    index = next(i for i, a in enumerate(syllabus) if a.pk == assignment.pk)
    target = index + offset
    if not 0 <= target < len(syllabus):
        return
    syllabus[index], syllabus[target] = syllabus[target], syllabus[index]
    for position, item in enumerate(syllabus, start=1):
        item.position = position
    Assignment.objects.bulk_update(syllabus, ["position"])


def record_opened(*, user, reading):
    """Note the first time someone opens a reading (later visits change nothing); return
    their progress."""
    return Progress.objects.get_or_create(user=user, reading=reading)[0]


def set_read(*, user, reading, is_read):
    """Mark a reading as read, or undo it."""
    progress, _ = Progress.objects.get_or_create(user=user, reading=reading)
    progress.read_at = timezone.now() if is_read else None
    progress.save(update_fields=["read_at"])
    return progress
