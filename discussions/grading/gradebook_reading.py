"""Reading an uploaded gradebook file for a score import, in the layouts other gradebooks write:
Canvas's gradebook export (instructure/canvas-lms, lib/gradebook_exporter.rb, and what its
importer, lib/gradebook_importer.rb, accepts), our own exports of it, and Moodle's plain text
export (moodle/moodle, grade/export/txt). Pure logic on plain data; callers do the queries and
the saving."""

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from destalin.csv_cells import starts_formula
from discussions.grading.gradebook_csv import (
    CENT,
    EXCUSED,
    ID,
    POINTS_POSSIBLE,
    SIS_LOGIN_ID,
    Cell,
    Column,
)

EMAIL_ADDRESS = "Email address"
# Columns that say who a row is, in Canvas's header (GRADEBOOK_IMPORTER_RESERVED_NAMES) and
# Moodle's (the profile fields of grade/export/txt; "Surname" in older versions, "Last name"
# now), and Moodle's export-time column: read for matching or not at all, never as a prompt.
RESERVED = {
    name.casefold()
    for name in (
        "Student", "LastName", "FirstName", ID, "SIS User ID", SIS_LOGIN_ID, "Section",
        "Integration ID", "Root Account", "First name", "Surname", "Last name", "ID number",
        "Institution", "Department", EMAIL_ADDRESS, "Suspended", "Username",
        "Last downloaded from this course",
    )
}  # fmt: skip
# The student's name, in either gradebook: shown in the file, not read.
NAMES = {
    name.casefold()
    for name in ("Student", "LastName", "FirstName", "First name", "Surname", "Last name")
}
# Canvas leaves out any column whose name contains one of these (NON_ASSIGNMENT_COLUMN_HEADERS,
# which also catches "Unposted …" and per-group or per-period totals such as
# "Current Score (Fall 2020)"), before it looks for assignment IDs.
TOTAL_COLUMNS = tuple(
    name.casefold()
    for name in (
        "Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
        "Final Grade", "Override Score", "Override Grade", "Override Status", "Course total",
    )
)  # fmt: skip
# Moodle names a grade column "<activity type>: <name> (<display type>)"
# (grade_export::format_column_name); only points ("Real") are scores we can read.
MOODLE_COLUMN = re.compile(r"(?P<name>.*\S)\s*\((?P<kind>Real|Percentage|Letter|Feedback)\)")
# Bounded: int() refuses very long digit strings, and no ID is that long.
PROMPT_HEADER = re.compile(r"(?P<title>.*)\((?P<id>[0-9]{1,18})\)", re.DOTALL)
STUDENT_ID = re.compile(r"[0-9]{1,18}")
SCORE = re.compile(r"[0-9]+(\.[0-9]{0,2})?|\.[0-9]{1,2}")
TOO_PRECISE = re.compile(r"[0-9]*\.[0-9]{3,}")
# Canvas's decimal_comma_to_period converter: a cell of digits, dots and commas is a number
# whose last separator is the decimal point ("8,50" and "1.234,5" as some locales write them).
LOCALE_NUMBER = re.compile(r"-?[0-9.,]+")
# Canvas skips a row made only of blanks and these markers (check_for_non_student_row).
HIDDEN_MARKER = re.compile(r"\s*(muted|manual posting.*)?\s*", re.IGNORECASE | re.DOTALL)
# What Canvas writes for an assignment a student is not assigned ("N/A"), and what Canvas and
# Moodle read as no score ("-"): the grade is left as it is.
NO_SCORE = {"n/a", "-"}
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


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
    warnings: tuple[RowError, ...] = ()  # rows skipped without blocking the import
    layout: str = ""  # how the file was read: "Canvas gradebook, cells separated by commas"


class ImportFileError(ValueError):
    """The whole file is unusable; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class _Header:
    prompt_at: dict  # cell index -> Column
    ignored: list
    id_at: int | None
    login_at: int | None  # "SIS Login ID" (Canvas) or "Email address" (Moodle)
    login_name: str
    layout: str


def read_scores(
    *,
    data: bytes,
    columns: Sequence[Column],
    current: Mapping[tuple[int, int], Cell],
    student_ids: Collection[int],
    emails: Mapping[str, int] | None = None,
    max_bytes: int = 2_000_000,
) -> ImportPreview:
    """Read an uploaded gradebook CSV against the course's prompts and current grades.

    Contract: if ``errors`` is not empty the caller saves nothing at all; the preview lists
    every problem so the file can be fixed in one pass. ``student_ids`` are the course's
    students now; ``emails`` maps case-folded email addresses to user ids, of students now and
    former ones; ``current`` is keyed by (user id, prompt id), for students now and former
    ones; a missing key means no grade.

    Layouts, as the other gradebooks write them: the delimiter is sniffed from the first three
    lines as Canvas does (``identify_delimiter``: the one that splits every line into the same
    number of cells, the most of them; commas on a tie; tabs too, which Moodle can write).
    The header names the student by "Student" or "LastName"/"FirstName" (Canvas) or "First
    name"/"Surname" (Moodle), and identifies them by "ID" or, when that cell is empty, by "SIS
    Login ID" (the email address, as our export writes it) or Moodle's "Email address". Rows
    shorter than the header are read as if padded with empty cells; Canvas's "Points Possible"
    row and hidden-grades row (only blanks, "Manual Posting…" and "Muted") are skipped.

    Prompt columns are matched by the ID in "Title (ID)", so renamed prompts still match; a
    column without an ID whose name is a prompt's exact title, or "<activity>: <title> (Real)"
    as Moodle writes it, matches that prompt too (Canvas's ``parse_assignments`` falls back to
    the title). Totals and Moodle's percentage, letter and feedback columns are ignored.

    Cells: empty, "N/A" and "-" leave the grade as it is (an import never removes a grade);
    "EX" excuses; a number is a score of at most two decimals between 0 and the prompt's
    points, with a decimal comma read as a point. A row with any error contributes no changes.
    A student on several rows gets an error on each later row and no changes from any of
    them. A row for someone not in the course now is a warning and skipped when it would change
    nothing (every filled cell equal to their grade, if they have one), an error otherwise.
    ``unchanged`` counts filled cells, in rows that contribute, that equal the current grade.
    Messages quote the file's text: escape them when rendering (templates do)."""
    text = _text(data, max_bytes)
    delimiter = _delimiter(text)
    rows = _rows(text, delimiter)
    _, raw_header = next(rows, (0, None))
    if raw_header is None:
        raise ImportFileError("The file is empty.")
    names = [_read(cell) for cell in raw_header]
    header = _header(names, columns)
    student_ids, emails = set(student_ids), emails or {}

    errors, warnings, first_row, duplicated = [], [], {}, set()
    accepted = {}  # user id -> (changes, unchanged count) of a row without errors
    for number, raw in rows:
        extra = [cell for cell in raw[len(names) :] if cell.strip()]
        if extra:
            errors.append(
                RowError(number, f"Row {number}: it has {len(raw)} cells, not {len(names)}.")
            )
            continue
        cells = [_read(cell) for cell in raw[: len(names)]]
        cells += [""] * (len(names) - len(cells))
        if _is_marker_row(cells):
            continue
        row_errors = []
        user_id, who = _student(number, cells, header, emails, row_errors)
        is_stale = who is not None and user_id not in student_ids
        if user_id in first_row and not is_stale:
            again = "twice" if user_id not in duplicated else "again"
            row_errors.append(
                f"Row {number}: student {user_id} appears {again} (first on row "
                f"{first_row[user_id]})."
            )
            duplicated.add(user_id)
        elif user_id is not None and not is_stale:
            first_row[user_id] = number
        changes, differing, unchanged, cell_errors = _changes(
            number, cells, header, user_id, current
        )
        if is_stale:
            if not cell_errors and not differing:
                warnings.append(
                    RowError(
                        number,
                        f"Row {number}: no student with {who} in this course now; the row "
                        "changes nothing, so it is skipped.",
                    )
                )
                continue
            row_errors.append(f"Row {number}: no student with {who} in this course.")
        row_errors.extend(cell_errors)
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            accepted[user_id] = (changes, unchanged)

    kept = [value for user_id, value in accepted.items() if user_id not in duplicated]
    return ImportPreview(
        changes=tuple(change for changes, _ in kept for change in changes),
        errors=tuple(errors),
        unchanged=sum(unchanged for _, unchanged in kept),
        ignored_columns=tuple(header.ignored),
        warnings=tuple(warnings),
        layout=f"{header.layout} gradebook, cells separated by {DELIMITERS[delimiter]}",
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


def _delimiter(text):
    """Canvas's ``identify_delimiter`` over the first three lines, with tabs as a third
    candidate: a delimiter counts if it splits every line into the same number of cells, and
    the one giving the most cells wins, commas on a tie."""
    lines = [line for line in text.splitlines() if line.strip()][:3]
    counts = {}
    for delimiter in DELIMITERS:
        try:
            sizes = {len(next(csv.reader([line], delimiter=delimiter))) for line in lines}
        except csv.Error:
            continue
        if len(sizes) == 1:
            counts[delimiter] = sizes.pop()
    best = max(counts.values(), default=0)
    if best > 1:
        return next(d for d in DELIMITERS if counts.get(d) == best)
    # No delimiter splits every line alike (Canvas then takes commas): the one that splits the
    # header most, so a semicolon file with short rows is still read as one.
    header = lines[0] if lines else ""
    return max(DELIMITERS, key=lambda d: (len(next(csv.reader([header], delimiter=d))), d == ","))


def _rows(text, delimiter):
    """Non-blank rows with the file line each starts on (a quoted cell may span lines); a row
    of delimiters and spaces alone is blank (Canvas's ``skip_lines``)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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


def _header(names, columns):
    """Where the student's identity is and which cells hold which prompt."""
    folded = [name.casefold() for name in names]

    def where(*candidates):
        return next(
            (folded.index(c.casefold()) for c in candidates if c.casefold() in folded), None
        )

    id_at, login_at = where(ID), where(SIS_LOGIN_ID, EMAIL_ADDRESS)
    if id_at is None and login_at is None:
        raise ImportFileError(
            'The first row has no "ID" or "SIS Login ID" column (as in a Canvas gradebook '
            'export) and no "Email address" column (as in a Moodle grade export), so no row '
            "can be matched to a student. Upload the gradebook CSV exported from this course."
        )
    is_moodle = id_at is None and folded[login_at] == EMAIL_ADDRESS.casefold()
    by_id = {column.prompt_id: column for column in columns}
    by_title = {}
    for column in columns:
        by_title.setdefault(column.title.casefold(), []).append(column)
    seen, prompt_at, ignored = set(), {}, []
    for at, name in enumerate(names):
        if not name:
            continue  # spreadsheets add unnamed columns; nothing in them is read
        if name.casefold() in seen:
            raise ImportFileError(f'The column "{_shown(name)}" appears twice in the first row.')
        seen.add(name.casefold())
        if name.casefold() in RESERVED:
            if at not in (id_at, login_at) and name.casefold() not in NAMES:
                ignored.append(name)
            continue
        column = _prompt_of(name, by_id, by_title, is_moodle=is_moodle)
        if column is None:
            ignored.append(name)
            continue
        if column in prompt_at.values():
            raise ImportFileError(f"Two columns are for the same prompt ({column.prompt_id}).")
        prompt_at[at] = column
    return _Header(
        prompt_at=prompt_at,
        ignored=ignored,
        id_at=id_at,
        login_at=login_at,
        login_name=names[login_at] if login_at is not None else "",
        layout="Moodle" if is_moodle else "Canvas",
    )


def _prompt_of(name, by_id, by_title, *, is_moodle):
    """The prompt a column is for, None for a column that is not a prompt's; ImportFileError
    for a prompt of another course or a title several prompts share. In a Moodle file,
    "Forum: Week 1" is also read as "Week 1", since Moodle puts the activity type first."""
    folded = name.casefold()
    if any(total in folded for total in TOTAL_COLUMNS):
        return None
    moodle = MOODLE_COLUMN.fullmatch(name)
    if moodle:
        if moodle["kind"] != "Real":
            return None
        name = moodle["name"]
    elif folded.startswith("feedback:"):
        return None  # older Moodle exports: "Feedback: <name>"
    match = PROMPT_HEADER.fullmatch(name)
    if match is not None:
        column = by_id.get(int(match["id"]))
        if column is None:
            raise ImportFileError(
                f'The column "{_shown(name)}" is for a prompt that is not in this course. '
                "Was the file exported from another course?"
            )
        return column
    titles = [name.strip()]
    if is_moodle and ": " in name:
        titles.append(name.split(": ", 1)[1].strip())  # "Forum: Week 1" is "Week 1"
    for title in titles:
        found = by_title.get(title.casefold(), [])
        if len(found) > 1:
            raise ImportFileError(
                f'The column "{_shown(title)}" names {len(found)} prompts with that title; '
                'export the gradebook again, whose columns read "Title (ID)".'
            )
        if found:
            return found[0]
    return None


def _is_marker_row(cells):
    if POINTS_POSSIBLE.strip().casefold() in cells[0].casefold():
        return True
    # Blank rows never get here, so a row of blanks and markers has a marker.
    return all(HIDDEN_MARKER.fullmatch(cell) for cell in cells)


def _student(number, cells, header, emails, row_errors):
    """(user id or None, how the row names a student not in the course now, or None)."""
    text = cells[header.id_at] if header.id_at is not None else ""
    login = cells[header.login_at] if header.login_at is not None else ""
    if text:
        if not STUDENT_ID.fullmatch(text):
            row_errors.append(f'Row {number}: "{_shown(text)}" is not a student ID.')
            return None, None
        return int(text), f"ID {int(text)}"
    if login:
        return emails.get(login.casefold()), f'the {header.login_name} "{_shown(login)}"'
    present = [
        name for at, name in ((header.id_at, ID), (header.login_at, header.login_name))
        if at is not None
    ]  # fmt: skip
    cells_are = "cells are" if len(present) > 1 else "cell is"
    row_errors.append(f"Row {number}: the {' and '.join(present)} {cells_are} empty.")
    return None, None


def _changes(number, cells, header, user_id, current):
    """(changes, how many cells differ from the grades, how many equal them, errors) of a
    row's prompt cells; a row for no known student has no changes, only differences."""
    changes, differing, unchanged, errors = [], 0, 0, []
    for at, column in header.prompt_at.items():
        try:
            new = _cell(cells[at], column)
        except ValueError as error:
            errors.append(f"Row {number}: {error}")
            continue
        if new is None:
            continue
        old = current.get((user_id, column.prompt_id), Cell(None))
        if _same(old, new):
            unchanged += 1
            continue
        differing += 1
        if user_id is not None:
            changes.append(Change(number, user_id, column.prompt_id, old, new))
    return changes, differing, unchanged, errors


def _cell(text, column):
    """The cell's new grade, None to leave the grade alone; ValueError says what is wrong."""
    if not text or text.casefold() in NO_SCORE:
        return None
    if text.casefold() == EXCUSED.casefold():
        return Cell(None, is_excused=True)
    name = _shown(column.header)
    number = _decimal_point(text)
    if number.startswith("-") and SCORE.fullmatch(number[1:]):
        raise ValueError(f'"{_shown(text)}" for "{name}" is negative; scores cannot be negative.')
    if TOO_PRECISE.fullmatch(number):
        raise ValueError(f'"{_shown(text)}" for "{name}" has more than two decimal places.')
    if not SCORE.fullmatch(number):
        raise ValueError(
            f'"{_shown(text)}" is not a number for "{name}". Enter a score such as 8 or 8.5, '
            "EX for excused, or leave the cell empty."
        )
    score = Decimal(number)  # exact; compared before quantize, which fails on huge numbers
    if score > column.points_possible:
        raise ValueError(
            f'{_shown(text)} for "{name}" is out of range; scores must be between 0 and '
            f"{column.points_possible.normalize():f}."
        )
    return Cell(score.quantize(CENT))


def _decimal_point(text):
    # Canvas's decimal_comma_to_period: the last "." or "," is the decimal point, any before
    # it group thousands ("1.234,5" is 1234.5).
    if not LOCALE_NUMBER.fullmatch(text):
        return text
    parts = re.split(r"[.,]", text)
    return f"{''.join(parts[:-1])}.{parts[-1]}" if len(parts) > 1 else text


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
