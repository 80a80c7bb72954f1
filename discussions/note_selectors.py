"""Reads of the notes in a reading's margin: how many notes and questions the viewer may read
on each paragraph, and the notes on one paragraph with their replies. Who reads a note is
the one rule every post follows (``Post.objects.visible_to``)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from destalin.selectors import students_of
from discussions.models import NoteTarget, Post, Prompt, PromptKind, Visibility
from readings import anchors


@dataclass(frozen=True)
class ParagraphNotes:
    """Notes on one paragraph the viewer may read: ``notes`` and, of those, ``questions``."""

    notes: int
    questions: int


def find_margin(*, course, reading):
    """The course's margin prompt for the reading, or None before its first note."""
    return (
        Prompt.objects.filter(course=course, reading=reading, kind=PromptKind.ANNOTATION)
        .order_by()
        .first()
    )


def _visible_targets(*, course, reading, user):
    notes = Post.objects.visible_to(user).filter(
        prompt__course=course,
        prompt__reading=reading,
        prompt__kind=PromptKind.ANNOTATION,
        depth=0,
        deleted_at__isnull=True,
    )
    return NoteTarget.objects.filter(post__in=notes)


def note_counts(*, course, reading, user):
    """``{paragraph number: ParagraphNotes}`` for the paragraphs where the notes the viewer
    may read in the course's margin of ``reading`` are now (a note follows its words when the
    reading changes). One query, and one more when there are notes. Notes on the same words
    are counted together by the database, so the work here grows with the passages noted,
    not with the notes (``make bench``: 2,000 notes on a reading)."""
    rows = list(
        _visible_targets(course=course, reading=reading, user=user)
        .order_by()
        .values("block_key", "exact", "prefix", "suffix", "start", "end")
        .annotate(notes=Count("id"), questions=Count("id", filter=Q(post__is_question=True)))
    )
    if not rows:
        return {}
    blocks, numbers = _blocks(reading)
    counts = {}
    for row in rows:
        number = numbers.get(_where(row, blocks))
        if number is None:
            continue
        notes, questions = counts.get(number, (0, 0))
        counts[number] = (notes + row["notes"], questions + row["questions"])
    return {number: ParagraphNotes(*pair) for number, pair in counts.items()}


def _located(target, blocks):
    found = anchors.locate(target.passage, blocks)
    return found.block if found.is_found else None


def _blocks(reading):
    """The reading's blocks now: key to text (what passages are located in), and key to the
    block's "¶ n". One query."""
    rows = list(reading.paragraphs.order_by("number").values_list("key", "number", "text"))
    return {key: text for key, _, text in rows}, {key: number for key, number, _ in rows}


def _where(row, blocks):
    """The key of the block a stored passage (a dict of its anchor's fields) is in now, or
    None when its words changed or are gone (``readings.anchors.locate``)."""
    found = anchors.locate(
        anchors.Passage(
            block=row["block_key"],
            exact=row["exact"],
            prefix=row["prefix"],
            suffix=row["suffix"],
            start=row["start"],
            end=row["end"],
        ),
        blocks,
    )
    return found.block if found.is_found else None


def notes_on_paragraph(*, course, reading, number, user):
    """The notes the viewer may read on paragraph ``number``, oldest first, each with
    ``target`` and ``thread`` (its replies the viewer may read, in reading order). Three
    queries."""
    targets = list(
        _visible_targets(course=course, reading=reading, user=user).select_related("post__author")
    )
    blocks, numbers = _blocks(reading)
    notes = sorted(
        (t.post for t in targets if numbers.get(_located(t, blocks)) == number),
        key=lambda post: post.created_at,
    )
    replies = (
        Post.objects.visible_to(user)
        .filter(root__in=[note.pk for note in notes])
        .select_related("author")
        .order_by("path")
    )
    by_root = {}
    for reply in replies:
        by_root.setdefault(reply.root_id, []).append(reply)
    for note in notes:
        note.thread = by_root.get(note.pk, [])
    return notes


@dataclass(frozen=True)
class MarginOverview:
    """What the margin of a reading holds, for one viewer: per paragraph with notes, its
    number, opening words and ``ParagraphNotes`` (``paragraphs``, in reading order); the
    paragraphs with the most questions, most first (``most_questions``, at most ``TOP``:
    Perusall's confusion report, each entry a passage to open); and, for teachers, the
    course's students with no note yet (``not_annotated``, by name; None for students)."""

    paragraphs: list
    most_questions: list
    not_annotated: list | None


TOP = 5


def margin_overview(*, course, reading, user, teaching):
    """The ``MarginOverview`` of ``reading`` in ``course`` as ``user`` may see it (counts
    only of notes they may read). Four queries for teachers, three for students."""
    counts = note_counts(course=course, reading=reading, user=user)
    texts = dict(reading.paragraphs.values_list("number", "text"))
    paragraphs = [(number, texts.get(number, ""), counts[number]) for number in sorted(counts)]
    asked = sorted(
        (row for row in paragraphs if row[2].questions),
        key=lambda row: (-row[2].questions, row[0]),
    )[:TOP]
    not_annotated = None
    if teaching:
        annotated = set(
            Post.objects.filter(
                prompt__course=course,
                prompt__reading=reading,
                prompt__kind=PromptKind.ANNOTATION,
                depth=0,
                deleted_at__isnull=True,
                # As grading counts notes (services.count_participation): not private,
                # held or hidden.
                hidden_at__isnull=True,
                held_at__isnull=True,
            )
            .exclude(visibility=Visibility.PRIVATE)
            .values_list("author_id", flat=True)
        )
        not_annotated = [s for s in students_of(course) if s.pk not in annotated]
    return MarginOverview(paragraphs, asked, not_annotated)
