"""The participation charts: the right numbers in the table and caption, and an SVG that parses
as XML, names its parts for screen readers and carries any display name only as text."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discussions.grading.charts import posts_over_time, reply_matrix, score_histogram

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert(1)</script>",
    '"onload="x',
    "&amp;",
    "Клеопатра",
    "שלום עולם",
    "مرحبا",
    "a' onmouseover='b",
]
ALLOWED_TAGS = {"svg", "title", "desc", "line", "rect", "text"}


def parse(chart):
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{NS}svg"
    return root


def texts(root):
    """Each <text>'s whole content: a shortened name's full form is in its <title>."""
    found = []
    for el in root.iter(f"{NS}text"):
        tip = el.find(f"{NS}title")
        found.append(tip.text if tip is not None else el.text or "")
    return found


def bars(root, cls="chart__bar"):
    return [el for el in root.iter(f"{NS}rect") if cls in el.get("class", "").split()]


def as_xml_text(text):
    """What a name should read as, written independently of the module: the characters XML 1.0
    allows, with runs of XML whitespace as one space."""
    ok = "".join(
        c
        for c in text
        if c in "\t\n\r"
        or 0x20 <= ord(c) <= 0xD7FF
        or 0xE000 <= ord(c) <= 0xFFFD
        or ord(c) >= 0x10000
    )
    return " ".join(part for part in re.split("[\t\n\r ]+", ok) if part)


def assert_safe(root):
    for el in root.iter():
        assert el.tag.removeprefix(NS) in ALLOWED_TAGS, el.tag
        for name in el.attrib:
            assert not name.lower().startswith("on"), name
            assert name not in {"style", "href", "{http://www.w3.org/1999/xlink}href"}, name


def matrix(names, counts=None, title="Who replied to whom"):
    return reply_matrix(names=names, counts=counts or {}, title=title)


# Score histogram


def test_scores_on_bin_edges_fall_into_the_upper_bin_and_the_maximum_into_the_last():
    chart = score_histogram(
        scores=[D("0"), D("0.99"), D("1"), D("5"), D("9.99"), D("10")],
        points_possible=D("10"),
        title="Prompt 1",
    )
    counts = dict(chart.rows)
    assert chart.headers == ("Score", "Students")
    assert len(chart.rows) == 10
    assert chart.rows[0] == ("0\u20131", "2")  # 0 and 0.99
    assert counts["1\u20132"] == "1"
    assert counts["4\u20135"] == "0"
    assert counts["5\u20136"] == "1"
    assert counts["9\u201310"] == "2"  # 9.99 and the maximum 10
    assert len(bars(parse(chart))) == 4


def test_edges_that_do_not_divide_evenly_are_exact_and_shown_with_two_decimals():
    chart = score_histogram(
        scores=[D("3.33"), D("3.34"), D("6.66"), D("6.67")],
        points_possible=D("10"),
        title="Thirds",
        bins=3,
    )
    assert chart.rows == (("0\u20133.33", "1"), ("3.33\u20136.67", "2"), ("6.67\u201310", "1"))


def test_quarter_bins_put_a_score_on_a_boundary_above_it():
    chart = score_histogram(
        scores=[D("2.49"), D("2.5"), D("7.5")], points_possible=D("10.00"), title="Q", bins=4
    )
    assert [count for _, count in chart.rows] == ["1", "1", "0", "1"]
    assert [label for label, _ in chart.rows] == [
        "0\u20132.5",
        "2.5\u20135",
        "5\u20137.5",
        "7.5\u201310",
    ]


def test_a_boundary_that_floats_would_round_down_stays_in_the_upper_bin():
    # 1.65 * 4 / 2.2 is 2.9999999999999996 in binary floating point.
    chart = score_histogram(scores=[D("1.65")], points_possible=D("2.2"), title="F", bins=4)
    assert chart.rows[3] == ("1.65\u20132.2", "1")


def test_a_median_that_rounds_to_zero_reads_0_not_minus_0():
    chart = score_histogram(scores=[D("-0.001")], points_possible=D("5"), title="Z")
    assert chart.caption.endswith("median 0.")


def test_scores_outside_the_range_clamp_to_the_first_and_last_bins():
    chart = score_histogram(
        scores=[D("-1"), D("12"), D("10.01")], points_possible=D("10"), title="Odd"
    )
    assert chart.rows[0][1] == "1"
    assert chart.rows[-1][1] == "2"
    assert sum(int(count) for _, count in chart.rows) == 3


def test_caption_counts_students_and_gives_the_median_without_trailing_zeros():
    scores = [D("8.00")] * 13 + [D("6.5")] * 11
    chart = score_histogram(scores=scores, points_possible=D("10.00"), title="Prompt 2")
    assert chart.caption == "Scores of 24 graded students out of 10 points; median 8."
    root = parse(chart)
    assert root.find(f"{NS}desc").text == chart.caption


def test_caption_for_one_student_and_a_median_between_two_decimal_scores():
    one = score_histogram(scores=[D("7.50")], points_possible=D("7.5"), title="A")
    assert one.caption == "Scores of 1 graded student out of 7.5 points; median 7.5."
    two = score_histogram(scores=[D("7.25"), D("8")], points_possible=D("1"), title="B")
    assert two.caption == "Scores of 2 graded students out of 1 point; median 7.63."


def test_no_scores_means_no_bars_no_rows_and_a_caption_that_says_so():
    chart = score_histogram(scores=[], points_possible=D("10"), title="Nothing yet")
    assert chart.caption == "No graded scores yet (out of 10 points)."
    assert chart.rows == ()
    assert bars(parse(chart)) == []


def test_zero_points_possible_puts_every_score_in_one_bin():
    chart = score_histogram(
        scores=[D("0"), D("0"), D("3")], points_possible=D("0"), title="Ungraded", bins=10
    )
    assert chart.rows == (("0", "3"),)
    assert len(bars(parse(chart))) == 1


# Posts over time


DAYS = [(date(2024, 11, 3), 5, 2), (date(2024, 11, 4), 0, 4), (date(2024, 11, 6), 3, 0)]


def test_posts_table_has_one_row_per_given_day_and_nothing_filled_in():
    chart = posts_over_time(days=DAYS, title="Posts")
    assert chart.headers == ("Day", "Responses", "Replies", "Total")
    assert chart.rows == (
        ("Nov 3", "5", "2", "7"),
        ("Nov 4", "0", "4", "4"),
        ("Nov 6", "3", "0", "3"),
    )
    assert chart.caption == (
        "8 responses and 6 replies on 3 days, Nov 3 to Nov 6; most on Nov 3 (7 posts)."
    )


def test_responses_and_replies_are_stacked_as_two_kinds_of_bar():
    root = parse(posts_over_time(days=DAYS, title="Posts"))
    assert len(bars(root, "chart__bar--replies")) == 2 + 1  # two days with replies, the legend
    assert len(bars(root)) == (2 + 2) + 2  # days with responses, days with replies, legend


def _due_line(root):
    return [el for el in root.iter(f"{NS}line") if el.get("class") == "chart__due"]


def _label_x(root, label):
    return next(float(el.get("x")) for el in root.iter(f"{NS}text") if el.text == label)


def test_due_line_stands_on_the_due_days_bar():
    root = parse(posts_over_time(days=DAYS, title="Posts", due=date(2024, 11, 4)))
    (line,) = _due_line(root)
    assert float(line.get("x1")) == pytest.approx(_label_x(root, "Nov 4"), abs=0.1)
    assert "due" in texts(root)


def test_due_day_without_posts_stands_on_its_own_day_between_its_neighbours():
    chart = posts_over_time(days=DAYS, title="Posts", due=date(2024, 11, 5))
    root = parse(chart)
    x = float(_due_line(root)[0].get("x1"))
    assert _label_x(root, "Nov 4") < x < _label_x(root, "Nov 6")
    assert x == pytest.approx(_label_x(root, "Nov 5"), abs=0.1)
    assert chart.caption.endswith(" Due Nov 5.")


def test_no_due_date_no_due_line():
    root = parse(posts_over_time(days=DAYS, title="Posts"))
    assert _due_line(root) == []
    assert "due" not in texts(root)


def test_no_days_is_an_empty_chart_that_still_parses():
    chart = posts_over_time(days=[], title="Posts", due=date(2024, 11, 5))
    assert chart.rows == ()
    assert chart.caption == "No posts yet. Due Nov 5."
    root = parse(chart)
    assert len(bars(root)) == 2 and len(bars(root, "chart__bar--replies")) == 1  # the legend
    assert len(_due_line(root)) == 1


# Reply matrix


def test_small_group_table_is_a_matrix_of_who_replied_to_whom():
    chart = matrix(["Ada", "Ben", "Cleo"], {(0, 1): 3, (1, 0): 1, (2, 0): 2, (2, 1): 0})
    assert chart.headers == ("Replied", "Ada", "Ben", "Cleo")
    assert chart.rows == (("Ada", "0", "3", "0"), ("Ben", "1", "0", "0"), ("Cleo", "2", "0", "0"))
    assert chart.caption == (
        "6 replies among 3 people; Ada replied most (3) and Ada received most (3)."
    )


def test_every_non_zero_cell_prints_its_number():
    root = parse(matrix(["Ada", "Ben", "Cleo"], {(0, 1): 3, (1, 0): 1, (2, 0): 7}))
    shaded = bars(root, "chart__cell")
    filled = [el for el in shaded if "chart__cell--empty" not in el.get("class")]
    assert len(shaded) == 9
    assert len(filled) == 3
    assert {"3", "1", "7"} <= set(texts(root))
    # The darker the cell, the more replies, but never darker than the text can stand on.
    three, one, seven = (float(el.get("fill-opacity")) for el in filled)  # in reading order
    assert 0 < one < three < seven <= 0.7


def test_more_than_25_people_get_a_list_of_pairs_by_count():
    names = [f"P{i}" for i in range(26)]
    chart = matrix(names, {(0, 1): 2, (3, 4): 9, (5, 6): 2, (7, 8): 0})
    assert chart.headers == ("From", "To", "Replies")
    assert chart.rows == (("P3", "P4", "9"), ("P0", "P1", "2"), ("P5", "P6", "2"))


def test_25_people_still_get_the_matrix():
    chart = matrix([f"P{i}" for i in range(25)], {(0, 1): 1})
    assert chart.headers[0] == "Replied"
    assert len(chart.headers) == 26 and len(chart.rows) == 25


def test_the_grid_shows_the_40_most_active_of_more_and_says_so():
    names = [f"P{i}" for i in range(50)]
    # The first ten never reply and are never replied to; everyone else replies once.
    counts = {(i, (i + 1 - 10) % 40 + 10): 1 for i in range(10, 50)}
    chart = matrix(names, counts)
    root = parse(chart)
    shown = [t for t in texts(root) if t.startswith("P")]
    assert shown == names[10:]
    assert "The grid shows the 40 most active" in chart.caption
    assert "among 50 people" in chart.caption
    assert len(chart.rows) == 40  # the table lists every reply, not just the grid's


def test_exactly_40_people_are_all_shown_without_a_note():
    chart = matrix([f"P{i}" for i in range(40)], {(0, 1): 1})
    assert "most active" not in chart.caption
    assert len([t for t in texts(parse(chart)) if t.startswith("P")]) == 40


def test_no_people_or_no_replies():
    nobody = matrix([])
    assert nobody.caption == "No replies yet among 0 people."
    assert nobody.rows == () and nobody.headers == ("Replied",)
    parse(nobody)
    quiet = matrix(["Ada", "Ben"])
    assert quiet.caption == "No replies yet among 2 people."
    assert quiet.rows == ()
    assert len(bars(parse(quiet), "chart__cell--empty")) == 4


def test_a_long_name_is_shortened_on_screen_and_whole_in_its_tooltip():
    long = "Dora Maria Konstantinovna Ivanova"
    root = parse(matrix(["Ada", long], {(1, 0): 1}))
    el = next(el for el in root.iter(f"{NS}text") if el.find(f"{NS}title") is not None)
    assert el.find(f"{NS}title").text == long
    assert el.find(f"{NS}title").tail.endswith("\u2026")
    assert len(el.find(f"{NS}title").tail) == 22


# Every chart: escaping, accessibility, ids


def _every_chart(name):
    return [
        score_histogram(scores=[D("5")], points_possible=D("10"), title=name),
        posts_over_time(days=DAYS, title=name, due=date(2024, 11, 4)),
        matrix(["Ada", name], {(0, 1): 2, (1, 0): 1}, title=name),
    ]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_titles_are_text_and_read_back_unchanged(name):
    for chart in _every_chart(name):
        root = parse(chart)
        assert "<script" not in str(chart.svg)
        assert_safe(root)
        assert root.find(f"{NS}title").text == name
    names_shown = texts(parse(_every_chart(name)[2]))
    assert name in names_shown
    assert name in _every_chart(name)[2].headers


def test_an_ampersand_entity_in_a_name_is_escaped_again():
    svg = str(matrix(["&amp;"], {(0, 0): 1}).svg)
    assert "&amp;amp;" in svg


def test_characters_xml_forbids_are_dropped_and_the_rest_kept():
    name = "An\x00na\ud800 \x0b K\ufffe"
    chart = matrix([name, "Ben"], {(0, 1): 1}, title="Bad\x01 title")
    svg = str(chart.svg)
    svg.encode("utf-8")  # a lone surrogate would make this raise
    root = parse(chart)
    assert "Anna K" in texts(root)
    assert root.find(f"{NS}title").text == "Bad title"
    assert chart.rows[0][0] == "Anna K"


def test_each_chart_labels_itself_with_its_own_title_and_desc():
    for chart in _every_chart("Prompt 4: Khrushchev's speech"):
        root = parse(chart)
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.get("role") == "img"
        assert root.find(f"{NS}title").get("id") == title_id
        assert root.find(f"{NS}desc").get("id") == desc_id
        assert root.find(f"{NS}desc").text == chart.caption
        assert re.fullmatch("[a-z0-9-]+", title_id) and title_id.startswith("chart-prompt-4")


def test_two_charts_with_one_title_have_different_ids():
    first, second = (
        parse(score_histogram(scores=[], points_possible=D(10), title="Same")) for _ in range(2)
    )
    assert first.find(f"{NS}title").get("id") != second.find(f"{NS}title").get("id")
    assert first.find(f"{NS}desc").get("id") != second.find(f"{NS}desc").get("id")


def test_a_title_without_ascii_letters_still_gives_a_valid_id():
    root = parse(posts_over_time(days=[], title="Ответы"))
    assert re.fullmatch("chart-[a-z0-9-]+-title", root.find(f"{NS}title").get("id"))


def test_charts_scale_to_their_container_with_legible_text():
    for chart in _every_chart("Scales"):
        root = parse(chart)
        assert root.get("width") == "100%" and root.get("height") is None
        width = float(root.get("viewBox").split()[2])
        assert width == 600 and int(root.get("font-size")) >= 12


# Any name at all


hostile_text = st.text(st.characters(exclude_categories=()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(hostile_text, min_size=1, max_size=4), title=hostile_text)
def test_any_names_give_well_formed_xml_that_reads_back_as_the_names(names, title):
    counts = {(i, (i + 1) % len(names)): i + 1 for i in range(len(names))}
    for chart in (
        matrix(names, counts, title=title),
        score_histogram(scores=[D("1")], points_possible=D("2"), title=title),
    ):
        str(chart.svg).encode("utf-8")
        root = parse(chart)
        assert_safe(root)
        assert (root.find(f"{NS}title").text or "") == as_xml_text(title)
        assert re.fullmatch("[a-z0-9-]+", root.find(f"{NS}title").get("id"))
    shown = texts(parse(matrix(names, counts)))
    for name in names:
        assert as_xml_text(name) in shown


def test_the_due_line_lands_on_its_day_among_days_without_posts():
    # Posts on Nov 3 and Nov 10, due Nov 6: the days between are on the axis, so the line
    # stands on Nov 6, three slots after Nov 3, not halfway between the two bars.
    days = [(date(2024, 11, 3), 2, 0), (date(2024, 11, 10), 1, 1)]
    chart = posts_over_time(days=days, title="Posts", due=date(2024, 11, 6))
    root = parse(chart)
    x = float(_due_line(root)[0].get("x1"))
    slot = (588 - 44) / 8  # Nov 3 to Nov 10
    assert x == pytest.approx(44 + 3.5 * slot, abs=0.1)
    assert _label_x(root, "Nov 6") == pytest.approx(x, abs=0.1)
    assert chart.rows == (("Nov 3", "2", "0", "2"), ("Nov 10", "1", "1", "2"))  # days with posts


def test_a_due_date_after_the_last_post_extends_the_axis_to_it():
    days = [(date(2024, 11, 3), 2, 0)]
    root = parse(posts_over_time(days=days, title="Posts", due=date(2024, 11, 5)))
    x = float(_due_line(root)[0].get("x1"))
    assert x == pytest.approx(44 + 2.5 * (588 - 44) / 3, abs=0.1)
    assert _label_x(root, "Nov 3") < _label_x(root, "Nov 5") == pytest.approx(x, abs=0.1)
