"""A saved web page: its metadata, its main text without the site around it, sanitized, then
read by pandoc.

Which part is the text: the page's ``<article>`` or ``<main>`` when it marks one; otherwise,
when the page has a site's menus, sidebars or footers, what Readability (``readability-lxml``)
judges the main text; otherwise (a document exported as HTML) the whole body. Nothing of the
page runs: lxml only parses it, nh3 removes scripts, styles and event handlers before pandoc
sees it, and the reader sanitizes again when it renders.
"""

import tempfile
from pathlib import Path

import lxml.html
import nh3
from lxml import etree
from readability import Document

from readings.intake.document import ConversionError
from readings.intake.pandoc import convert_with_pandoc

_CHROME = (
    "//nav | //aside | //footer | //*[@role='navigation' or "
    "@role='contentinfo' or @role='complementary']"
)
_KEPT_TAGS = {
    "article", "section", "div", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code", "em", "strong", "i", "b", "u",
    "sup", "sub", "a", "img", "figure", "figcaption", "table", "caption", "thead", "tbody",
    "tfoot", "tr", "th", "td", "span", "cite", "q", "abbr", "small",
}  # fmt: skip
# ``class`` stays for footnotes (``footnote-ref``, ``footnotes``), which pandoc reads back as
# notes; pandoc's Markdown drops every class.
_KEPT_ATTRIBUTES = {
    "a": {"href"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"}, "ol": {"start"}, "*": {"id", "class"},
}  # fmt: skip
MAIN_TEXT_WARNING = (
    "Only the page's main text was kept: its site menus, sidebars and footers were left out. "
    "Check that nothing of the text is missing."
)


def convert_web_page(path, *, progress):
    """``ConvertedDocument`` of the saved web page at ``path`` (UTF-8 or declared in the
    page); metadata from its ``<title>`` and ``<meta>`` tags (``citation_*`` as Google
    Scholar reads them, ``author``, ``og:site_name``). Raises ``ConversionError``."""
    try:
        page = lxml.html.fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as error:
        raise ConversionError("This web page has no text.", code="empty") from error
    meta = _metadata(page)
    main, trimmed = _main_part(page)
    clean = nh3.clean(
        main, tags=_KEPT_TAGS, attributes=_KEPT_ATTRIBUTES, url_schemes={"http", "https", "data"}
    )
    if not "".join(lxml.html.fragment_fromstring(clean, create_parent="div").itertext()).strip():
        raise ConversionError("This web page has no text.", code="empty")
    with tempfile.TemporaryDirectory(prefix="destalin-web-") as work:
        cleaned = Path(work) / "page.html"
        cleaned.write_text(f"<html><body>{clean}</body></html>", encoding="utf-8")
        document = convert_with_pandoc(cleaned, reader="html", progress=progress)
    document.title = meta["title"] or document.title
    document.author = meta["author"]
    document.source = meta["source"]
    if trimmed:
        document.warnings.append(MAIN_TEXT_WARNING)
    return document


def _metadata(page):
    def first(*names):
        for name in names:
            for value in page.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
                if value.strip():
                    return " ".join(value.split())
        return ""

    titles = page.xpath("//title/text()")
    return {
        "title": first("citation_title", "og:title", "dc.title")
        or (" ".join(titles[0].split()) if titles else ""),
        "author": "; ".join(
            " ".join(a.split()) for a in page.xpath("//meta[@name='citation_author']/@content")
        )
        or first("author", "dc.creator", "article:author"),
        "source": first("citation_journal_title", "og:site_name", "dc.publisher"),
    }


def _main_part(page):
    """The page's text as HTML, and whether parts of the page were left out."""
    for xpath in ("//article", "//main", "//*[@role='main']"):
        found = page.xpath(xpath)
        if len(found) == 1:
            return lxml.html.tostring(found[0], encoding="unicode"), bool(page.xpath(_CHROME))
    if page.xpath(_CHROME):
        document = Document(lxml.html.tostring(page, encoding="unicode"))
        return document.summary(html_partial=True), True
    body = page.find("body")
    return lxml.html.tostring(body if body is not None else page, encoding="unicode"), False
