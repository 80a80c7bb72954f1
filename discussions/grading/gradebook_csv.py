"""The gradebook as a Canvas-compatible CSV: written row by row for a streamed download, and read
back for a score import. Pure logic on plain data; callers do the queries and the saving."""

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from destalin.csv_cells import Echo, neutralise, starts_formula
from discussions.grading import scoring

STUDENT, ID = "Student", "ID"
IDENTITY = (STUDENT, ID, "SIS User ID", "SIS Login ID", "Section")
TOTALS = ("Current Points", "Final Points", "Current Score", "Final Score")
MANUAL_POSTING = "Manual Posting"
# Canvas indents this label; importers that match it exactly expect the spaces.
POINTS_POSSIBLE = "    Points Possible"
READ_ONLY = "(read only)"
EXCUSED = "EX"

CENT = Decimal("0.01")
# Bounded: int() refuses very long digit strings, and no ID is that long.
PROMPT_HEADER = re.compile(r"(?P<title>.*)\((?P<id>[0-9]{1,18})\)", re.DOTALL)
STUDENT_ID = re.compile(r"[0-9]{1,18}")
SCORE = re.compile(r"[0-9]+(\.[0-9]{0,2})?|\.[0-9]{1,2}")
TOO_PRECISE = re.compile(r"[0-9]*\.[0-9]{3,}")
SKIPPED_ROWS = {MANUAL_POSTING.casefold(), POINTS_POSSIBLE.strip().casefold()}


@dataclass(frozen=True)
class Column:
    """One graded prompt."""

    prompt_id: int
    title: str
    points_possible: Decimal
    is_unreleased: bool  # grades not yet released to students

    @property
    def header(self):
        return f"{self.title} ({self.prompt_id})"


@dataclass(frozen=True)
class Cell:
    score: Decimal | None  # None: no grade
    is_excused: bool = False
    is_missing: bool = False  # past due with no post and no grade: counts as 0 in the totals


@dataclass(frozen=True)
class StudentRow:
    sortable_name: str  # "Last, First"
    user_id: int
    sis_user_id: str
    sis_login_id: str
    section: str
    cells: tuple[Cell, ...]  # one per column, in the columns' order


@dataclass(frozen=True)
class Change:
    row_number: int  # 1-based line in the file
    user_id: int
    prompt_id: int
    old: Cell
    new: Cell


@dataclass(frozen=True)
class RowError:
    row_number: int
    message: str


@dataclass(frozen=True)
class ImportPreview:
    changes: tuple[Change, ...]
    errors: tuple[RowError, ...]
    unchanged: int
    ignored_columns: tuple[str, ...]


class ImportFileError(ValueError):
    """The whole file is unusable; the message is for the person who uploaded it."""


# Writing


def gradebook_lines(*, columns: Sequence[Column], students: Iterable[StudentRow]) -> Iterator[str]:
    """Yield the gradebook CSV line by line ("\\r\\n" endings) for a StreamingHttpResponse.

    ``students`` is iterated once, lazily, and written in the order given: pass it sorted by
    sortable name, as Canvas does. Totals count every grade, released or not (the file is for
    teachers); excused prompts count neither way, and a score over no points possible is left
    empty."""
    writer = csv.writer(Echo())

    def line(cells):
        return writer.writerow([neutralise(cell) for cell in cells])

    yield line([*IDENTITY, *(column.header for column in columns), *TOTALS])
    if any(column.is_unreleased for column in columns):
        yield line(
            [MANUAL_POSTING, "", "", "", ""]
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
    total = scoring.total(
        (cell.score, column.points_possible, cell.is_excused, cell.is_missing)
        for column, cell in zip(columns, cells, strict=True)
    )
    # Ungraded prompts earn nothing, so the points agree; only the final score's base grows.
    points = _two_places(total.earned)
    return [points, points, _percent(total.current_percent), _percent(total.final_percent)]


def _percent(value):
    return "" if value is None else _two_places(value)


def _cell_text(cell):
    if cell.is_excused:
        return EXCUSED
    return "" if cell.score is None else _two_places(cell.score)


def _two_places(number):
    # Format "f" never switches to exponent notation the way str(Decimal) can.
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):f}"


# Reading


def read_scores(
    *,
    data: bytes,
    columns: Sequence[Column],
    current: Mapping[tuple[int, int], Cell],
    student_ids: Collection[int],
    max_bytes: int = 2_000_000,
) -> ImportPreview:
    """Read an uploaded gradebook CSV against the course's prompts and current grades.

    Contract: if ``errors`` is not empty the caller saves nothing at all; the preview lists
    every problem so the file can be fixed in one pass. ``current`` is keyed by (user id,
    prompt id); a missing key means no grade.

    Rules: prompt columns are matched by the ID in "Title (ID)", so renamed prompts still
    match. An empty cell leaves the grade as it is (offline sheets leave blanks), so an import
    never removes a grade; "EX" excuses; a number is a score of at most two decimals between 0
    and the prompt's points. A row with any error contributes no changes. A student whose ID
    is on several rows gets an error on each later row and no changes from any of them.
    ``unchanged`` counts filled cells, in rows that contribute, that equal the current grade.
    Messages quote the file's text: escape them when rendering (templates do)."""
    rows = _rows(_text(data, max_bytes))
    _, header = next(rows, (0, None))
    if header is None:
        raise ImportFileError("The file is empty.")
    header = [_read(cell) for cell in header]
    prompt_at, ignored = _header_columns(header, {column.prompt_id: column for column in columns})
    id_at = [name.casefold() for name in header].index(ID.casefold())
    student_at = [name.casefold() for name in header].index(STUDENT.casefold())

    errors, first_row, duplicated = [], {}, set()
    accepted = {}  # user id -> (changes, unchanged count) of a row without errors
    for number, raw in rows:
        if len(raw) != len(header):
            errors.append(
                RowError(number, f"Row {number}: it has {len(raw)} cells, not {len(header)}.")
            )
            continue
        cells = [_read(cell) for cell in raw]
        if not cells[id_at] and cells[student_at].casefold() in SKIPPED_ROWS:
            continue
        row_errors = []
        user_id = _student_id(number, cells[id_at], student_ids, row_errors)
        if user_id in first_row:
            again = "twice" if user_id not in duplicated else "again"
            row_errors.append(
                f"Row {number}: student {user_id} appears {again} (first on row "
                f"{first_row[user_id]})."
            )
            duplicated.add(user_id)
        elif user_id is not None:
            first_row[user_id] = number
        changes, unchanged = [], 0
        for at, column in prompt_at.items():
            try:
                new = _cell(cells[at], column)
            except ValueError as error:
                row_errors.append(f"Row {number}: {error}")
                continue
            if new is None or user_id is None:
                continue
            old = current.get((user_id, column.prompt_id), Cell(None))
            if _same(old, new):
                unchanged += 1
            else:
                changes.append(Change(number, user_id, column.prompt_id, old, new))
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            accepted[user_id] = (changes, unchanged)

    kept = [value for user_id, value in accepted.items() if user_id not in duplicated]
    return ImportPreview(
        changes=tuple(change for changes, _ in kept for change in changes),
        errors=tuple(errors),
        unchanged=sum(unchanged for _, unchanged in kept),
        ignored_columns=tuple(ignored),
    )


def _text(data, max_bytes):
    if len(data) > max_bytes:
        raise ImportFileError(
            f"The file is larger than {_size(max_bytes)}, the most a gradebook import accepts."
        )
    # UTF-16 text and spreadsheet workbooks are full of NUL bytes; a CSV never has one.
    if b"\0" in data:
        raise ImportFileError(
            "The file is not a CSV text file (it contains NUL bytes). Save the sheet as "
            '"CSV UTF-8" and upload that.'
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            'The file is not UTF-8 text. Save the sheet as "CSV UTF-8" and upload that.'
        ) from None


def _size(count):
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000} MB"
    return f"{count // 1000} kB" if count >= 1000 else f"{count} bytes"


def _rows(text):
    """Non-blank rows with the file line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(f"Line {start} is not valid CSV ({error}).") from None
        if any(cell.strip() for cell in row):
            yield start, row


def _header_columns(header, columns_by_id):
    """Which cells hold which prompt, and the names of the columns left alone."""
    folded = [name.casefold() for name in header]
    missing = [name for name in (STUDENT, ID) if name.casefold() not in folded]
    if missing:
        raise ImportFileError(
            "The first row has no "
            + " and no ".join(f'"{name}" column' for name in missing)
            + ". Upload the gradebook CSV exported from this course, saved with commas."
        )
    seen, prompt_at, ignored = set(), {}, []
    for at, name in enumerate(header):
        if not name:
            continue  # spreadsheets add unnamed columns; nothing in them is read
        if name.casefold() in seen:
            raise ImportFileError(f'The column "{_shown(name)}" appears twice in the first row.')
        seen.add(name.casefold())
        match = PROMPT_HEADER.fullmatch(name)
        if match is None:
            if name.casefold() not in (STUDENT.casefold(), ID.casefold()):
                ignored.append(name)
            continue
        column = columns_by_id.get(int(match["id"]))
        if column is None:
            raise ImportFileError(
                f'The column "{_shown(name)}" is for a prompt that is not in this course. '
                "Was the file exported from another course?"
            )
        if column in prompt_at.values():
            raise ImportFileError(f"Two columns are for the same prompt ({column.prompt_id}).")
        prompt_at[at] = column
    return prompt_at, ignored


def _student_id(number, text, student_ids, row_errors):
    if not text:
        row_errors.append(f"Row {number}: the ID cell is empty.")
    elif not STUDENT_ID.fullmatch(text):
        row_errors.append(f'Row {number}: "{_shown(text)}" is not a student ID.')
    elif int(text) not in student_ids:
        row_errors.append(f"Row {number}: no student with ID {int(text)} in this course.")
    else:
        return int(text)
    return None


def _cell(text, column):
    """The cell's new grade, None to leave the grade alone; ValueError says what is wrong."""
    if not text:
        return None
    if text.casefold() == EXCUSED.casefold():
        return Cell(None, is_excused=True)
    name = _shown(column.header)
    if text.startswith("-") and SCORE.fullmatch(text[1:]):
        raise ValueError(f'"{_shown(text)}" for "{name}" is negative; scores cannot be negative.')
    if TOO_PRECISE.fullmatch(text):
        raise ValueError(f'"{_shown(text)}" for "{name}" has more than two decimal places.')
    if not SCORE.fullmatch(text):
        raise ValueError(
            f'"{_shown(text)}" is not a number for "{name}". Enter a score such as 8 or 8.5, '
            "EX for excused, or leave the cell empty."
        )
    score = Decimal(text)  # exact; compared before quantize, which fails on huge numbers
    if score > column.points_possible:
        raise ValueError(
            f'{_shown(text)} for "{name}" is out of range; scores must be between 0 and '
            f"{column.points_possible.normalize():f}."
        )
    return Cell(score.quantize(CENT))


def _same(old, new):
    # An excused grade may keep a score underneath; excused is what counts.
    if old.is_excused or new.is_excused:
        return old.is_excused == new.is_excused
    return old.score == new.score  # Decimal compares by value: 8.5 == 8.50


def _read(cell):
    text = cell.strip()
    if text[:1] == "'" and starts_formula(text[1:]):
        text = text[1:]
    return text.strip()


def _shown(text, limit=60):
    # Messages quote the file; a pasted essay in a cell must not become a wall of text.
    return text if len(text) <= limit else text[: limit - 1] + "…"
