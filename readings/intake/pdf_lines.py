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
    parsed once per name."""

    def __init__(self):
        self.buffer = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.flags_ref = ctypes.byref(self.flags)
        self.styles = {}

    def style(self, textpage, index):
        length = pdfium_c.FPDFText_GetFontInfo(
            textpage, index, self.buffer, len(self.buffer), self.flags_ref
        )
        name = ctypes.string_at(self.buffer, max(length - 1, 0))
        if name not in self.styles:
            lowered = name.lower()
            self.styles[name] = (
                b"bold" in lowered or b"black" in lowered or b"heavy" in lowered,
                b"italic" in lowered or b"oblique" in lowered,
            )
        return self.styles[name]


def page_lines(page, page_index, fonts=None):
    """The page's ``Line`` runs in PDFium's reading order (content order, lines top to bottom
    within a text block). PDFium's generated characters (line breaks, inferred spaces) only
    separate runs and words.

    Each character costs one call into PDFium (its size, which finds raised note numbers);
    boxes are asked at the ends of words, the font and the baseline at the first character
    of each word, since emphasis and line changes happen between words. A 300-page book
    reads in seconds."""
    fonts = fonts or Fonts()
    textpage = page.get_textpage()
    height = page.get_height()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    raw = textpage.raw
    get_size, get_box = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetCharBox
    left, right, bottom, top, origin_x, origin_y = (ctypes.c_double() for _ in range(6))
    box = [ctypes.byref(value) for value in (left, right, bottom, top)]
    origin = [ctypes.byref(value) for value in (origin_x, origin_y)]
    lines, current, last_right, pending_space = [], None, 0.0, False
    word_start, bold, italic = True, False, False
    for index, char in enumerate(text[:count]):
        if char in " \r\n\x00\t":
            # A space, or PDFium's line break (also put after a raised note reference, so
            # whether the next word starts a new line is decided by its position).
            pending_space = pending_space or (current is not None and char != "\x00")
            word_start = True
            continue
        if char in "\ufffe\u00ad":
            if current is not None:
                # PDFium's mark for a hyphen at a line's end (its box spans the line): the
                # hyphen is kept for the layout to decide, its box is not.
                _append(current, "-", bold, italic, False)
            word_start = True  # PDFium puts no line break after it
            continue
        size = get_size(raw, index)
        word_end = index + 1 >= count or text[index + 1] in " \r\n\ufffe\u00ad"
        small = current is not None and size < SUPERSCRIPT_RATIO * current.size
        if word_start or word_end or small or current is None:
            get_box(raw, index, *box)
            char_top, char_bottom = height - top.value, height - bottom.value
        if word_start or current is None:
            bold, italic = fonts.style(raw, index)
            pdfium_c.FPDFText_GetCharOrigin(raw, index, *origin)
            baseline = height - origin_y.value
            if current is not None and (
                left.value - last_right
                > COLUMN_GAP_EMS * (size if size > current.size else current.size)
                or left.value < last_right - 0.5 * size
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
            word_start = False
        superscript = small and char.isdigit() and char_bottom < current.bottom - 0.2 * current.size
        if not superscript and size > current.size and not current.spans:
            current.size = size
        if pending_space:
            _append(current, " ", bold, italic, False)
            pending_space = False
        _append(current, char, bold, italic, superscript)
        if right.value > current.x1:
            current.x1 = right.value
        if not superscript:
            if char_top < current.top:
                current.top = char_top
            if char_bottom > current.bottom:
                current.bottom = char_bottom
        if word_end:
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
