"""The template filters for times: the only way a template shows one (STYLE.md, "Time").

``{{ t|when:course }}``, ``{{ t|deadline:course }}``, ``{{ t|exact:course }}`` and
``{{ t|day:course }}`` give the viewer's reading (and the course's beside it when the zones
differ), ``{{ t|datetime_attr }}`` the UTC value of ``<time datetime>``. The course argument
may be left out on pages outside a course. The formats live in ``destalin.times``.
"""

from django import template

from destalin import times

register = template.Library()


@register.filter
def when(moment, course=None):
    """When something happened: "Nov 1, 7:30 PM"."""
    return times.show(moment, "moment", course=course or None)


@register.filter
def deadline(moment, course=None):
    """A due date, an opening, a cut-off, a release: "Sun, Nov 1, 7:30 PM EST"."""
    return times.show(moment, "deadline", course=course or None)


@register.filter
def exact(moment, course=None):
    """To the second, with the weekday and year: "Sunday, November 1, 2026, 7:30:00 PM EST"."""
    return times.show(moment, "exact", course=course or None)


@register.filter
def day(moment, course=None):
    """The date only: "Nov 1, 2026"."""
    return times.show(moment, "day", course=course or None)


@register.filter
def datetime_attr(moment):
    """The ``<time datetime>`` value: UTC, whole seconds, "2026-11-02T00:30:00Z"."""
    return times.datetime_attr(moment)
