"""Markdown to safe HTML, once, at save time.

CommonMark plus tables, raw HTML off, then nh3 (the Ammonia sanitizer) over the result, so a
rendered text can never run script, carry event handlers or styles, or link to ``javascript:``.
Readings additionally number their blocks (paragraphs, list items, table rows) with stable
anchors, ``p-1``, ``p-2``, ..., which is what a citation "¶ 12" and a quoted passage point to.
"""

from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_URL_SCHEMES = {"http", "https", "mailto"}

# Which opening tokens start a numbered block, and what kind of block it is.
_NUMBERED = {"paragraph_open": "paragraph", "list_item_open": "item", "tr_open": "row"}


@dataclass(frozen=True)
class Block:
    """One citable block of a text: its number, anchor and plain text."""

    number: int
    kind: str
    text: str

    @property
    def anchor(self):
        return f"p-{self.number}"


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


def render_numbered(source, *, first=1):
    """Markdown as sanitized HTML whose blocks are numbered from ``first`` on, each with an
    anchor and a visible permalink. Returns the HTML and the blocks in order."""
    tokens = _md.parse(source)
    blocks = _number_blocks(tokens, first)
    html = _md.renderer.render(tokens, _md.options, {})
    html = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"*": {"id", "class"}, "a": {"href", "title", "aria-label"}, "ol": {"start"}},
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )
    return html, blocks


def _number_blocks(tokens, first):
    blocks = []
    open_blocks = []  # (kind, number, [text parts]) of the numbered blocks we are inside
    in_item = 0
    in_body = False
    for index, token in enumerate(tokens):
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        kind = _NUMBERED.get(token.type)
        numbered = kind is not None and not (
            (kind == "paragraph" and in_item) or (kind == "row" and not in_body)
        )
        if numbered:
            number = first + len(blocks) + len(open_blocks)
            token.attrSet("id", f"p-{number}")
            token.attrSet("class", "para")
            _add_permalink(tokens, index, number)
            open_blocks.append((kind, number, []))
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        if token.type == "inline" and open_blocks:
            open_blocks[-1][2].append(_plain_text(token.children or []))
        if open_blocks and token.type == _close_of(open_blocks[-1][0]) and _closes(token, in_item):
            kind, number, parts = open_blocks.pop()
            blocks.append(Block(number=number, kind=kind, text=" — ".join(p for p in parts if p)))
    return sorted(blocks, key=lambda block: block.number)


def _close_of(kind):
    return {"paragraph": "paragraph_close", "item": "list_item_close", "row": "tr_close"}[kind]


def _closes(token, in_item):
    # A paragraph inside a list item is not numbered, so its close must not end the item.
    return not (token.type == "paragraph_close" and in_item)


def _add_permalink(tokens, index, number):
    """Put a "¶ n" link at the start of the block's first line of text."""
    inline = next(t for t in tokens[index + 1 :] if t.type == "inline")
    link = Token("html_inline", "", 0)
    link.content = (
        f'<a class="para-link" href="#p-{number}" aria-label="Paragraph {number}, link">'
        f"¶ {number}</a> "
    )
    inline.children = [link, *(inline.children or [])]


def _plain_text(children):
    parts = []
    for child in children:
        if child.type == "image":
            # Rendered text shows no images (nor their alt text): neither does the plain text.
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
