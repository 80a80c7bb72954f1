"""People's text as a reader sees it: the visible text of rendered HTML and its words, the
one folding of case and accents that search and word lists compare with, and the one
collation people's names are sorted with.

Every count of words (minimum words, the reveal rule, the grader's figures, analytics, a
reading's length) comes from ``count_words`` over the rendered HTML, so it counts what the page
shows: an image's alt text, a script's source or an attribute is not a word a reader sees, and
``em<strong>pha</strong>sis`` is one word while ``<p>one</p><p>two</p>`` is two.
"""

import functools
import re
import unicodedata
from html.parser import HTMLParser

import icu
from django.conf import settings
from django.utils import translation

# Elements that start a new line when rendered: their edges separate words.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
# Elements whose content is never shown as text.
_UNSEEN = {
    "script", "style", "template", "noscript", "svg", "math", "head", "title", "object", "iframe",
}  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
# A word is a run of non-space characters holding at least one letter or digit: "Agreed."
# is one word, a dash or an emoji alone is none.
_WORD = re.compile(r"\S*?[^\W_]\S*")
# Letters and symbols that draw nothing (Unicode's default-ignorable Hangul fillers, the
# braille blank): a name made of them is as empty as one made of zero-width spaces.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class _Visible(HTMLParser):
    def __init__(self, *, quotes):
        super().__init__(convert_charrefs=True)
        self.quotes = quotes
        self.parts = []
        self.skipping = []  # open elements whose content is not counted

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag in _VOID:
            return
        hidden = any(name == "hidden" for name, _ in attrs)
        if tag in _UNSEEN or hidden or (tag == "blockquote" and not self.quotes) or self.skipping:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skipping and tag in self.skipping:
            # Close up to the matching element, forgiving unclosed children.
            while self.skipping and self.skipping.pop() != tag:
                pass
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


# Explicit bidi embeddings, overrides and isolates, and the directional marks: in plain text
# (mail, CSV) nothing can close what a name opens, so U+202E would reverse all that follows.
_BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi control characters, for plain text that mixes people's words with
    ours (mail subjects and bodies, CSV cells), where no markup can isolate them. Letters keep
    their own direction: Arabic or Hebrew still reads right to left."""
    return text.translate(_BIDI_CONTROLS)


def visible_text(html: str, *, quotes: bool = True) -> str:
    """The text a reader sees in ``html``: entities decoded, tags gone, no alt text, no
    script or style, nothing ``hidden``; block elements (paragraphs, items, cells, breaks) end
    a line so their words stay apart. With ``quotes=False`` block quotes are left out too.
    Lines are stripped and blank lines dropped; "" when nothing is visible (only images,
    only whitespace or invisible characters such as U+200B are not visible text)."""
    parser = _Visible(quotes=quotes)
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text if has_visible_character(text) else ""


def count_words(html: str, *, quotes: bool = True) -> int:
    """How many words a reader sees in ``html`` (see ``visible_text``): runs of non-space
    characters with at least one letter or digit, so "Agreed." counts 1 and "—" counts 0.
    ``quotes=False`` counts only the writer's own words, leaving block quotes out, which is
    how a post's length is measured against a prompt's minimum."""
    return len(_WORD.findall(visible_text(html, quotes=quotes)))


def has_visible_character(text: str) -> bool:
    """Whether ``text`` has a character that shows: a letter, digit, punctuation or symbol,
    not only spaces, zero-width characters, bidi controls, combining marks with nothing to
    sit on, or the letters Unicode fills blank space with (Hangul fillers, braille blank)."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS for ch in text)


def fold(text: str) -> str:
    """``text`` without case, accents or invisible characters, for comparing and searching:
    "Хрущёв", "ХРУЩЁВ" and "Хрущев" all become "хрущев", "Dubček" "dubcek", "Wałęsa"
    "walesa", "Straße" "strasse", and a soft hyphen or zero-width space inside a word is gone.

    The rules are ICU's: lower case, canonical decomposition without its combining marks, and
    CLDR's Latin-ASCII transliteration for letters that do not decompose (ł, ø, ß, æ). These
    are the data PostgreSQL's ``unaccent`` dictionary is generated from, so SQLite (which
    calls this function) and PostgreSQL (``unaccent`` in the search configuration) fold the
    same way; tests/text/test_folding.py holds the two side by side."""
    text = text.lower()
    if text.isascii():
        return text
    table, foldable = _fold_table()
    text = foldable.sub(lambda m: table[ord(m.group())], unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).lower()


@functools.cache
def _fold_table():
    """What each foldable character becomes, and a pattern finding them. Applying ICU's
    transliterator to every text is 25 times slower (1.5 ms against 55 µs a paragraph,
    measured on the seed readings), too slow for SQLite calling it on every row it searches;
    so the table is read off ICU's rules once, for the Basic Multilingual Plane."""
    latin_ascii = icu.Transliterator.createInstance("Latin-ASCII")
    table = {}
    for ch in icu.UnicodeSet("[[:Latin:][:Common:][:Inherited:]-[:ASCII:]-[:Cn:]]"):
        out = latin_ascii.transliterate(ch)
        if out != ch:
            table[ord(ch)] = out
    for ch in icu.UnicodeSet("[[:Mn:][:Me:][:Cf:]]"):
        table[ord(ch)] = ""
    points = sorted(cp for cp in table if cp < 0x10000)
    ranges, start, prev = [], points[0], points[0]
    for cp in [*points[1:], None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        ranges.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
        if cp is not None:
            start = prev = cp
    return table, re.compile(f"[{''.join(ranges)}]")


def name_key(name: str) -> bytes:
    """Sort key for a person's name by the active language's rules (ICU collation, the
    language Django has active, else ``LANGUAGE_CODE``): case and accents do not decide the
    order ("ianfries" before "Oleg S.", "Ölaf" beside "Olaf"), scripts follow each other as
    CLDR orders them. Bytes that compare like the names; tie-break equal keys yourself (by
    primary key, say) so the order is stable."""
    return _collator(translation.get_language() or settings.LANGUAGE_CODE).getSortKey(name)


def by_name(items, *, name=lambda item: item.display_name, then=lambda item: item.pk):
    """``items`` as a list sorted by ``name_key(name(item))``, ties by ``then(item)``. Every
    list of people is put in order here, never by the database's ``ORDER BY`` on a name
    (code point order on SQLite and on a C-collated PostgreSQL)."""
    return sorted(items, key=lambda item: (name_key(name(item)), then(item)))


@functools.lru_cache(maxsize=16)
def _collator(language):
    # Primary strength: base letters only, so case and accents never outrank them.
    collator = icu.Collator.createInstance(icu.Locale(translation.to_locale(language)))
    collator.setStrength(icu.Collator.PRIMARY)
    return collator
