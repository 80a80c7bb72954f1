"""Markdown to safe HTML, once, at save time.

CommonMark plus tables, raw HTML off, then nh3 (the Ammonia sanitizer) over the result, so a
rendered text can never run script, carry event handlers or styles, or link to ``javascript:``.
Readings additionally number their blocks (paragraphs, list items, table rows), each with an
anchor ``p-<key>`` (the block's identity, see ``readings.anchors``) and a visible "¶ 12", and
read the conventions converters write (``readings.intake.document``): footnotes (``[^1]``, as
notes linked both ways), page markers of the original (``<!-- page: 42 -->``, shown as "p. 42"
in the margin) and images with their alt text.
"""

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

_OPTIONS = {"html": False, "linkify": False, "typographer": False}
_md = MarkdownIt("commonmark", _OPTIONS).enable("table")
# Readings also have footnotes (as pandoc writes them); what people write in posts does not.
_reading_md = MarkdownIt("commonmark", _OPTIONS).enable("table").use(footnote_plugin)
_reading_md.add_render_rule(
    "footnote_anchor",
    lambda self, tokens, idx, options, env: (
        f' <a href="#fnref-{env["docId"]}-{tokens[idx].meta["id"] + 1}" class="footnote-backref"'
        f' aria-label="Back to note {tokens[idx].meta["label"]} in the text">↩︎</a>'
    ),
)
_reading_md.add_render_rule(
    "footnote_block_open",
    lambda *args: (
        '<hr class="footnotes-sep">\n<div class="footnotes">\n'
        '<h3 class="footnotes__title">Notes</h3>\n<ol class="footnotes-list">\n'
    ),
)
_reading_md.add_render_rule("footnote_block_close", lambda *args: "</ol>\n</div>\n")
_PAGE_MARKER = re.compile(r"^<!-- page: ([^<>\n]{1,40}?) -->$")
# A page marker is a block of its own even when the converter wrote no blank line around it.
_PAGE_MARKER_LINE = re.compile(r"^(<!-- page: [^<>\n]{1,40}? -->)[ \t]*$", re.MULTILINE)

_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_URL_SCHEMES = {"http", "https", "mailto"}

# Which opening tokens start a numbered block, and what kind of block it is.
_NUMBERED = {"paragraph_open": "paragraph", "list_item_open": "item", "tr_open": "row"}


@dataclass(frozen=True)
class Block:
    """One citable block of a text: its number ("¶ n"), its key (identity, in the anchor
    ``p-<key>``), its kind (paragraph, item, row) and plain text."""

    number: int
    kind: str
    text: str
    key: int = 0

    @property
    def anchor(self):
        return f"p-{self.key or self.number}"


def render_text(source):
    """Markdown as sanitized HTML, for text people write (posts, feedback, descriptions)."""
    html = _md.render(source)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )


def numbered_texts(source):
    """The plain texts of the blocks ``render_numbered`` would number, in order, without
    rendering: what block keys are matched on before the HTML is written."""
    tokens = _reading_md.parse(_page_markers_apart(source))
    return [block.text for block in _number_blocks(tokens, 1, None)]


def render_numbered(source, *, first=1, keys=None, doc_id="1"):
    """Markdown as sanitized HTML whose blocks are numbered from ``first`` on, each with an
    anchor ``p-<key>`` (``keys``: one per block in order; the numbers when None) and a visible
    permalink. ``doc_id`` keeps footnote ids apart between the sections of one page. Returns
    the HTML and the blocks in order."""
    env = {"docId": doc_id}
    tokens = _reading_md.parse(_page_markers_apart(source), env)
    blocks = _number_blocks(tokens, first, keys)
    html = _reading_md.renderer.render(tokens, _reading_md.options, env)
    html = nh3.clean(
        html,
        tags=_TAGS | {"sup", "div", "img"},
        attributes={
            "*": {"id", "class"},
            "a": {"href", "title", "aria-label"},
            "ol": {"start"},
            "img": {"src", "alt", "title"},
        },
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )
    return html, blocks


def _page_markers_apart(source):
    return _PAGE_MARKER_LINE.sub(lambda m: f"\n{m.group(1)}\n", source)


def _number_blocks(tokens, first, keys):
    blocks = []
    open_blocks = []  # (kind, number, [text parts]) of the numbered blocks we are inside
    in_item = 0
    in_body = False
    in_notes = False
    for index, token in enumerate(tokens):
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif token.type == "footnote_block_open":
            in_notes = True
        elif token.type == "footnote_block_close":
            in_notes = False
        kind = _NUMBERED.get(token.type)
        numbered = kind is not None and not (
            (kind == "paragraph" and in_item)
            or (kind == "row" and not in_body)
            or in_notes
            or (kind == "paragraph" and _is_page_marker(tokens, index))
        )
        if numbered:
            number = first + len(blocks) + len(open_blocks)
            key = keys[number - first] if keys is not None else number
            token.attrSet("id", f"p-{key}")
            token.attrSet("class", "para")
            _add_permalink(tokens, index, number, key)
            open_blocks.append((kind, number, key, []))
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        if token.type == "inline" and open_blocks:
            open_blocks[-1][3].append(_plain_text(token.children or []))
        if open_blocks and token.type == _close_of(open_blocks[-1][0]) and _closes(token, in_item):
            kind, number, key, parts = open_blocks.pop()
            text = " — ".join(p for p in parts if p)
            blocks.append(Block(number=number, kind=kind, text=text, key=key))
    return sorted(blocks, key=lambda block: block.number)


def _is_page_marker(tokens, index):
    """Whether the paragraph opening at ``index`` is a page marker; if so, make it the
    margin's "p. 42"."""
    inline = tokens[index + 1]
    match = _PAGE_MARKER.match(inline.content.strip())
    if match is None:
        return False
    tokens[index].attrSet("class", "page-marker")
    label = Token("text", "", 0)
    label.content = f"p. {match.group(1).strip()}"
    inline.children = [label]
    return True


def _close_of(kind):
    return {"paragraph": "paragraph_close", "item": "list_item_close", "row": "tr_close"}[kind]


def _closes(token, in_item):
    # A paragraph inside a list item is not numbered, so its close must not end the item.
    return not (token.type == "paragraph_close" and in_item)


def _add_permalink(tokens, index, number, key):
    """Put a "¶ n" link at the start of the block's first line of text."""
    inline = next(t for t in tokens[index + 1 :] if t.type == "inline")
    link = Token("html_inline", "", 0)
    link.content = (
        f'<a class="para-link" href="#p-{key}" aria-label="Paragraph {number}, link">'
        f"¶ {number}</a> "
    )
    inline.children = [link, *(inline.children or [])]


def _plain_text(children):
    parts = []
    for child in children:
        if child.type in {"image", "footnote_ref"}:
            # An image's alt text and a note's "[1]" are not words of the running text.
            continue
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts).strip()


@dataclass(frozen=True)
class QuotedPassage:
    """A block quote whose last line links to its source: ``— [Title ¶ 12](url#p-12)``."""

    text: str
    href: str


def quoted_passages(source):
    """The block quotes of a text that end with a link to their source, in order."""
    passages, stack = [], []
    for token in _md.parse(source):
        if token.type == "blockquote_open":
            stack.append([])
        elif token.type == "blockquote_close" and stack:
            inlines = stack.pop()
            if len(inlines) >= 2:
                links = [
                    c.attrGet("href") for c in inlines[-1].children or [] if c.type == "link_open"
                ]
                if links:
                    text = " ".join(_plain_text(i.children or []) for i in inlines[:-1])
                    passages.append(QuotedPassage(text=text, href=links[-1]))
        elif token.type == "inline" and stack:
            stack[-1].append(token)
    return passages
