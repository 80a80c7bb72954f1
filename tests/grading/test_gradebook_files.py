"""Gradebook files exactly as Canvas and Moodle write them, read by the importer (on plain data):
Canvas's own spec fixtures verbatim, files laid out as Canvas's exporter writes them today
(lib/gradebook_exporter.rb), Moodle's import test data verbatim
(grade/import/csv/tests/load_data_test.php) and Moodle's plain text export
(grade/export/txt), and our Moodle export read back."""

from decimal import Decimal

import pytest

from discussions.grading.gradebook_csv import Cell, Column, StudentRow, moodle_lines
from discussions.grading.gradebook_reading import Change, ImportFileError, RowError, read_scores

D = Decimal
ASSIGNMENT_1 = Column(12, "Assignment 1", D(10), is_unreleased=False)
WEEK_1 = Column(31, "Week 1", D(10), is_unreleased=False)
ESSAY = Column(32, "Essay", D(20), is_unreleased=True)


def read(text, columns, student_ids, current=None, emails=None):
    return read_scores(
        data=text.encode(),
        columns=columns,
        current=current or {},
        student_ids=student_ids,
        emails=emails or {},
    )


# Canvas's spec fixtures, verbatim (instructure/canvas-lms, spec/fixtures/gradebooks/).

BASIC_COURSE_WITH_SIS_LOGIN_ID = (
    "Student,ID,SIS Login ID,Section,Assignment 1,Comments,Final Score (read only)\n"
    "Points Possible,,,,,\n"
    '"Blend, Bill",6,My Course,-,,\n'
    '"Farner, Todd",4,My Course,-,,\n'
    '"Gobesby, Heather",5,My Course,-,,\n'
    '"Miller, Arthur",1,My Course,-,,\n'
    '"Mills, Stacy",3,My Course,-,,\n'
    '"Moore, Michael",7,My Course,-,,\n'
    '"Robesby, William",2,My Course,-,,'
)
LAST_AND_FIRST_NAMES = (
    "LastName,FirstName,ID,SIS Login ID,Section,Assignment 1,Comments,Final Score (read only)\n"
    "Points Possible,,,,,,\n"
    '"Blend","Bill",6,My Course,-,,,\n'
    '"Farner","Todd",4,My Course,-,,,\n'
    '"Gobesby","Heather",5,My Course,-,,,\n'
    '"Miller","Arthur",1,My Course,-,,,\n'
    '"Mills","Stacy",3,My Course,-,,,\n'
    '"Moore","Michael",7,My Course,-,,,\n'
    '"Robesby","William",2,My Course,-,,,\n'
)


@pytest.mark.parametrize("text", [BASIC_COURSE_WITH_SIS_LOGIN_ID, LAST_AND_FIRST_NAMES])
def test_canvas_fixture_files_with_short_rows_are_read_and_change_nothing(text):
    preview = read(text, [ASSIGNMENT_1], student_ids=range(1, 8))
    assert preview.errors == () and preview.warnings == ()
    assert preview.changes == () and preview.unchanged == 0
    # "Assignment 1" has no ID: matched by its title, as Canvas's parse_assignments falls back.
    assert preview.ignored_columns == ("Section", "Comments", "Final Score (read only)")
    assert preview.layout == "Canvas gradebook, cells separated by commas"


def test_canvas_fixture_rows_are_scored_once_the_assignment_cells_are_filled():
    text = BASIC_COURSE_WITH_SIS_LOGIN_ID.replace('"Blend, Bill",6,My Course,-,,', '"B",6,x,-,7,')
    preview = read(text, [ASSIGNMENT_1], student_ids=range(1, 8))
    assert preview.changes == (Change(3, 6, 12, Cell(None), Cell(D("7.00"))),)


def test_canvas_muted_row_from_its_importer_spec_is_skipped_wherever_it_is():
    # gradebook_importer_spec.rb, "should handle muted line and being sorted in weird places".
    text = "\n".join(
        [
            "Student,ID,Section,Assignment 1,Final Score",
            '"Blend, Bill",6,My Course,-,',
            "Points Possible,,,10,",
            ", ,,Muted,",
            '"Farner, Todd",4,My Course,8,',
        ]
    )
    preview = read(text, [ASSIGNMENT_1], student_ids=(4, 6))
    assert preview.errors == ()
    assert preview.changes == (Change(5, 4, 12, Cell(None), Cell(D("8.00"))),)


# Files laid out as Canvas's exporter writes them today.

CANVAS_HEADER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Week 1 (31),Essay (32),Current Points,"
    "Final Points,Current Score,Unposted Current Score,Final Score,Unposted Final Score"
)


def test_a_canvas_export_with_hidden_grades_na_and_dashes_is_read():
    text = "\r\n".join(
        [
            CANVAS_HEADER,
            ",,,,,,Manual Posting,,,,,,",
            "    Points Possible,,,,,10.00,20.00,(read only),(read only),(read only),"
            "(read only),(read only),(read only)",
            '"Ames, Ada",3,,ada@example.edu,HIST 274,9.00,N/A,9.00,9.00,90.00,90.00,30.00,30.00',
            '"Bell, Ben",4,,ben@example.edu,HIST 274,-,15.50,0.00,0.00,,,0.00,51.67',
            '"Cole, Cleo",5,,cleo@example.edu,HIST 274,EX,-,,,,,,',
        ]
    )
    current = {(4, 32): Cell(D(15))}
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3, 4, 5), current=current)
    assert preview.errors == ()
    assert preview.changes == (
        Change(4, 3, 31, Cell(None), Cell(D("9.00"))),
        Change(5, 4, 32, Cell(D(15)), Cell(D("15.50"))),
        Change(6, 5, 31, Cell(None), Cell(None, is_excused=True)),
    )


def test_older_canvas_files_with_manual_posting_suffixes_and_muted_markers_are_skipped():
    text = "\r\n".join(
        [
            "Student,ID,Section,Week 1 (31),Essay (32)",
            ",,,Muted,Manual Posting (scores hidden from instructors)",
            "Ames,3,,1,2",
        ]
    )
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3,))
    assert preview.errors == () and len(preview.changes) == 2


def test_semicolons_and_decimal_commas_as_canvas_writes_for_some_locales():
    text = "\r\n".join(
        [
            "Student;ID;SIS Login ID;Section;Week 1 (31);Essay (32);Current Score;Final Score",
            "    Points Possible;;;;10,00;20,00;(read only);(read only)",
            '"Ames, Ada";3;ada@example.edu;HIST 274;8,50;1.234,5;85,00;28,33',
            '"Bell, Ben";4;ben@example.edu;HIST 274;10;19,99;;',
        ]
    )
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3, 4))
    assert preview.layout == "Canvas gradebook, cells separated by semicolons"
    assert preview.errors == (
        RowError(3, 'Row 3: 1.234,5 for "Essay (32)" is out of range; scores must be between '
                 "0 and 20."),
    )  # fmt: skip
    assert [(c.user_id, c.new.score) for c in preview.changes] == [(4, D(10)), (4, D("19.99"))]


def test_a_semicolon_file_whose_rows_are_short_is_still_read_by_semicolons():
    # No delimiter splits the lines alike: the one that splits the header most is taken.
    text = 'Student;ID;Section;Week 1 (31);Essay (32)\r\n"Ames, Ada";3;;7,5\r\n"Bell, B";4\r\n'
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3, 4))
    assert preview.layout == "Canvas gradebook, cells separated by semicolons"
    assert preview.errors == ()
    assert preview.changes == (Change(2, 3, 31, Cell(None), Cell(D("7.50"))),)


def test_tab_separated_files_are_read_too():
    text = "Student\tID\tWeek 1 (31)\r\nAmes\t3\t7,5\r\n"
    preview = read(text, [WEEK_1], student_ids=(3,))
    assert preview.layout == "Canvas gradebook, cells separated by tabs"
    assert [c.new.score for c in preview.changes] == [D("7.50")]


def test_an_empty_id_is_matched_by_sis_login_id_as_canvas_does():
    text = f"{CANVAS_HEADER}\r\n" + '"Ames, Ada",,,ADA@Example.edu,,4,,,,,,,\r\n'
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3,), emails={"ada@example.edu": 3})
    assert preview.changes == (Change(2, 3, 31, Cell(None), Cell(D("4.00"))),)
    unknown = read(text, [WEEK_1, ESSAY], student_ids=(3,), emails={})
    assert unknown.errors == (
        RowError(2, 'Row 2: no student with the SIS Login ID "ADA@Example.edu" in this course.'),
    )


def test_a_row_left_over_for_a_former_student_is_skipped_with_a_warning_if_it_changes_nothing():
    text = "\r\n".join(
        [
            CANVAS_HEADER,
            '"Ames, Ada",3,,,,5.00,,,,,,,',
            '"Gone, Greta",8,,,,7.00,N/A,,,,,,',  # her grade, unchanged
            '"Left, Lee",,,lee@example.edu,,,,,,,,,',  # nothing filled in
            '"Stranger, Sam",99,,,,,-,,,,,,',
        ]
    )
    current = {(8, 31): Cell(D(7))}
    preview = read(
        text, [WEEK_1, ESSAY], student_ids=(3,), current=current,
        emails={"lee@example.edu": 9},
    )  # fmt: skip
    assert preview.errors == ()
    assert [change.user_id for change in preview.changes] == [3]
    assert [warning.message for warning in preview.warnings] == [
        "Row 3: no student with ID 8 in this course now; the row changes nothing, so it is "
        "skipped.",
        'Row 4: no student with the SIS Login ID "lee@example.edu" in this course now; the row '
        "changes nothing, so it is skipped.",
        "Row 5: no student with ID 99 in this course now; the row changes nothing, so it is "
        "skipped.",
    ]
    changed = read(
        text.replace(",8,,,,7.00,", ",8,,,,6.00,"), [WEEK_1, ESSAY], student_ids=(3,),
        current=current,
    )  # fmt: skip
    assert changed.errors == (RowError(3, "Row 3: no student with ID 8 in this course."),)


def test_a_real_course_column_for_a_prompt_not_in_this_course_is_refused_by_name():
    text = (
        "Student,ID,SIS User ID,SIS Login ID,Section,Discussion 1 (48213),Week 1 (31),"
        "Current Score (Fall 2026),Unposted Final Score (2026)\r\n"
    )
    with pytest.raises(ImportFileError) as error:
        read(text, [WEEK_1], student_ids=(3,))
    assert str(error.value) == (
        'The column "Discussion 1 (48213)" is for a prompt that is not in this course. '
        "Was the file exported from another course?"
    )
    # Totals per grading period end in "(…)" too, but are never taken for prompts.
    preview = read(text.replace("Discussion 1 (48213),", ""), [WEEK_1], student_ids=(3,))
    assert preview.ignored_columns[-2:] == (
        "Current Score (Fall 2026)",
        "Unposted Final Score (2026)",
    )


def test_a_title_two_prompts_share_cannot_name_a_column():
    twin = Column(33, "Week 1", D(5), is_unreleased=False)
    with pytest.raises(ImportFileError, match=r'^The column "Week 1" names 2 prompts'):
        read("Student,ID,Week 1\r\n", [WEEK_1, twin], student_ids=(3,))


# Moodle

# moodle/moodle, grade/import/csv/tests/load_data_test.php, $oktext, verbatim.
MOODLE_OKTEXT = """"First name",Surname,"ID number",Institution,Department,"Email address",\
"Assignment: Assignment for grape group", "Feedback: Assignment for grape group",\
"Assignment: Second new grade item","Course total"
Anne,Able,,"Moodle HQ","Rock on!",student7@example.com,56.00,"We welcome feedback",,56.00
Bobby,Bunce,,"Moodle HQ","Rock on!",student5@example.com,75.00,,45.0,75.00"""
GRAPE = Column(41, "Assignment for grape group", D(100), is_unreleased=False)


def test_moodles_own_import_test_data_is_read_by_email_and_activity_title():
    emails = {"student7@example.com": 7, "student5@example.com": 5}
    preview = read(MOODLE_OKTEXT, [GRAPE], student_ids=(5, 7), emails=emails)
    assert preview.layout == "Moodle gradebook, cells separated by commas"
    assert preview.errors == ()
    assert preview.changes == (
        Change(2, 7, 41, Cell(None), Cell(D("56.00"))),
        Change(3, 5, 41, Cell(None), Cell(D("75.00"))),
    )
    assert preview.ignored_columns == (
        "ID number", "Institution", "Department", '"Feedback: Assignment for grape group"',
        "Assignment: Second new grade item", "Course total",
    )  # fmt: skip


def test_moodles_plain_text_export_today_reads_real_columns_only():
    # grade/export/txt: profile fields, "<activity>: <name> (<display type>)" per grade item,
    # "-" for no grade, and the export time last.
    text = "\n".join(
        [
            '"First name","Last name","ID number",Institution,Department,"Email address",'
            '"Forum: Week 1 (Real)","Forum: Week 1 (Percentage)","Essay (32) (Real)",'
            '"Course total (Real)","Last downloaded from this course"',
            'Ada,Ames,,,,ada@example.edu,8.50,"85.00 %",-,8.50,1764470000',
            "Ben,Bell,,,,ben@example.edu,-,-,12.00,12.00,1764470000",
        ]
    )
    emails = {"ada@example.edu": 3, "ben@example.edu": 4}
    preview = read(text, [WEEK_1, ESSAY], student_ids=(3, 4), emails=emails)
    assert preview.errors == ()
    assert preview.changes == (
        Change(2, 3, 31, Cell(None), Cell(D("8.50"))),
        Change(3, 4, 32, Cell(None), Cell(D("12.00"))),
    )
    assert "Forum: Week 1 (Percentage)" in preview.ignored_columns


def test_a_moodle_row_without_an_email_is_reported():
    text = '"First name","Last name","Email address","Forum: Week 1 (Real)"\nAda,Ames,,8\n'
    preview = read(text, [WEEK_1], student_ids=(3,))
    assert preview.errors == (RowError(2, "Row 2: the Email address cell is empty."),)


def test_our_moodle_export_is_plain_and_reads_back_unchanged():
    students = [
        StudentRow("Ames, Ada", 3, "", "ada@example.edu", "HIST 274",
                   (Cell(D("8.5")), Cell(None, is_excused=True))),
        StudentRow("=Bell, Ben", 4, "", "ben@example.edu", "HIST 274", (Cell(None), Cell(D(20)))),
    ]  # fmt: skip
    lines = list(moodle_lines(columns=[WEEK_1, ESSAY], students=students))
    assert lines == [
        "First name,Last name,Email address,Week 1 (31),Essay (32)\r\n",
        "Ada,Ames,ada@example.edu,8.50,\r\n",
        "Ben,'=Bell,ben@example.edu,,20.00\r\n",
    ]
    current = {(3, 31): Cell(D("8.5")), (3, 32): Cell(None, is_excused=True), (4, 32): Cell(D(20))}
    emails = {"ada@example.edu": 3, "ben@example.edu": 4}
    preview = read("".join(lines), [WEEK_1, ESSAY], (3, 4), current=current, emails=emails)
    assert preview.errors == () and preview.changes == ()
    assert preview.unchanged == 2
