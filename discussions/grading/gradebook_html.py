"""The gradebook's rows as HTML, built in Python.

A gradebook of 300 students by 40 prompts has 12,000 cells, and the template engine spent
over a second on them (a URL reversal and a dozen lookups per cell). So the body rows are
assembled here, every value escaped, from one URL pattern reversed once; the page template keeps
everything around them. Keep the markup in step with gradebook.html and site.css.

A layer above grading may add a note to a cell (the learning platform's send status, from
``destalin/courses/templatetags/gradebook_cells.py``): grading shows it and knows nothing else
of it.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from destalin.links import url_format
from destalin.text import strip_bidi_controls
from discussions.grading.scoring import show

MISSING = ' <abbr title="missing" class="marker">M</abbr>'
LATE = ' <abbr title="late" class="marker late">L</abbr>'


@dataclass(frozen=True)
class CellNote:
    """A note on one cell: ``mark``, a character or two shown after the score, and ``said``,
    the words for it (read with the cell's label, and the mark's title). Plain text."""

    mark: str
    said: str


def render_rows(rows, *, course, prompts, notes=None):
    """The rows' HTML; ``notes`` maps ``(prompt_id, student_id)`` to a ``CellNote``."""
    pattern = url_format("grading:grade-student", ["pk", "student"], course=course.slug)
    titles = {p.pk: escape(strip_bidi_controls(p.title)) for p in prompts}
    notes = notes or {}
    return mark_safe("".join(_row(row, pattern, titles, notes) for row in rows))


def _row(row, pattern, titles, notes):
    name = escape(row.student.display_name)
    # An attribute cannot hold <bdi>: the cells' labels say the name without bidi controls.
    label_name = escape(strip_bidi_controls(row.student.display_name))
    if row.is_removed:
        opening, name_cell = '<tr class="row--muted">', f"<bdi>{name}</bdi> (removed)"
    else:
        opening, name_cell = "<tr>", f"<bdi>{name}</bdi>"
    # Removed students are shown, not graded: the grader lists the current class.
    link = None if row.is_removed else pattern
    cells = "".join(
        _cell(cell, label_name, row.student.pk, link, titles, notes) for cell in row.cells
    )
    return f'{opening}<th scope="row">{name_cell}</th>{cells}{_totals(row.totals)}</tr>'


def _totals(totals):
    """The total and its percentage; when grades are withheld, what the student sees too."""
    shown = f"<td>{totals.all}"
    if totals.differs:
        shown += (
            f'<br><span class="hint">student sees {totals.posted}{_percent(totals.posted)}</span>'
        )
    return f"{shown}</td><td>{_percent(totals.all, bare=True)}</td>"


def _percent(total, bare=False):
    percent = total.current_percent
    if percent is None:
        return "—" if bare else ""
    return f"{show(percent)}%" if bare else f" ({show(percent)}%)"


def _cell(cell, name, student_id, pattern, titles, notes):
    grade = cell.grade
    if grade is not None and grade.is_excused:
        text, said = "EX", "excused"
    elif grade is not None and grade.score is not None:
        text = said = show(grade.score)
    else:
        text, said = "—", "not graded"
    missing, late = cell.is_missing, cell.is_late
    said += (", missing" if missing else "") + (", late" if late else "")
    markers = (MISSING if missing else "") + (LATE if late else "")
    note = notes.get((cell.prompt.pk, student_id))
    if note is not None:
        words = escape(strip_bidi_controls(note.said))
        said += f", {words}"
        markers += f' <abbr title="{words}" class="marker">{escape(note.mark)}</abbr>'
    label = f"{name}, {titles[cell.prompt.pk]}: {said}"
    if pattern is None:
        return f'<td><span aria-label="{label}">{text}</span>{markers}</td>'
    url = pattern.format(cell.prompt.pk, student_id)
    return f'<td><a href="{url}" aria-label="{label}">{text}</a>{markers}</td>'
