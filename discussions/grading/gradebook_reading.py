"""Reading an uploaded gradebook file for a score import, in the layouts other gradebooks write:
Canvas's gradebook export (instructure/canvas-lms, lib/gradebook_exporter.rb, and what its
importer, lib/gradebook_importer.rb, accepts), our own exports of it, and Moodle's plain text
export (moodle/moodle, grade/export/txt). The layout is recognised by ``gradebook_layouts``;
here the rows are read. Pure logic on plain data; callers do the queries and the saving."""

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from destalin.csv_cells import starts_formula
from discussions.grading.gradebook_csv import CENT, EXCUSED, ID, Cell, Column
from discussions.grading.gradebook_layouts import (
    DELIMITERS,
    ImportFileError,
    delimiter_of,
    is_marker_row,
    read_header,
    shown,
)

__all__ = ["Change", "ImportFileError", "ImportPreview", "RowError", "read_scores"]

STUDENT_ID = re.compile(r"[0-9]{1,18}")
SCORE = re.compile(r"[0-9]+(\.[0-9]{0,2})?|\.[0-9]{1,2}")
TOO_PRECISE = re.compile(r"[0-9]*\.[0-9]{3,}")
# Canvas's decimal_comma_to_period converter: a cell of digits, dots and commas is a number
# whose last separator is the decimal point ("8,50" and "1.234,5" as some locales write them).
LOCALE_NUMBER = re.compile(r"-?[0-9.,]+")
# What Canvas writes for an assignment a student is not assigned ("N/A"), and what Canvas and
# Moodle read as no score ("-"): the grade is left as it is.
NO_SCORE = {"n/a", "-"}


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
    delimiter = delimiter_of(text)
    rows = _rows(text, delimiter)
    _, raw_header = next(rows, (0, None))
    if raw_header is None:
        raise ImportFileError("The file is empty.")
    names = [_read(cell) for cell in raw_header]
    header = read_header(names, columns)
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
        if is_marker_row(cells):
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


def _student(number, cells, header, emails, row_errors):
    """(user id or None, how the row names a student not in the course now, or None)."""
    text = cells[header.id_at] if header.id_at is not None else ""
    login = cells[header.login_at] if header.login_at is not None else ""
    if text:
        if not STUDENT_ID.fullmatch(text):
            row_errors.append(f'Row {number}: "{shown(text)}" is not a student ID.')
            return None, None
        return int(text), f"ID {int(text)}"
    if login:
        return emails.get(login.casefold()), f'the {header.login_name} "{shown(login)}"'
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
    name = shown(column.header)
    number = _decimal_point(text)
    if number.startswith("-") and SCORE.fullmatch(number[1:]):
        raise ValueError(f'"{shown(text)}" for "{name}" is negative; scores cannot be negative.')
    if TOO_PRECISE.fullmatch(number):
        raise ValueError(f'"{shown(text)}" for "{name}" has more than two decimal places.')
    if not SCORE.fullmatch(number):
        raise ValueError(
            f'"{shown(text)}" is not a number for "{name}". Enter a score such as 8 or 8.5, '
            "EX for excused, or leave the cell empty."
        )
    score = Decimal(number)  # exact; compared before quantize, which fails on huge numbers
    if score > column.points_possible:
        raise ValueError(
            f'{shown(text)} for "{name}" is out of range; scores must be between 0 and '
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
