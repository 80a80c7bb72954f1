"""Recognising the layout of an uploaded gradebook file: its delimiter, which columns say who a
row is and which hold which prompt, and the rows that are not students'. As Canvas's gradebook
importer (instructure/canvas-lms, lib/gradebook_importer.rb) and Moodle's plain text export
(moodle/moodle, grade/export/txt) define them; ``gradebook_reading`` reads the rows."""

import csv
import re
from dataclasses import dataclass

from discussions.grading.gradebook_csv import ID, POINTS_POSSIBLE, SIS_LOGIN_ID

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

# Canvas skips a row made only of blanks and these markers (check_for_non_student_row).
HIDDEN_MARKER = re.compile(r"\s*(muted|manual posting.*)?\s*", re.IGNORECASE | re.DOTALL)

DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


class ImportFileError(ValueError):
    """The whole file is unusable; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Header:
    """Where a file's header puts the student's identity and each prompt."""

    prompt_at: dict  # cell index -> Column
    ignored: list
    id_at: int | None
    login_at: int | None  # "SIS Login ID" (Canvas) or "Email address" (Moodle)
    login_name: str
    layout: str


def delimiter_of(text):
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


def read_header(names, columns):
    """The ``Header`` of a file's first row (``names``, stripped) against the course's prompt
    ``columns``: where the student's identity is and which cells hold which prompt.
    ImportFileError if no column identifies students, a name appears twice, two columns are
    for one prompt, or a column is for a prompt not in the course."""
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
            raise ImportFileError(f'The column "{shown(name)}" appears twice in the first row.')
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
    return Header(
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
    folded, original = name.casefold(), name
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
                f'The column "{shown(original)}" is for a prompt that is not in this course. '
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
                f'The column "{shown(title)}" names {len(found)} prompts with that title; '
                'export the gradebook again, whose columns read "Title (ID)".'
            )
        if found:
            return found[0]
    return None


def is_marker_row(cells):
    """Whether a row (its cells, stripped) is Canvas's "Points Possible" row or its
    hidden-grades row, which hold no student (``check_for_non_student_row``)."""
    if POINTS_POSSIBLE.strip().casefold() in cells[0].casefold():
        return True
    # Blank rows never get here, so a row of blanks and markers has a marker.
    return all(HIDDEN_MARKER.fullmatch(cell) for cell in cells)


def shown(text, limit=60):
    """The file's text as a message quotes it: a pasted essay in a cell must not become a wall
    of text, so at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
