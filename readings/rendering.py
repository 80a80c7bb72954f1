"""Turning a reading's sections into HTML and numbered blocks, without touching the database:
the services and the fixture builder share it. Block keys come from ``readings.anchors``."""

from dataclasses import dataclass

from django.utils.html import escape

from destalin.markdown import Block, numbered_texts, render_numbered
from destalin.text import count_words as count_visible_words
from readings import anchors


@dataclass(frozen=True)
class RenderedSection:
    position: int
    title: str
    body: str
    html: str
    first_paragraph: int
    blocks: list[Block]


@dataclass(frozen=True)
class RenderedReading:
    """Every section rendered, and the highest block key the reading has now used."""

    sections: list[RenderedSection]
    last_key: int

    @property
    def blocks(self):
        return [block for section in self.sections for block in section.blocks]


def render_sections(sections, *, previous=(), last_key=0):
    """``(title, body)`` pairs in order, rendered with paragraph numbers running on across
    sections, so "¶ 12" names one place in the whole reading. ``previous`` are the ``(key,
    text)`` blocks of the version before (none for a new reading) and ``last_key`` the highest
    key ever used: each block keeps the key of the block it continues (``anchors.carry_keys``).
    """
    texts = [numbered_texts(body) for _, body in sections]
    keys, last_key = anchors.carry_keys(
        list(previous), [text for chunk in texts for text in chunk], last_key=last_key
    )
    rendered, next_number = [], 1
    for position, ((title, body), chunk) in enumerate(zip(sections, texts, strict=True), 1):
        section_keys = keys[next_number - 1 : next_number - 1 + len(chunk)]
        html, blocks = render_numbered(
            body, first=next_number, keys=section_keys, doc_id=f"s{position}"
        )
        rendered.append(RenderedSection(position, title, body, html, next_number, blocks))
        next_number += len(blocks)
    return RenderedReading(rendered, last_key)


def count_words(sections):
    """The words a reader sees in the numbered blocks (not the "¶ 12" links beside them)."""
    return sum(
        count_visible_words(escape(block.text)) for section in sections for block in section.blocks
    )
