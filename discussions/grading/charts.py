"""Small SVG charts for participation analytics, drawn on the server: no chart service, no JS.

Each chart comes with a caption and a text table for the template to show beside it, so no
number lives only in the picture. The site's CSP forbids inline style, so colours are
presentation attributes (``fill=``), which the ``chart*`` CSS classes may override; text and
axes use ``currentColor``.
"""

import itertools
import math
import re
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from destalin.text import strip_bidi_controls
from destalin.times import short_day

# #3f7cc6 contrasts 4.3:1 with white and 4.1:1 with #1a1a1a (3.9:1 with the dark theme's
# #201f1d). WCAG 1.4.11 asks 3:1 for graphics, so bars stay visible in either theme even
# without the stylesheet. The usual #3b6fb6 reaches only 3.4:1 on #1a1a1a.
FILL = "#3f7cc6"
SOLID = f'fill="{FILL}"'
# Replies are pale and outlined rather than a second hue, so the two series differ by more
# than colour.
OUTLINED = f'fill="{FILL}" fill-opacity="0.25" stroke="{FILL}" stroke-width="1.5"'
REPLIES = "chart__bar chart__bar--replies"
EMPTY = 'fill="none" stroke="currentColor" stroke-opacity="0.15"'
# Heat-map cells stop at 70% of FILL. On the darkest cell, the site's text colours (#1f1d1a
# light, #ece8e1 dark) still contrast at least 5.3:1, so the printed counts stay readable.
SHADE_MIN, SHADE_MAX = 0.12, 0.7
# Bar charts share one layout: a 600-wide viewBox whose 13-unit text stays legible on a phone.
WIDTH, FONT, LEFT, RIGHT, UPPER, LOWER = 600, 13, 44, 588, 36, 240
GRID_CAP, MATRIX_TABLE_CAP, NAME_CHARS = 40, 25, 22
# XML 1.0 forbids NUL, most C0 controls, lone surrogates and U+FFFE/U+FFFF. One of them in a
# display name would make the SVG, and with it the page, unparseable as XML.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Chart:
    """An ``<svg>`` and the text behind it. ``rows`` is empty when there is no data."""

    svg: SafeString
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _clean(text) -> str:
    # SVG text holds no <bdi>: a name's or title's bidi controls go, so a U+202E cannot
    # reverse the rest of a label. Runs of XML whitespace become one space. SVG would
    # collapse them anyway, and a parser turns a lone CR into LF, so the text read back
    # would no longer match the text written.
    return re.sub("[\t\n\r ]+", " ", _NOT_XML.sub("", strip_bidi_controls(str(text)))).strip(" ")


def _num(value) -> str:
    q = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{q:f}".rstrip("0").rstrip(".") if q else "0"  # `if q`: never "-0"


def _plural(n, one, many=None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _text(x, y, content, *, anchor="middle", full=None) -> str:
    tip = f"<title>{escape(full)}</title>" if full else ""  # the whole of a shortened name
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="currentColor">'
        f"{tip}{escape(content)}</text>"
    )


def _rect(x, y, w, h, cls="chart__bar", paint=SOLID) -> str:
    return f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" {paint}/>'


def _svg(kind, title, caption, width, height, body) -> SafeString:
    # The counter keeps ids unique on a page that shows two charts with the same title.
    uid = f"chart-{slugify(title).replace('_', '-')[:30].strip('-') or 'x'}-{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{kind}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-size="{FONT}">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(caption)}</desc>{"".join(body)}</svg>'
    )


def _frame(top):
    """Gridlines for counts 0..top on a 1-2-5 step; returns the markup and a count-to-y map."""
    step = next(s * 10**k for k in itertools.count() for s in (1, 2, 5) if top <= 5 * s * 10**k)
    peak = max(math.ceil(top / step) * step, 1)

    def y(v):
        return LOWER - (LOWER - UPPER) * v / peak

    parts = []
    for v in range(0, peak + 1, step):
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="currentColor" stroke-opacity="{1 if v == 0 else 0.2}"/>'
        )
        parts.append(_text(LEFT - 6, y(v) + 4, str(v), anchor="end"))
    return parts, y


def score_histogram(
    *, scores: list[Decimal], points_possible: Decimal, title: str, bins: int = 10
) -> Chart:
    title, top = _clean(title), Decimal(points_possible)
    bins = max(bins, 1) if top > 0 else 1
    counts = [0] * bins
    for score in scores:
        # Decimal integer division is exact: a score on a bin edge (1.65 of 2.2 in quarters)
        # never slips into the bin below, as it would through float rounding.
        i = int(Decimal(score) * bins // top) if top > 0 else 0
        counts[min(max(i, 0), bins - 1)] += 1
    edges = [_num(top * i / bins) for i in range(bins + 1)]
    labels = [f"{edges[i]}\u2013{edges[i + 1]}" for i in range(bins)] if top > 0 else ["0"]
    points = f"{_num(top)} point{'' if top == 1 else 's'}"
    if scores:
        median = _num(statistics.median(Decimal(s) for s in scores))
        caption = f"Scores of {_plural(len(scores), 'graded student')} out of {points}; "
        caption += f"median {median}."
    else:
        caption = f"No graded scores yet (out of {points})."

    body, y = _frame(max(counts))
    body.append(_text(8, 16, "Students", anchor="start"))
    slot = (RIGHT - LEFT) / bins
    for i, count in enumerate(counts):
        if count:
            body.append(_rect(LEFT + i * slot + 1, y(count), slot - 2, y(0) - y(count)))
            if slot >= 8 * len(str(count)):
                body.append(_text(LEFT + (i + 0.5) * slot, y(count) - 4, str(count)))
    # Label the bin edges rather than the bins, skipping some so that labels never overlap.
    every = math.ceil(8 * max(map(len, edges)) / slot)
    marks = [
        (i, e) for i, e in enumerate(edges) if i == bins or (i % every == 0 and bins - i >= every)
    ]
    for i, label in marks if top > 0 else [(0.5, "0")]:
        body.append(_text(LEFT + i * slot, LOWER + 18, label))
    body.append(_text((LEFT + RIGHT) / 2, LOWER + 40, f"Score (out of {points})"))
    return Chart(
        svg=_svg("histogram", title, caption, WIDTH, LOWER + 50, body),
        caption=caption,
        headers=("Score", "Students"),
        rows=tuple(zip(labels, map(str, counts), strict=True)) if scores else (),
    )


def posts_over_time(
    *, days: list[tuple[date, int, int]], title: str, due: date | None = None
) -> Chart:
    title = _clean(title)
    caption = "No posts yet."
    if days:
        busiest = max(days, key=lambda d: d[1] + d[2])
        span = short_day(days[0][0]) + (f" to {short_day(days[-1][0])}" if len(days) > 1 else "")
        caption = (
            f"{_plural(sum(d[1] for d in days), 'response')} and "
            f"{_plural(sum(d[2] for d in days), 'reply', 'replies')} on "
            f"{_plural(len(days), 'day')}, {span}; most on {short_day(busiest[0])} "
            f"({_plural(busiest[1] + busiest[2], 'post')})."
        )
    caption += f" Due {short_day(due)}." if due else ""

    # Every calendar day from the first to the last, the due day included, so that the due
    # line stands on its own day even when nobody posted that day. The table keeps the days
    # with posts only.
    axis = _calendar(days, due)
    body, y = _frame(max((a + b for _, a, b in days), default=0))
    slot = (RIGHT - LEFT) / max(len(axis), 1)
    gap = min(2, slot * 0.2)
    every = math.ceil(48 / slot)  # day labels are about 40 units wide
    for i, (day, responses, replies) in enumerate(axis):
        x, total = LEFT + i * slot + gap / 2, y(responses + replies)
        if responses:
            body.append(_rect(x, y(responses), slot - gap, y(0) - y(responses)))
        if replies:
            body.append(_rect(x, total, slot - gap, y(responses) - total, REPLIES, OUTLINED))
        if i % every == 0:
            body.append(_text(LEFT + (i + 0.5) * slot, LOWER + 18, short_day(day)))
    if due:
        x = LEFT + ((due - axis[0][0]).days + 0.5) * slot
        body.append(
            f'<line class="chart__due" x1="{x:.1f}" x2="{x:.1f}" y1="{UPPER - 24}" y2="{LOWER}" '
            'stroke="currentColor" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        if x < RIGHT - 30:
            body.append(_text(x + 4, UPPER - 12, "due", anchor="start"))
        else:  # too near the right edge for the label to follow the line
            body.append(_text(x - 4, UPPER - 12, "due", anchor="end"))
    body.append(_rect(LEFT, LOWER + 34, 14, 14))
    body.append(_text(LEFT + 20, LOWER + 46, "Responses", anchor="start"))
    body.append(_rect(LEFT + 110, LOWER + 34, 14, 14, REPLIES, OUTLINED))
    body.append(_text(LEFT + 130, LOWER + 46, "Replies", anchor="start"))
    return Chart(
        svg=_svg("posts", title, caption, WIDTH, LOWER + 56, body),
        caption=caption,
        headers=("Day", "Responses", "Replies", "Total"),
        rows=tuple((short_day(d), str(a), str(b), str(a + b)) for d, a, b in days),
    )


def _calendar(days, due):
    """``days`` with the days between them (and up to ``due``) filled in with zeros."""
    counts = {day: (a, b) for day, a, b in days}
    ends = [d for d in (days[0][0] if days else None, days[-1][0] if days else None, due) if d]
    if not ends:
        return []
    first, last = min(ends), max(ends)
    return [
        (first + timedelta(n), *counts.get(first + timedelta(n), (0, 0)))
        for n in range((last - first).days + 1)
    ]


def reply_matrix(*, names: list[str], counts: dict[tuple[int, int], int], title: str) -> Chart:
    title, names = _clean(title), [_clean(name) for name in names]
    counts = {pair: c for pair, c in counts.items() if c > 0}
    sent, received = [0] * len(names), [0] * len(names)
    for (i, j), c in counts.items():
        sent[i] += c
        received[j] += c
    # The grid keeps the people who sent and received most, in the order they were given.
    shown = sorted(sorted(range(len(names)), key=lambda p: -sent[p] - received[p])[:GRID_CAP])
    people = _plural(len(names), "person", "people")
    caption = f"No replies yet among {people}."
    if counts:
        most, most_got = sent.index(max(sent)), received.index(max(received))
        caption = (
            f"{_plural(sum(counts.values()), 'reply', 'replies')} among {people}; "
            f"{names[most]} replied most ({sent[most]}) and {names[most_got]} received most "
            f"({received[most_got]})."
        )
    if len(names) > GRID_CAP:
        caption += f" The grid shows the {GRID_CAP} most active; the table lists every reply."

    # Columns are numbered like the rows: rotated names would need far more height.
    cell, label_w, head = 26, 32 + 8 * NAME_CHARS, 48
    body = [
        _text(label_w, 16, "Replied to (numbered as the rows) \u2192", anchor="start"),
        _text(8, head - 10, "Replied \u2193", anchor="start"),
    ]
    peak = max((counts.get((i, j), 0) for i in shown for j in shown), default=0)
    for r, i in enumerate(shown):
        y, name = head + r * cell, names[i]
        short = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "\u2026"
        body.append(_text(26, y + 17, str(r + 1), anchor="end"))
        body.append(_text(32, y + 17, short, anchor="start", full=name if short != name else None))
        body.append(_text(label_w + (r + 0.5) * cell, head - 10, str(r + 1)))
        for c, j in enumerate(shown):
            n, x = counts.get((i, j), 0), label_w + c * cell
            box = (x + 1, y + 1, cell - 2, cell - 2)
            if not n:
                body.append(_rect(*box, "chart__cell chart__cell--empty", EMPTY))
                continue
            shade = SHADE_MIN + (SHADE_MAX - SHADE_MIN) * n / peak
            body.append(_rect(*box, "chart__cell", f'{SOLID} fill-opacity="{shade:.2f}"'))
            body.append(_text(x + cell / 2, y + 17, str(n)))

    if len(names) > MATRIX_TABLE_CAP:  # a 26-column table is unreadable; list the pairs
        headers = ("From", "To", "Replies")
        pairs = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        rows = tuple((names[i], names[j], str(c)) for (i, j), c in pairs)
    else:
        headers = ("Replied", *names)
        everyone = range(len(names))
        rows = tuple((names[i], *(str(counts.get((i, j), 0)) for j in everyone)) for i in everyone)
    width = max(WIDTH, label_w + len(shown) * cell + 8)  # a small grid keeps its text small
    return Chart(
        svg=_svg("replies", title, caption, width, head + len(shown) * cell + 8, body),
        caption=caption,
        headers=headers,
        rows=rows if counts else (),
    )
