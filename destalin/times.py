"""Times as people read them, and calendar arithmetic in a course's time zone.

The one place that turns a stored instant (an aware datetime, UTC in the database) into text,
and that counts or moves days. A course has a time zone (``Course.time_zone``, an IANA name);
a person may have their own (``User.time_zone``, empty for "the course's"). Rules (STYLE.md,
"Time"; issue 15):

- a time is shown in the viewer's zone, and where that differs from the course's, in the
  course's too: "Tue, Dec 8, 5:59 AM CET (Mon, Dec 7, 11:59 PM EST course time)";
- "due at 11:59 PM" and "one day late" are wall-clock and calendar facts in the course's zone,
  computed on local dates with ``zoneinfo``, never as multiples of 24 hours;
- ``<time datetime>`` is UTC to the whole second (``2026-11-02T00:30:00Z``); exports write ISO
  8601 with the course zone's offset (``2026-11-01T19:30:00-05:00``).

Templates use the filters in ``destalin.templatetags.times``, which call the functions here.
"""

from contextvars import ContextVar
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip

# The signed-in person's own zone for this request, or None for "the course's" (set by
# destalin.middleware.TimeZoneMiddleware). A context variable, as Django keeps its own.
_personal = ContextVar("personal_time_zone", default=None)


@lru_cache
def _zone_names():
    # Region/City names and UTC; not the legacy aliases without a slash (EST5EDT, Cuba, ...).
    return frozenset(n for n in available_timezones() if "/" in n or n == "UTC")


def zone_choices():
    """Every IANA zone name this system knows, sorted, as (name, label) choices."""
    return tuple((name, name.replace("_", " ")) for name in sorted(_zone_names()))


def is_zone_name(name):
    return name in _zone_names()


@lru_cache(maxsize=128)
def _zone_named(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone(name=None):
    """The ZoneInfo called ``name``; settings.TIME_ZONE when ``name`` is empty or unknown (a
    stored name the system no longer has must not break a page)."""
    return (name and _zone_named(name)) or _zone_named(settings.TIME_ZONE)


def course_zone(course):
    """The course's zone; the site's default for no course (pages outside any course)."""
    return zone(course.time_zone if course is not None else None)


def activate_personal(name):
    """Make ``name`` (a person's own zone, or "" for none) the viewer's zone for this request
    or task; returns the token ``reset_personal`` takes."""
    return _personal.set(zone(name) if name else None)


def reset_personal(token):
    _personal.reset(token)


def viewer_zone(course=None, person=None):
    """Where the viewer reads times: their own zone if they chose one, else the course's.
    ``person`` (someone with a ``time_zone``, e.g. a mail's recipient) overrides the request's."""
    if person is not None:
        own = zone(person.time_zone) if person.time_zone else None
    else:
        own = _personal.get()
    return own or course_zone(course)


# Formats. Each returns the text in one zone; ``show`` adds the course's when it differs.


def _clock(local, seconds=False):
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return (
        f"{hour}:{local.minute:02d}:{local.second:02d} {half}"
        if seconds
        else (f"{hour}:{local.minute:02d} {half}")
    )


def _moment(local):  # Nov 1, 7:30 PM
    return f"{_MONTHS[local.month][:3]} {local.day}, {_clock(local)}"


def _deadline(local):  # Sun, Nov 1, 7:30 PM EST
    return (
        f"{_DAYS[local.weekday()][:3]}, {_MONTHS[local.month][:3]} {local.day}, "
        f"{_clock(local)} {local.tzname()}"
    )


def _exact(local):  # Sunday, November 1, 2026, 7:30:00 PM EST
    return (
        f"{_DAYS[local.weekday()]}, {_MONTHS[local.month]} {local.day}, {local.year}, "
        f"{_clock(local, seconds=True)} {local.tzname()}"
    )


def _day(local):  # Nov 1, 2026
    return f"{short_day(local)}, {local.year}"


def short_day(day):
    """A calendar date (or a local datetime's) as "Nov 1": chart axes, where the year is known."""
    return f"{_MONTHS[day.month][:3]} {day.day}"


STYLES = {"moment": _moment, "deadline": _deadline, "exact": _exact, "day": _day}


def show(moment, style="moment", *, course=None, person=None):
    """``moment`` (aware) as text in the viewer's zone (see ``viewer_zone``), followed by the
    course's own reading when the two zones differ. ``style`` is one of ``STYLES``:

    - ``moment``: "Nov 1, 7:30 PM" (when something happened; with zones when they differ);
    - ``deadline``: "Sun, Nov 1, 7:30 PM EST" (due dates, openings, cut-offs, releases);
    - ``exact``: "Sunday, November 1, 2026, 7:30:00 PM EST";
    - ``day``: "Nov 1, 2026" (the viewer's date only).

    Returns "" for None."""
    if moment is None:
        return ""
    fmt = STYLES[style]
    here, there = viewer_zone(course, person), course_zone(course)
    local = moment.astimezone(here)
    if style == "day" or here.key == there.key:
        return fmt(local)
    other = moment.astimezone(there)
    if style == "moment":  # the short form names zones only when there are two
        return f"{fmt(local)} {local.tzname()} ({fmt(other)} {other.tzname()} course time)"
    return f"{fmt(local)} ({fmt(other)} course time)"


def datetime_attr(moment):
    """The value of ``<time datetime>``: UTC, whole seconds, e.g. ``2026-11-02T00:30:00Z``."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(moment, course=None, *, timespec="seconds"):
    """ISO 8601 with the course zone's offset (exports): a post made at 7:30 PM in New York
    reads ``…T19:30:00-05:00``, not the next day in UTC. Whole seconds unless ``timespec``
    says otherwise (a backup keeps microseconds). None stays None."""
    if moment is None:
        return None
    return moment.astimezone(course_zone(course)).isoformat(timespec=timespec)


# Calendar arithmetic in a zone.


def local_date(moment, in_zone):
    """The calendar date of ``moment`` on the wall clocks of ``in_zone``."""
    return moment.astimezone(in_zone).date()


def at_wall_clock(day, clock, in_zone):
    """The instant (UTC) when the clocks of ``in_zone`` show ``clock`` (a ``time``) on ``day``.
    A time skipped by spring forward comes out one hour later on the clock (2:30 AM → 3:30 AM),
    one repeated in the fall is its first occurrence."""
    return datetime.combine(day, clock, tzinfo=in_zone).astimezone(UTC)


def shift_days(moment, days, in_zone):
    """``moment`` moved by ``days`` calendar days, keeping its wall-clock time in ``in_zone``
    (a Thu 11:59 PM due date moved across a change of daylight saving stays 11:59 PM)."""
    if moment is None:
        return None
    local = moment.astimezone(in_zone)
    return at_wall_clock(local.date() + timedelta(days=days), local.time(), in_zone)


def days_late(moment, due, in_zone):
    """Whole calendar days ``moment`` is after ``due`` in ``in_zone``, a part of a day counting
    as one: posted before the due time's wall clock on the next day is 1 day late, whatever
    daylight saving did in between. 0 when on time or either is None."""
    if moment is None or due is None or moment <= due:
        return 0
    days = max(1, (local_date(moment, in_zone) - local_date(due, in_zone)).days)
    return days if shift_days(due, days, in_zone) >= moment else days + 1


def end_of_day(day, in_zone):
    """11:59 PM on ``day`` in ``in_zone``, as an instant (the demo's and the forms' "due")."""
    return at_wall_clock(day, time(23, 59), in_zone)
