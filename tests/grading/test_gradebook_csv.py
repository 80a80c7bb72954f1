"""The gradebook CSV on plain data: the exact Canvas layout, its totals and escaping, streaming,
and every way an uploaded file is refused or a row is reported."""

import csv
import io
from decimal import Decimal

import pytest

from discussions.grading.gradebook_csv import Cell, Column, StudentRow, gradebook_lines
from discussions.grading.gradebook_reading import Change, ImportFileError, RowError, read_scores

D = Decimal
WEEK_1 = Column(12, "Week 1", D("10"), is_unreleased=False)
WEEK_2 = Column(13, "Week 2", D("5.5"), is_unreleased=False)
ESSAY = Column(14, "Essay", D("20"), is_unreleased=True)
TOTALS = [
    "Current Points", "Final Points", "Current Score", "Unposted Current Score", "Final Score",
    "Unposted Final Score",
]  # fmt: skip


def student(name, user_id, *cells, sis="", login="", section=""):
    return StudentRow(name, user_id, sis, login, section, tuple(cells))


def export(columns, students):
    return "".join(gradebook_lines(columns=columns, students=students))


def parsed(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def read(text, columns=(WEEK_1, WEEK_2), current=None, student_ids=(3, 4, 5), **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return read_scores(
        data=data, columns=columns, current=current or {}, student_ids=student_ids, **kwargs
    )


HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,Week 1 (12),Week 2 (13)," + ",".join(TOTALS)


def sheet(*rows):
    """An upload: our header, then the given student rows (totals left empty)."""
    return "\r\n".join([HEADER, *(row + ",,,,,," for row in rows)]) + "\r\n"


# Writing


def test_header_and_points_possible_rows_are_exact():
    lines = list(gradebook_lines(columns=[WEEK_1, WEEK_2], students=[]))
    assert lines == [
        HEADER + "\r\n",
        "    Points Possible,,,,,10.00,5.50," + ",".join(["(read only)"] * 6) + "\r\n",
    ]


def test_hidden_grades_row_has_an_empty_student_cell_and_marks_unreleased_prompts():
    # As Canvas writes it (gradebook_exporter.rb: the row starts [nil, nil, nil, nil]).
    lines = list(gradebook_lines(columns=[WEEK_1, ESSAY], students=[]))
    assert lines[1] == ",,,,,,Manual Posting,,,,,,\r\n"
    assert lines[2].startswith("    Points Possible,")


def test_no_manual_posting_row_when_everything_is_released():
    text = export([WEEK_1, WEEK_2], [student("Ames, Ada", 3, Cell(D(1)), Cell(D(2)))])
    assert "Manual Posting" not in text
    assert len(parsed(text)) == 3


def test_student_row_scores_have_two_decimals_excused_is_ex_and_no_grade_is_empty():
    columns = [WEEK_1, WEEK_2, Column(15, "Quiz", D("10"), False), ESSAY]
    row = student(
        "Ames, Ada", 3, Cell(D("8.5")), Cell(None, is_excused=True), Cell(None), Cell(D("2.675")),
        sis="S-1", login="ada@example.edu", section="Tuesday",
    )  # fmt: skip
    rows = parsed(export(columns, [row]))
    assert rows[3][:9] == [
        "Ames, Ada", "3", "S-1", "ada@example.edu", "Tuesday", "8.50", "EX", "", "2.68",
    ]  # fmt: skip


def test_scores_round_half_up_not_to_even():
    rows = parsed(export([WEEK_1], [student("A, B", 3, Cell(D("0.125")))]))
    assert rows[2][5] == "0.13"


@pytest.mark.parametrize(
    ("cells", "totals"),
    [
        # Week 1 (10) and Week 2 (5.5) are released, the Essay (20) is not: Canvas's "Current"
        # and "Final" count released grades only, the "Unposted" scores and the points every
        # grade (Canvas's exporter computes points with ignore_muted: false). Current
        # counts only graded prompts; final counts the ungraded ones as 0.
        # A missing essay (no grade at all, past due) counts as 0 in both.
        ((D(8), None, D(11)), ["19.00", "19.00", "80.00", "63.33", "22.54", "53.52"]),
        ((D(10), D("5.5"), D(20)), ["35.50", "35.50", "100.00", "100.00", "43.66", "100.00"]),
        ((None, None, None), ["0.00", "0.00", "", "", "0.00", "0.00"]),
        ((D(0), None, None), ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]),
        ((D(8), None, "M"), ["8.00", "8.00", "26.67", "26.67", "22.54", "22.54"]),
        # Excused: out of both points possible and earned, even with a score underneath.
        ((D(8), "EX", None), ["8.00", "8.00", "80.00", "80.00", "26.67", "26.67"]),
        # A hidden excusal is hidden like a hidden score: the essay counts as ungraded.
        (("EX", "EX", "EX"), ["0.00", "0.00", "", "", "0.00", ""]),
    ],
)
def test_totals_count_released_grades_and_unposted_ones_apart(cells, totals):
    def cell(value, is_hidden):
        if value == "EX":
            return Cell(D(3), is_excused=True, is_hidden=is_hidden)
        if value == "M":
            return Cell(None, is_missing=True)
        return Cell(value, is_hidden=is_hidden)

    # The essay's grade is hidden (not released); the weeks' are released.
    row = student("A, B", 3, *(cell(v, i == 2) for i, v in enumerate(cells)))
    rows = parsed(export([WEEK_1, WEEK_2, ESSAY], [row]))
    assert rows[0][-6:] == TOTALS
    assert rows[3][-6:] == totals


def test_score_percentage_rounds_half_up():
    column = Column(12, "Long", D(800), False)
    rows = parsed(export([column], [student("A, B", 3, Cell(D(1)))]))
    assert rows[2][-6:] == ["1.00", "1.00", "0.13", "0.13", "0.13", "0.13"]  # 0.125 %


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised_in_every_cell(start):
    column = Column(12, f"{start}Week", D(10), False)
    row = student(
        f"{start}HYPERLINK(1)", 3, Cell(D(1)), sis=f"{start}S", login=f"{start}L",
        section=f"{start}Sec",
    )  # fmt: skip
    rows = parsed(export([column], [row]))
    assert rows[0][5] == f"'{start}Week (12)"
    assert rows[2][:6] == [
        f"'{start}HYPERLINK(1)", "3", f"'{start}S", f"'{start}L", f"'{start}Sec", "1.00",
    ]  # fmt: skip


def test_harmless_text_is_left_alone():
    rows = parsed(export([WEEK_1], [student("O'Brien, Bob-Ray", 3, Cell(None), section="A=B")]))
    assert rows[2][0] == "O'Brien, Bob-Ray"
    assert rows[2][4] == "A=B"


def test_output_is_valid_csv_with_a_constant_column_count():
    awkward = ['Quote "this", please', "Line\nbreak", "Ünïcödé, 名前", "\r\nStarts with CR"]
    students = [student(name, i, Cell(D(i)), Cell(None)) for i, name in enumerate(awkward)]
    text = export([WEEK_1, ESSAY], students)
    assert all(line.endswith("\r\n") for line in gradebook_lines(columns=[WEEK_1], students=[]))
    rows = parsed(text)
    assert len(rows) == 3 + len(awkward)
    assert {len(row) for row in rows} == {5 + 2 + 6}
    assert [row[0] for row in rows[3:]] == [*awkward[:3], "'\r\nStarts with CR"]


class OnceIterable:
    """Students that can be walked once; counts how many were handed out."""

    def __init__(self, count):
        self.count, self.given, self.walked = count, 0, False

    def __iter__(self):
        if self.walked:
            raise AssertionError("students iterated twice")
        self.walked = True
        for i in range(self.count):
            self.given += 1
            yield student(f"Student {i:03}", i, Cell(D(1)))


def test_students_are_streamed_lazily_and_iterated_once():
    students = OnceIterable(100)
    lines = gradebook_lines(columns=[WEEK_1], students=students)
    assert students.given == 0
    assert next(lines).startswith("Student,ID,")
    assert next(lines).startswith("    Points Possible,")
    assert students.given == 0
    assert next(lines).startswith("Student 000,0,")
    assert students.given == 1
    assert len(list(lines)) == 99
    assert students.given == 100


def test_a_student_with_the_wrong_number_of_cells_is_a_programming_error():
    with pytest.raises(ValueError, match="Student 3 has 1 cells"):
        export([WEEK_1, WEEK_2], [student("A, B", 3, Cell(None))])


# Reading: round trip


def test_exported_file_reads_back_with_no_changes():
    title = Column(16, "=Khrushchev (1956)", D(10), True)
    columns = [WEEK_1, WEEK_2, ESSAY, title]
    grades = {
        3: (Cell(D("8.5")), Cell(None, is_excused=True), Cell(None), Cell(D(10))),
        4: (Cell(D(0)), Cell(D("5.5")), Cell(D("19.99")), Cell(None)),
        5: (Cell(None), Cell(None), Cell(None), Cell(None)),
    }
    names = {3: "-Ames, Ada", 4: '=HYPERLINK("x"), Ben', 5: "Cole,\nCleo"}
    students = [student(names[i], i, *cells, section="@A") for i, cells in grades.items()]
    data = "".join(gradebook_lines(columns=columns, students=students)).encode()
    current = {
        (user_id, column.prompt_id): cell
        for user_id, cells in grades.items()
        for column, cell in zip(columns, cells, strict=True)
        if cell != Cell(None)
    }

    preview = read_scores(data=data, columns=columns, current=current, student_ids=grades)

    assert preview.errors == ()
    assert preview.changes == ()
    assert preview.unchanged == 6
    assert preview.ignored_columns == ("SIS User ID", "Section", *TOTALS)


def test_changes_name_the_row_and_old_and_new_grades():
    current = {(3, 12): Cell(D(7)), (4, 13): Cell(D(2), is_excused=True)}
    preview = read(sheet("Ames,3,,,,9,", "Bell,4,,,, 5.5 ,ex", "Cole,5,,,,EX,0"), current=current)
    assert preview.errors == ()
    assert preview.changes == (
        Change(2, 3, 12, Cell(D(7)), Cell(D("9.00"))),
        Change(3, 4, 12, Cell(None), Cell(D("5.50"))),
        Change(4, 5, 12, Cell(None), Cell(None, is_excused=True)),
        Change(4, 5, 13, Cell(None), Cell(D("0.00"))),
    )
    assert preview.unchanged == 1  # Bell's "ex" on an already excused grade


def test_empty_cell_leaves_a_grade_unchanged():
    preview = read(sheet("Ames,3,,,,,  "), current={(3, 12): Cell(D(7)), (3, 13): Cell(D(1))})
    assert preview.changes == ()
    assert preview.errors == ()
    assert preview.unchanged == 0


def test_equal_scores_written_differently_are_unchanged():
    current = {(3, 12): Cell(D("8.5")), (3, 13): Cell(D(5))}
    preview = read(sheet("Ames,3,,,,8.50,5."), current=current)
    assert preview.changes == ()
    assert preview.unchanged == 2


def test_a_number_replaces_an_excused_grade():
    preview = read(sheet("Ames,3,,,,4,"), current={(3, 12): Cell(D(4), is_excused=True)})
    assert preview.changes == (Change(2, 3, 12, Cell(D(4), True), Cell(D("4.00"))),)


def test_marker_rows_are_skipped_in_any_case_and_spacing():
    text = sheet() + "manual posting,,,,,,Manual Posting,,,,\r\n"
    text += "Points Possible ,,,,,10.00,5.50,(read only),(read only),(read only),(read only)\r\n"
    text += "  MANUAL POSTING,,,,,,,,,,\r\n" + "Ames,3,,,,1,,,,,\r\n"
    preview = read(text)
    assert preview.errors == ()
    assert [(c.row_number, c.user_id) for c in preview.changes] == [(5, 3)]


def test_row_numbers_are_file_lines_across_blank_lines_and_multiline_cells():
    text = HEADER + '\r\n\r\n"Ames,\r\nAda",3,,,,1,,,,,\r\nBell,99,,,,,,,,,\r\n'
    preview = read(text)
    assert preview.changes[0].row_number == 3
    assert preview.errors == ()
    assert preview.warnings == (
        RowError(
            5,
            "Row 5: no student with ID 99 in this course now; the row changes nothing, so it "
            "is skipped.",
        ),
    )


def test_neutralised_header_cells_are_read_back_without_the_quote():
    text = HEADER.replace("Week 1", "'=Week 1") + ",'=Notes,'-'\r\nAmes,3,,,,2,,,,,,x,y\r\n"
    preview = read(text)
    assert preview.errors == ()
    assert preview.changes[0].new == Cell(D(2))
    assert preview.ignored_columns[-2:] == ("=Notes", "-'")


def test_prompt_columns_missing_from_the_file_are_fine():
    text = "ID,Student,Week 2 (13)\r\n4,Bell,3\r\n"
    preview = read(text)
    assert preview.changes == (Change(2, 4, 13, Cell(None), Cell(D(3))),)
    assert preview.ignored_columns == ()


# Reading: rows in error


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", '"abc" is not a number for "Week 1 (12)".'),
        ("NaN", '"NaN" is not a number for "Week 1 (12)".'),
        ("Infinity", '"Infinity" is not a number for "Week 1 (12)".'),
        ("inf", '"inf" is not a number for "Week 1 (12)".'),
        ("1e3", '"1e3" is not a number for "Week 1 (12)".'),
        # Canvas reads the last separator as the decimal point: "1,000" is 1.000.
        ('"1,000"', '"1,000" for "Week 1 (12)" has more than two decimal places.'),
        ("+5", '"+5" is not a number for "Week 1 (12)".'),
        ("8%", '"8%" is not a number for "Week 1 (12)".'),
        ("-0", '"-0" for "Week 1 (12)" is negative; scores cannot be negative.'),
        ("-1.5", '"-1.5" for "Week 1 (12)" is negative; scores cannot be negative.'),
        ("8.555", '"8.555" for "Week 1 (12)" has more than two decimal places.'),
        ("10.01", '10.01 for "Week 1 (12)" is out of range; scores must be between 0 and 10.'),
        ("1" * 60, "is out of range; scores must be between 0 and 10."),
    ],
)
def test_bad_scores_are_reported_on_their_row(value, message):
    preview = read(sheet("Ames,3,,,,1,2", f"Bell,4,,,,{value},"))
    assert len(preview.errors) == 1
    assert preview.errors[0].row_number == 3
    assert preview.errors[0].message.startswith("Row 3: ")
    assert message in preview.errors[0].message
    assert [change.user_id for change in preview.changes] == [3, 3]


def test_out_of_range_states_a_fractional_maximum():
    preview = read(sheet("Ames,3,,,,,5.51"))
    assert preview.errors == (
        RowError(
            2, 'Row 2: 5.51 for "Week 2 (13)" is out of range; scores must be between 0 and 5.5.'
        ),
    )


def test_points_possible_itself_and_zero_are_accepted():
    preview = read(sheet("Ames,3,,,,10,0"))
    assert preview.errors == ()
    assert [change.new for change in preview.changes] == [Cell(D(10)), Cell(D(0))]


def test_a_row_with_any_error_contributes_no_changes():
    preview = read(sheet("Ames,3,,,,9,abc", "Bell,4,,,,9,"))
    assert [error.row_number for error in preview.errors] == [2]
    assert [change.user_id for change in preview.changes] == [4]


def test_every_error_of_a_row_is_listed():
    preview = read(sheet("Ames,99,,,,x,-1"))
    assert [error.message.split(":")[0] for error in preview.errors] == ["Row 2"] * 3
    assert preview.errors[0].message == "Row 2: no student with ID 99 in this course."


@pytest.mark.parametrize(
    ("student_id", "message"),
    [
        ("99", "Row 3: no student with ID 99 in this course."),
        ("abc", 'Row 3: "abc" is not a student ID.'),
        ("3.0", 'Row 3: "3.0" is not a student ID.'),
        ("", "Row 3: the ID and SIS Login ID cells are empty."),
        ("9" * 40, 'Row 3: "' + "9" * 40 + '" is not a student ID.'),
    ],
)
def test_bad_student_ids_are_reported(student_id, message):
    preview = read(sheet("Ames,4,,,,1,", f"Bell,{student_id},,,,2,"))
    assert preview.errors == (RowError(3, message),)
    assert [change.user_id for change in preview.changes] == [4]


def test_a_student_on_two_rows_gets_no_changes_from_either():
    rows = ["Ames,3,,,,1,", "Bell,4,,,,2,", "Ames again,3,,,,3,", "Ames thrice,3,,,,,"]
    preview = read(sheet(*rows))
    assert preview.errors == (
        RowError(4, "Row 4: student 3 appears twice (first on row 2)."),
        RowError(5, "Row 5: student 3 appears again (first on row 2)."),
    )
    assert [change.user_id for change in preview.changes] == [4]


def test_short_rows_are_read_as_padded_and_long_ones_only_if_the_extra_cells_are_empty():
    # Canvas's own fixtures (spec/fixtures/gradebooks/*.csv) have rows shorter than the header.
    text = sheet("Ames,3,,,,1,") + "Bell,4,,,,2\r\n" + "Cole,5,,,,3,,,,,,,,,\r\n"
    text += "Dean,6,,,,4,,,,,,,,,x\r\n"
    preview = read(text, student_ids=(3, 4, 5, 6))
    assert preview.errors == (RowError(5, "Row 5: it has 15 cells, not 13."),)
    assert [change.user_id for change in preview.changes] == [3, 4, 5]


# Reading: files refused whole


def test_utf8_bom_is_accepted():
    preview = read("\ufeff" + sheet("Zoë,3,,,,1,"))
    assert preview.errors == ()
    assert len(preview.changes) == 1


def test_latin1_is_refused():
    with pytest.raises(ImportFileError, match=r"^The file is not UTF-8 text\."):
        read(sheet("Zoë,3,,,,1,").encode("latin-1"))


def test_nul_bytes_are_refused():
    with pytest.raises(ImportFileError, match="NUL bytes"):
        read(sheet("Ames,3,,,,1,").encode("utf-16"))


def test_files_over_the_limit_are_refused():
    data = sheet("Ames,3,,,,1,").encode()
    assert read(data, max_bytes=len(data)).changes
    with pytest.raises(ImportFileError, match=r"^The file is larger than 99 bytes"):
        read(data, max_bytes=99)


def test_default_limit_is_two_megabytes():
    # Blank lines, not one huge cell, which the csv module refuses on its own.
    room = 2_000_000 - len(HEADER) - 2
    padding = HEADER + "\r\n" + (" " * 98 + "\r\n") * (room // 100) + " " * (room % 100)
    assert len(padding.encode()) == 2_000_000
    assert read(padding).changes == ()
    with pytest.raises(ImportFileError, match=r"^The file is larger than 2 MB, "):
        read(padding + " ")


@pytest.mark.parametrize("text", ["", "\r\n\r\n", " , ,\r\n"])
def test_empty_files_are_refused(text):
    with pytest.raises(ImportFileError, match=r"^The file is empty\.$"):
        read(text)


@pytest.mark.parametrize(
    "header", ["Name,Week 1 (12)", "Student,Week 1 (12)", "Student,Section,SIS User ID,Week 1 (12)"]
)
def test_a_header_with_no_column_to_match_students_by_is_refused(header):
    with pytest.raises(ImportFileError) as error:
        read(header + "\r\nAmes,3,1\r\n")
    assert str(error.value).startswith(
        'The first row has no "ID" or "SIS Login ID" column (as in a Canvas gradebook export) '
        'and no "Email address" column (as in a Moodle grade export)'
    )


def test_a_prompt_from_elsewhere_is_refused_by_name():
    with pytest.raises(ImportFileError) as error:
        read("Student,ID,Week 1 (12),Other course (77)\r\n")
    assert str(error.value) == (
        'The column "Other course (77)" is for a prompt that is not in this course. '
        "Was the file exported from another course?"
    )


def test_duplicate_headers_are_refused():
    with pytest.raises(ImportFileError, match=r'^The column "Section" appears twice'):
        read("Student,ID,Section,Week 1 (12),Section\r\n")


def test_two_columns_for_one_prompt_are_refused():
    with pytest.raises(ImportFileError, match=r"^Two columns are for the same prompt \(12\)\."):
        read("Student,ID,Week 1 (12),Renamed (12)\r\n")


def test_invalid_csv_is_refused_with_its_line():
    with pytest.raises(ImportFileError, match=r"^Line 2 is not valid CSV"):
        read(HEADER + '\r\nAmes,"3' + "x" * 200_000 + '"\r\n')
