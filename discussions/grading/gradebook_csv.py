"""The gradebook as CSV files other gradebooks read, written row by row for a streamed download:
Canvas's layout (``gradebook_lines``) and a plain one for Moodle's CSV grade import
(``moodle_lines``). Pure logic on plain data; callers do the queries. Reading files back is
``gradebook_reading``; the shapes both share are here."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from destalin.csv_cells import Echo, neutralise
from discussions.grading import scoring

STUDENT, ID, SIS_LOGIN_ID = "Student", "ID", "SIS Login ID"
IDENTITY = (STUDENT, ID, "SIS User ID", SIS_LOGIN_ID, "Section")
# Canvas's order and meaning (lib/gradebook_exporter.rb, BUFFER_COLUMN_DEFINITIONS): the
# "Current"/"Final" scores count posted (released) grades only; the "Unposted" scores and the
# points count every grade.
TOTALS = (
    "Current Points",
    "Final Points",
    "Current Score",
    "Unposted Current Score",
    "Final Score",
    "Unposted Final Score",
)
MANUAL_POSTING = "Manual Posting"
# Canvas indents this label; importers that match it exactly expect the spaces.
POINTS_POSSIBLE = "    Points Possible"
READ_ONLY = "(read only)"
EXCUSED = "EX"
# The profile fields Moodle's own export writes (grade/export/txt), so its CSV import offers
# "Email address" to map users by (grade/import/csv/classes/load_data.php, "useremail").
MOODLE_IDENTITY = ("First name", "Last name", "Email address")

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    """One graded prompt."""

    prompt_id: int
    title: str
    points_possible: Decimal
    is_unreleased: bool  # grades not yet released to students
    # A draft prompt's column is written, but it counts in no total: students cannot see it
    # (the gradebook page and the student's grades page leave it out alike).
    counts_in_total: bool = True

    @property
    def header(self):
        return f"{self.title} ({self.prompt_id})"


@dataclass(frozen=True)
class Cell:
    score: Decimal | None  # None: no grade
    is_excused: bool = False
    is_missing: bool = False  # past due with no post and no grade: counts as 0 in the totals
    is_hidden: bool = False  # a grade its student cannot see yet (not released)


@dataclass(frozen=True)
class StudentRow:
    sortable_name: str  # "Last, First"
    user_id: int
    sis_user_id: str
    sis_login_id: str
    section: str
    cells: tuple[Cell, ...]  # one per column, in the columns' order


def gradebook_lines(*, columns: Sequence[Column], students: Iterable[StudentRow]) -> Iterator[str]:
    """Yield the gradebook CSV line by line ("\\r\\n" endings) for a StreamingHttpResponse, laid
    out as Canvas's gradebook exporter writes it (instructure/canvas-lms,
    lib/gradebook_exporter.rb): the header; when a prompt's grades are not released, Canvas's
    hidden-grades row, its Student cell empty and "Manual Posting" under each such prompt;
    the "Points Possible" row; a row per student.

    ``students`` is iterated once, lazily, and written in the order given: pass it sorted by
    sortable name, as Canvas does. Totals (``TOTALS``) mean what Canvas means: the "Current"
    and "Final" scores count the grades the student can see, a hidden one (``Cell.is_hidden``,
    not released) as if not yet graded, so they are the student's own total; the "Unposted"
    scores count every grade, and so do the points (Canvas computes them with
    ``ignore_muted: false``; lib/grade_calculator.rb reads that as "unposted"). Excused
    prompts count neither way; a score over no points possible is left empty."""
    writer = csv.writer(Echo())

    def line(cells):
        return writer.writerow([neutralise(cell) for cell in cells])

    yield line([*IDENTITY, *(column.header for column in columns), *TOTALS])
    if any(column.is_unreleased for column in columns):
        yield line(
            [""] * len(IDENTITY)
            + [MANUAL_POSTING if column.is_unreleased else "" for column in columns]
            + [""] * len(TOTALS)
        )
    yield line(
        [POINTS_POSSIBLE, "", "", "", ""]
        + [_two_places(column.points_possible) for column in columns]
        + [READ_ONLY] * len(TOTALS)
    )
    for student in students:
        if len(student.cells) != len(columns):
            raise ValueError(f"Student {student.user_id} has {len(student.cells)} cells.")
        yield line(
            [student.sortable_name, str(student.user_id), student.sis_user_id]
            + [student.sis_login_id, student.section]
            + [_cell_text(cell) for cell in student.cells]
            + _totals(columns, student.cells)
        )


def _totals(columns, cells):
    counted = [
        (column, cell)
        for column, cell in zip(columns, cells, strict=True)
        if column.counts_in_total
    ]
    every = scoring.total(
        (cell.score, column.points_possible, cell.is_excused, cell.is_missing)
        for column, cell in counted
    )
    # What the student sees (selectors.own_grades): a hidden grade is not there at all.
    released = scoring.total(
        (None, column.points_possible, False, False)
        if cell.is_hidden
        else (cell.score, column.points_possible, cell.is_excused, cell.is_missing)
        for column, cell in counted
    )
    # Canvas's exporter takes the points from a GradeCalculator run with ignore_muted: false,
    # which counts unposted grades too. Ungraded prompts earn nothing, so current and final
    # points agree; only the final score's base grows.
    points = _two_places(every.earned)
    return [
        points,
        points,
        _percent(released.current_percent),
        _percent(every.current_percent),
        _percent(released.final_percent),
        _percent(every.final_percent),
    ]


def moodle_lines(*, columns: Sequence[Column], students: Iterable[StudentRow]) -> Iterator[str]:
    """Yield a plain gradebook CSV for Moodle's CSV grade import: a header and one row per
    student, nothing else, since Moodle stops the whole import at a row it cannot map to a user
    ("usermappingerrorusernotfound" in grade/import/csv/classes/load_data.php), as Canvas's
    "Points Possible" row would be. Users are mapped by "Email address" (we hold no Moodle ID
    number); each prompt column holds the score with two decimals, empty for ungraded or
    excused (Moodle reads "" and "-" alike as no grade and has no "EX"). Every grade is
    written, released or not. Formula-safe, like every export."""
    writer = csv.writer(Echo())

    def line(cells):
        return writer.writerow([neutralise(cell) for cell in cells])

    yield line([*MOODLE_IDENTITY, *(column.header for column in columns)])
    for student in students:
        if len(student.cells) != len(columns):
            raise ValueError(f"Student {student.user_id} has {len(student.cells)} cells.")
        last, _, first = student.sortable_name.partition(", ")
        yield line([first, last, student.sis_login_id, *map(_moodle_cell, student.cells)])


def _moodle_cell(cell):
    return "" if cell.is_excused or cell.score is None else _two_places(cell.score)


def _percent(value):
    return "" if value is None else _two_places(value)


def _cell_text(cell):
    if cell.is_excused:
        return EXCUSED
    return "" if cell.score is None else _two_places(cell.score)


def _two_places(number):
    # Format "f" never switches to exponent notation the way str(Decimal) can.
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):f}"
