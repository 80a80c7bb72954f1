"""What the layers above grading know of each gradebook cell: for a course placed in a
learning platform, where each released score stands with the platform (sent, waiting, not
sent and why). Grading builds the rows (``gradebook_html.render_rows``) and shows the notes
given to it; it may not read the platform's records, which live above it (``destalin.lti``),
so the gradebook's template asks for its rows here."""

from dataclasses import dataclass

from django import template

from destalin.lti import selectors as lti_selectors
from destalin.lti.models import ScoreSendStatus
from discussions.grading.gradebook_html import CellNote, render_rows

register = template.Library()

# A score's state with the platform -> (mark, words); the words of a failure end with the
# platform's answer.
_NOTES = {
    ScoreSendStatus.SENT: ("✓", "sent to the learning platform"),
    ScoreSendStatus.WAITING: ("…", "waiting to be sent to the learning platform"),
    ScoreSendStatus.FAILED: ("!", "not sent to the learning platform"),
    lti_selectors.UNKNOWN: ("?", "not sent: the learning platform has not listed this student"),
}


@dataclass(frozen=True)
class Body:
    html: str
    has_notes: bool


def _note(state):
    mark, said = _NOTES[state.status]
    if state.error:
        said = f"{said} ({state.error[:200]})"
    return CellNote(mark=mark, said=said)


@register.simple_tag
def gradebook_body(rows, *, course, prompts):
    """The gradebook's body rows (``Body.html``) with each cell's platform note; one query
    for a course not in a platform, four for one that is, whatever the rows."""
    states = lti_selectors.score_states(course, [row.student.pk for row in rows])
    notes = {key: _note(state) for key, state in states.items()}
    return Body(
        html=render_rows(rows, course=course, prompts=prompts, notes=notes),
        has_notes=bool(notes),
    )
