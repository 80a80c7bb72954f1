"""People's text as a reader sees it: the visible text of rendered HTML and its words.

Every count of words (minimum words, the reveal rule, the grader's figures, analytics, a
reading's length) comes from ``count_words`` over the rendered HTML, so it counts what the page
shows: an image's alt text, a script's source or an attribute is not a word a reader sees, and
``em<strong>pha</strong>sis`` is one word while ``<p>one</p><p>two</p>`` is two.
"""

import re
import unicodedata
from html.parser import HTMLParser

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
