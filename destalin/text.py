"""What a reader sees of a rendered text, and how many words it holds: the one place words are
counted (minimum lengths, the reveal rule, the grader's figures) and emptiness is judged.

A text people write is judged by its rendered HTML, not its Markdown: what Markdown swallows
(``[](x)``, ``** **`` as a rule, an image's alt text) is not there, and what the browser does
not draw (zero-width spaces, soft hyphens, joiners, fillers: Unicode's default-ignorable code
points) is neither text nor a word separator.
"""

from html.parser import HTMLParser

import regex

# Unicode's Default_Ignorable_Code_Point: drawn as nothing (U+200B, U+00AD, U+2060, U+3164,
# U+FEFF, variation selectors, tags...). The `regex` module knows the property; `re` does not.
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
# A combining mark with nothing to combine with (at the start, or after a space) draws alone
# as a stray accent at most; it is no text.
_LONE_MARKS = regex.compile(r"(?<!\S)\p{M}+")
# Drawn as blank without being spaces or ignorable: the blank Braille cell.
_BLANKS = str.maketrans({"\u2800": " "})
# A word has at least one letter or digit; marks alone, punctuation and symbols are not words.
_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
# Block-level elements end a line: "a</p><p>b" reads as two words.
_BREAKS = {
    "p", "br", "hr", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
    "h6", "table", "thead", "tbody", "tr", "th", "td", "div",
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self, *, quotes):
        super().__init__(convert_charrefs=True)
        self.quotes = quotes
        self.quoting = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.quoting += 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "blockquote" and self.quoting:
            self.quoting -= 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.quotes or not self.quoting:
            self.parts.append(data)


def visible_text(html: str, *, quotes: bool = True) -> str:
    """The text a reader sees in sanitized HTML, as one line: tags dropped, entities decoded,
    invisible characters removed, runs of white space (NBSP included) made one space. With
    ``quotes=False``, block quotes are left out (what the person wrote themselves).

    "<p>a&nbsp;b</p><p>c\\u200b</p>" → "a b c"; "<hr>" → "".
    """
    parser = _Text(quotes=quotes)
    parser.feed(html)
    parser.close()
    text = _IGNORABLE.sub("", "".join(parser.parts).translate(_BLANKS))
    return " ".join(_LONE_MARKS.sub("", text).split())


def count_words(html: str, *, quotes: bool = True) -> int:
    """Words a reader sees in sanitized HTML: runs between spaces with a letter or a digit, so
    ". . ." and three zero-width spaces are no words and "Хрущёв's" or "1956" is one. With
    ``quotes=False``, words inside block quotes do not count (a long quotation cannot fill a
    minimum length)."""
    return sum(1 for word in visible_text(html, quotes=quotes).split(" ") if _WORDLIKE.search(word))
