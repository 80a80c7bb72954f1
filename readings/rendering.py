"""Turning a reading's sections into HTML and numbered paragraphs, without touching the
database: the services and the fixture builder share it."""

from dataclasses import dataclass

from django.utils.html import escape

from destalin.markdown import Block, render_numbered
from destalin.text import count_words as count_visible_words


@dataclass(frozen=True)
class RenderedSection:
    position: int
    title: str
    body: str
    html: str
    first_paragraph: int
    blocks: list[Block]


def render_sections(sections):
    """``(title, body)`` pairs in order, rendered with paragraph numbers running on across
    sections, so "¶ 12" names one place in the whole reading."""
    rendered, next_number = [], 1
    for position, (title, body) in enumerate(sections, start=1):
        html, blocks = render_numbered(body, first=next_number)
        rendered.append(RenderedSection(position, title, body, html, next_number, blocks))
        next_number += len(blocks)
    return rendered


def count_words(sections):
    """The words a reader sees in the numbered blocks (not the "¶ 12" links beside them)."""
    return sum(
        count_visible_words(escape(block.text)) for section in sections for block in section.blocks
    )
