"""A PDF page's text as positioned lines: PDFium's characters grouped into runs that share a
baseline and have no column-wide gap between them, with their font size and style.

PDFium (through pypdfium2) gives each character its box, font size and font name, and puts
generated line breaks between lines; a table row or a header with the title at the left and
the page number at the right comes out as one PDFium line, so a gap wider than about an em
splits it into separate ``Line`` runs, which is what lets the layout see columns.
"""

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

# A gap wider than this many font sizes between two characters of one line is a column gap
# (table cells, a running head's left and right parts), not a word space: justified text
# stretches word spaces to about half an em, table columns sit two ems or more apart.
COLUMN_GAP_EMS = 1.2
# Characters this much smaller than their line's text and raised above its baseline are
# superscripts (note references).
SUPERSCRIPT_RATIO = 0.8
BULLETS = "•◦▪▫‣⁃∙●○■□–—-*\uf0b7\uf0a7\uf076\uf0d8"
_MARKER = re.compile(rf"^(?:[{re.escape(BULLETS)}]|\(?[0-9]{{1,3}}[.)]|\(?[a-zA-Z][.)])$")


@dataclass
class Span:
    """Text in one style. ``superscript`` digits are a note reference."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


@dataclass
class Line:
    """A run of text on one baseline of page ``page`` (0-based), in points from the page's
    top-left corner: ``x0``/``x1`` left and right, ``top``/``bottom`` of the glyphs."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    baseline: float = 0.0
    spans: list[Span] = field(default_factory=list)
    # Where an item's text starts after its list marker, for continuation lines.
    text_x0: float | None = None

    @property
    def text(self):
        return "".join(span.text for span in self.spans)

    @property
    def bold(self):
        """The whole line is bold (a heading set in the body's size)."""
        letters = [span for span in self.spans if span.text.strip()]
        return bool(letters) and all(span.bold for span in letters)

    @property
    def is_marker(self):
        """The line is only a list marker ("•", "3.", "b)"), set apart from its item."""
        return bool(_MARKER.match(self.text.strip()))


class Fonts:
    """Bold and italic from font names ("DejaVuSerif-BoldItalic", "ABCDEF+Times-Italic"),
    asked once per character (a cheap call) and parsed once per name."""

    def __init__(self):
        self.buffer = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.styles = {}

    def style(self, textpage, index):
        length = pdfium_c.FPDFText_GetFontInfo(
            textpage, index, self.buffer, len(self.buffer), ctypes.byref(self.flags)
        )
        name = self.buffer.raw[: max(length - 1, 0)]
        if name not in self.styles:
            lowered = name.lower()
            self.styles[name] = (
                b"bold" in lowered or b"black" in lowered or b"heavy" in lowered,
                b"italic" in lowered or b"oblique" in lowered,
            )
        return self.styles[name]


def page_lines(page, page_index, fonts=None):
    """The page's ``Line`` runs in PDFium's reading order (content order, lines top to bottom
    within a text block). Generated characters (PDFium's line breaks and inferred spaces) only
    separate runs and words."""
    fonts = fonts or Fonts()
    textpage = page.get_textpage()
    height = page.get_height()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    raw = textpage.raw
    left, right, bottom, top, origin_x, origin_y = (ctypes.c_double() for _ in range(6))
    lines, current, last_right, pending_space = [], None, None, False
    for index, char in enumerate(text[:count]):
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            if char in "\r\n":
                current, last_right, pending_space = None, None, False
            else:
                pending_space = True
            continue
        if char in "\r\n\x00":
            continue
        if char in "\ufffe\u00ad" and current is not None:
            # PDFium's mark for a hyphen at a line's end (its box spans the line): the
            # hyphen is kept for the layout to decide, its box is not.
            _append(current, "-", False, False, False)
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, index)
        pdfium_c.FPDFText_GetCharBox(
            raw, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
            ctypes.byref(top),
        )  # fmt: skip
        char_top, char_bottom = height - top.value, height - bottom.value
        if char.isspace():
            if current is not None:
                pending_space = True
            continue
        bold, italic = fonts.style(raw, index)
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(origin_x), ctypes.byref(origin_y))
        baseline = height - origin_y.value
        if current is not None and (
            left.value - last_right > COLUMN_GAP_EMS * max(size, current.size)
            or left.value < last_right - 2 * size
            or abs(baseline - current.baseline) > 0.6 * current.size
        ):
            current = None
        if current is None:
            current = Line(
                page_index, left.value, right.value, char_top, char_bottom, size,
                baseline=baseline,
            )  # fmt: skip
            lines.append(current)
            pending_space = False
        superscript = (
            size < SUPERSCRIPT_RATIO * current.size
            and char_bottom < current.bottom - 0.2 * current.size
            and char.isdigit()
        )
        if not superscript and size > current.size and not current.text.strip():
            current.size = size
        if pending_space:
            _append(current, " ", bold, italic, False)
            pending_space = False
        _append(current, char, bold, italic, superscript)
        current.x1 = max(current.x1, right.value)
        if not superscript:
            current.top = min(current.top, char_top)
            current.bottom = max(current.bottom, char_bottom)
        last_right = right.value
    textpage.close()
    return _join_markers(lines)


def _append(line, char, bold, italic, superscript):
    spans = line.spans
    if char == " " and spans:
        # A space takes the style of the text before it, so "*word* next" stays readable.
        spans[-1].text += char
        return
    if spans and (spans[-1].bold, spans[-1].italic, spans[-1].superscript) == (
        bold,
        italic,
        superscript,
    ):
        spans[-1].text += char
    else:
        spans.append(Span(char, bold, italic, superscript))


def _join_markers(lines):
    """A list marker set apart from its text by a tab joins the text on its baseline, so that
    a bulleted list is not read as a two-column table."""
    joined = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.is_marker
            and previous.page == line.page
            and abs(previous.baseline - line.baseline) < 0.5 * line.size
            and line.x0 > previous.x1
        ):
            previous.spans = [Span(previous.text.strip() + " "), *line.spans]
            previous.x1, previous.size, previous.baseline = line.x1, line.size, line.baseline
            previous.top = min(previous.top, line.top)
            previous.bottom = max(previous.bottom, line.bottom)
            previous.text_x0 = line.x0
            continue
        joined.append(line)
    return joined
