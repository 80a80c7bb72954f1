"""Times in one place: the formats, calendar arithmetic in a zone, and the thread page's
hand-made formatter giving the filters' text to the letter."""

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from destalin import times
from discussions.thread.markup import thread_times

NEW_YORK = ZoneInfo("America/New_York")
PRAGUE = ZoneInfo("Europe/Prague")


def ny(*args):
    return datetime(*args, tzinfo=NEW_YORK)


def course_in(name):
    return SimpleNamespace(time_zone=name)


def test_one_day_late_across_the_end_of_daylight_saving():
    # Due Sat Oct 31 2026 8:00 PM EDT, posted Sun Nov 1 7:30 PM EST: 24.5 hours later, but
    # before the due time's wall clock on the next day.
    assert times.days_late(ny(2026, 11, 1, 19, 30), ny(2026, 10, 31, 20, 0), NEW_YORK) == 1


def test_two_days_late_across_spring_forward():
    # Due Sat Mar 7 2026 8:00 PM EST, posted Sun Mar 8 8:30 PM EDT: 23.5 hours of absolute
    # time, but past the next day's 8:00 PM on the wall clock.
    assert times.days_late(ny(2026, 3, 8, 20, 30), ny(2026, 3, 7, 20, 0), NEW_YORK) == 2


@pytest.mark.parametrize(
    ("posted", "days"),
    [
        (ny(2026, 10, 31, 20, 0), 0),  # on the minute
        (ny(2026, 10, 31, 20, 1), 1),  # a part of a day counts as one
        (ny(2026, 11, 1, 20, 0), 1),  # exactly one calendar day
        (ny(2026, 11, 1, 20, 0, 1), 2),
        (ny(2026, 11, 3, 9, 0), 3),
        (ny(2026, 10, 30, 9, 0), 0),  # early
    ],
)
def test_days_late_counts_calendar_days_on_the_courses_wall_clock(posted, days):
    assert times.days_late(posted, ny(2026, 10, 31, 20, 0), NEW_YORK) == days


def test_shifting_keeps_the_wall_clock_across_daylight_saving():
    # Thu Dec 10 2026 11:59 PM EST, 140 days on: Thu Apr 29 2027 11:59 PM EDT (as 24-hour
    # blocks it became Fri Apr 30 12:59 AM).
    moved = times.shift_days(ny(2026, 12, 10, 23, 59), 140, NEW_YORK)
    assert moved == ny(2027, 4, 29, 23, 59)
    assert times.show(moved, "deadline", course=course_in("America/New_York")) == (
        "Thu, Apr 29, 11:59 PM EDT"
    )
    assert times.shift_days(ny(2027, 4, 29, 23, 59), -140, NEW_YORK) == ny(2026, 12, 10, 23, 59)


def test_a_wall_clock_time_skipped_by_spring_forward_lands_just_after_it():
    moved = times.shift_days(ny(2026, 3, 7, 2, 30), 1, NEW_YORK)
    assert moved.astimezone(NEW_YORK).strftime("%m-%d %H:%M %Z") == "03-08 03:30 EDT"


def test_end_of_day_is_1159_pm_on_the_zones_clock_in_summer_and_winter():
    assert times.end_of_day(datetime(2026, 7, 1).date(), NEW_YORK) == datetime(
        2026, 7, 2, 3, 59, tzinfo=UTC
    )
    assert times.end_of_day(datetime(2026, 12, 7).date(), NEW_YORK) == datetime(
        2026, 12, 8, 4, 59, tzinfo=UTC
    )


def test_datetime_attribute_is_utc_to_the_whole_second():
    moment = datetime(2026, 11, 1, 19, 30, 12, 345678, tzinfo=NEW_YORK)
    assert times.datetime_attr(moment) == "2026-11-02T00:30:12Z"


def test_exports_carry_the_course_zones_offset():
    moment = datetime(2026, 11, 1, 19, 30, 12, 345678, tzinfo=NEW_YORK)
    assert times.iso(moment, course_in("America/New_York")) == "2026-11-01T19:30:12-05:00"
    assert times.iso(moment, course_in("Europe/Prague")) == "2026-11-02T01:30:12+01:00"
    assert times.iso(None, course_in("Europe/Prague")) is None


def test_each_style_reads_as_people_write_it():
    moment, course = ny(2026, 12, 7, 23, 59), course_in("America/New_York")
    assert times.show(moment, "moment", course=course) == "Dec 7, 11:59 PM"
    assert times.show(moment, "deadline", course=course) == "Mon, Dec 7, 11:59 PM EST"
    assert times.show(moment, "exact", course=course) == "Monday, December 7, 2026, 11:59:00 PM EST"
    assert times.show(moment, "day", course=course) == "Dec 7, 2026"
    assert times.show(None, "deadline", course=course) == ""


def test_a_viewer_with_their_own_zone_also_sees_the_courses():
    moment, course = ny(2026, 12, 7, 23, 59), course_in("America/New_York")
    traveller = SimpleNamespace(time_zone="Europe/Prague")
    assert times.show(moment, "deadline", course=course, person=traveller) == (
        "Tue, Dec 8, 5:59 AM CET (Mon, Dec 7, 11:59 PM EST course time)"
    )
    assert times.show(moment, "moment", course=course, person=traveller) == (
        "Dec 8, 5:59 AM CET (Dec 7, 11:59 PM EST course time)"
    )
    # One who keeps the course's zone reads it once.
    stay = SimpleNamespace(time_zone="America/New_York")
    assert times.show(moment, "deadline", course=course, person=stay) == "Mon, Dec 7, 11:59 PM EST"


def test_the_filters_give_the_helpers_text(settings):
    course = course_in("Europe/Prague")
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 3:30 AM CEST, just after spring forward
    page = Template(
        '<time datetime="{{ t|datetime_attr }}">{{ t|deadline:course }}</time> {{ t|when:course }}'
        " {{ t|exact:course }} {{ t|day:course }} {{ t|when }}"
    ).render(Context({"t": moment, "course": course}))
    assert page == (
        '<time datetime="2026-03-29T01:30:00Z">Sun, Mar 29, 3:30 AM CEST</time> Mar 29, 3:30 AM'
        " Sunday, March 29, 2026, 3:30:00 AM CEST Mar 29, 2026 "
        + times.show(moment, "moment")  # no course: the site's zone
    )
    assert settings.TIME_ZONE == "America/New_York"
    assert times.show(moment, "moment") == "Mar 28, 9:30 PM"


def _instants():
    """Every 37 minutes through a year, plus each side of the year's changes of daylight
    saving in both zones and the first and last seconds of days."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    yield from (start + timedelta(minutes=37 * n) for n in range(0, 365 * 24 * 60 // 37, 7))
    for zone in (NEW_YORK, PRAGUE):
        for day in (datetime(2026, 3, 8), datetime(2026, 3, 29), datetime(2026, 11, 1),
                    datetime(2026, 10, 25)):  # fmt: skip
            for minutes in range(0, 6 * 60, 15):
                local = datetime.combine(day.date(), time(), tzinfo=zone)
                yield local.astimezone(UTC) + timedelta(minutes=minutes)
                yield local.astimezone(UTC) + timedelta(minutes=minutes, seconds=59)
    yield datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/Prague", "Asia/Kolkata"])
def test_the_threads_fast_formatter_gives_the_filters_text(zone_name):
    course, zone, days = course_in(zone_name), ZoneInfo(zone_name), {}
    checked = 0
    for moment in _instants():
        exact, short = thread_times(moment, zone, days)
        assert short == times.show(moment, "moment", course=course), moment
        assert exact == times.show(moment, "exact", course=course), moment
        checked += 1
    assert checked > 1000


def test_every_zone_offered_is_one_zoneinfo_knows():
    names = [name for name, _ in times.zone_choices()]
    assert "America/New_York" in names and "Europe/Prague" in names and "UTC" in names
    assert all(times.zone(name).key == name for name in names)
    assert times.zone("Not/AZone").key == "America/New_York"  # a vanished name never breaks a page


def test_iso_values_never_carry_microseconds():
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d",
        times.iso(datetime(2026, 5, 5, 5, 5, 5, 5, tzinfo=UTC), course_in("Asia/Kolkata")),
    )


ROOT = Path(__file__).resolve().parents[2]
APP_CODE = [
    path
    for folder in ("destalin", "readings", "discussions")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
    and path.name != "times.py"
    # A signing key's name: a machine label with microseconds, never shown as a time.
    and path.relative_to(ROOT).as_posix() != "destalin/lti/keys.py"
]


def test_no_template_formats_a_time_itself():
    templates = list((ROOT / "templates").rglob("*.html")) + list(
        (ROOT / "templates").rglob("*.txt")
    )
    assert len(templates) > 30
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates
        if re.search(r"\|\s*(date|time)\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_app_module_formats_a_time_itself():
    assert len(APP_CODE) > 50
    pattern = re.compile(r"strftime\(|\.isoformat\(|\{[^{}]*:%[a-zA-Z-]|localtime\(|localdate\(")
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in APP_CODE
        for line in path.read_text(encoding="utf-8").splitlines()
        if pattern.search(line)
    ]
    assert offenders == []
