"""Writes of notes in a reading's margin: the course's margin for a reading (an annotation
prompt, made on first use) and a note on words of one paragraph. A note is a post in every
other way: ``post_services`` publishes, edits and deletes it under the same rules."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from discussions import permissions, post_services, services
from discussions.models import NoteTarget, Participation, Prompt, PromptKind, RevealMode
from readings import anchors

MAX_PASSAGE = 2000  # characters: a note is about words, not a chapter


def margin_prompt(*, course, reading):
    """The course's margin for ``reading``: the annotation prompt its notes belong to, made
    published, open to all, ungraded and untitled by a person on first use. Instructors may
    then make it an annotation assignment (points, due date, requirements) like any prompt."""
    found = Prompt.objects.filter(course=course, reading=reading, kind=PromptKind.ANNOTATION)
    prompt = found.first()
    if prompt is not None:
        return prompt
    try:
        with transaction.atomic():
            return Prompt.objects.create(
                course=course,
                reading=reading,
                kind=PromptKind.ANNOTATION,
                title=f"Notes on {reading.title}"[:300],
                body="",
                is_published=True,
                reveal_mode=RevealMode.OPEN,
            )
    except IntegrityError:
        # Two first notes at once: the other made it (one margin per course and reading).
        return found.get()


@transaction.atomic
def post_note(*, course, author, role, paragraph, exact, body, visibility, is_question=False):
    """Publish a note about ``exact`` (words of ``paragraph``, or the whole paragraph when
    empty) in the course's margin for the paragraph's reading, with its target anchored as
    quotes are (``readings.anchors``: block key, TextQuoteSelector, TextPositionSelector) and
    the paragraph's number. Raises
    ``ValidationError`` (code ``passage``) when the words are not in the paragraph,
    ``PermissionDenied`` when the margin takes no notes from ``author`` (``why_posting_is_
    closed``), and whatever ``post_reply`` raises; nothing is saved then, not even a new
    margin."""
    exact = " ".join(exact.split())[:MAX_PASSAGE]
    text = paragraph.text
    if not exact:
        exact = text
    elif exact not in text:
        raise ValidationError(
            "Those words are not in this paragraph. Copy them from the paragraph shown, or "
            "leave the box empty to write about the whole paragraph.",
            code="passage",
        )
    prompt = margin_prompt(course=course, reading=paragraph.reading)
    # The margin's own rules (an archived course, a cut-off), even for its first note.
    participation = Participation.objects.filter(prompt=prompt, user=author).first()
    closed = permissions.why_posting_is_closed(role, prompt, timezone.now(), participation)
    if closed:
        raise PermissionDenied(closed)
    post = post_services.post_reply(
        prompt=prompt,
        author=author,
        role=role,
        body=body,
        visibility=visibility,
        is_question=is_question,
    )
    NoteTarget.of_passage(
        anchors.describe(paragraph.key, text, exact),
        post=post,
        reading_id=paragraph.reading_id,
        paragraph_number=paragraph.number,
    ).save()
    if post.prompt.required_sections:
        # Counted again now that the note has its place: sections count only placed notes.
        services.recompute_participation(prompt=post.prompt, user=author)
    return post
