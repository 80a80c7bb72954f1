"""The gradebook's rows as HTML, built in Python.

A gradebook of 300 students by 40 prompts has 12,000 cells, and the template engine spent
over a second on them (a URL reversal and a dozen lookups per cell). So the body rows are
assembled here, every value escaped, from one URL pattern reversed once; the page template keeps
everything around them. Keep the markup in step with gradebook.html and site.css.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from destalin.links import url_format
from discussions.grading.scoring import show

MISSING = ' <abbr title="missing" class="marker">M</abbr>'
LATE = ' <abbr title="late" class="marker late">L</abbr>'


def render_rows(rows, *, course, prompts):
    pattern = url_format("grading:grade-student", ["pk", "student"], course=course.slug)
    titles = {p.pk: escape(p.title) for p in prompts}
    return mark_safe("".join(_row(row, pattern, titles) for row in rows))


def _row(row, pattern, titles):
    name = escape(row.student.display_name)
    if row.is_removed:
        opening, name_cell = '<tr class="row--muted">', f"{name} (removed)"
    else:
        opening, name_cell = "<tr>", name
    # Removed students are shown, not graded: the grader lists the current class.
    link = None if row.is_removed else pattern
    cells = "".join(_cell(cell, name, row.student.pk, link, titles) for cell in row.cells)
    return (
        f'{opening}<th scope="row">{name_cell}</th>{cells}'
        f"<td>{show(row.earned)} / {show(row.possible)}</td></tr>"
    )


def _cell(cell, name, student_id, pattern, titles):
    grade = cell.grade
    if grade is not None and grade.is_excused:
        text, said = "EX", "excused"
    elif grade is not None and grade.score is not None:
        text = said = show(grade.score)
    else:
        text, said = "—", "not graded"
    missing, late = cell.is_missing, cell.is_late
    said += (", missing" if missing else "") + (", late" if late else "")
    label = f"{name}, {titles[cell.prompt.pk]}: {said}"
    markers = (MISSING if missing else "") + (LATE if late else "")
    if pattern is None:
        return f'<td><span aria-label="{label}">{text}</span>{markers}</td>'
    url = pattern.format(cell.prompt.pk, student_id)
    return f'<td><a href="{url}" aria-label="{label}">{text}</a>{markers}</td>'
