"""A PDF's body lines (running matter already taken out) grouped into blocks: headings,
paragraphs rejoined across lines and pages, list items, block quotes and tables.

Everything is measured against the body text: its most common font size, its baseline step
(the distance from one line to the next inside a paragraph) and its left edge. A line starts a
new block when the step before it is larger than the body's (paragraph spacing), when it is
set in another size, when it starts with a list marker, or when it is indented after a short
line (a book's first-line indent). A table is found where lines share a baseline in columns.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from readings.intake.pdf_lines import BULLETS, Line

_ITEM = re.compile(rf"^\s*(?:([{re.escape(BULLETS)}])|(\(?\d{{1,3}}[.)]|\(?[a-z][.)]))\s+")
# Sizes within half a point are one style; a heading is set at least this much larger.
HEADING_RATIO = 1.12


@dataclass
class Metrics:
    """The body text's size, baseline step, left and right edges, and the baseline of the
    lowest line a page holds (points)."""

    size: float
    step: float
    left: float
    right: float
    bottom: float


@dataclass
class Block:
    """``kind`` is "heading", "paragraph", "item", "quote" or "table"; ``page`` is the index
    of the page it starts on; a table has ``rows`` of cells (each a list of ``Line``)."""

    kind: str
    page: int
    lines: list[Line] = field(default_factory=list)
    level: int = 0
    rows: list[list[list[Line]]] = field(default_factory=list)
    marker: str = ""
    indent: float = 0.0


def measure(lines):
    """The ``Metrics`` of the body text among ``lines`` (all pages)."""
    sizes = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    size = sizes.most_common(1)[0][0] if sizes else 12.0
    body = [line for line in lines if abs(line.size - size) <= 0.5]
    steps = Counter(
        round(line.baseline - previous.baseline, 1)
        for previous, line in pairwise(body)
        if line.page == previous.page and 0.9 * size < line.baseline - previous.baseline < 2 * size
    )
    step = steps.most_common(1)[0][0] if steps else 1.2 * size
    lefts = Counter(round(line.x0) for line in body)
    left = lefts.most_common(1)[0][0] if lefts else 72.0
    rights = sorted(line.x1 for line in body) or [540.0]
    bottom = max((line.baseline for line in body), default=0.0)
    return Metrics(size, step, left, rights[int(len(rights) * 0.9)], bottom)


def heading_levels(lines, metrics, outline):
    """``{id(line): level}`` for heading lines, level 1 the outermost. Headings are lines set
    larger than the body or bold on their own, and lines that match the PDF's outline; levels
    come from the outline when it has several, else from the size of the type."""
    matched = _outline_matches(lines, outline)
    outline_levels = {level for level in matched.values()}
    if len(outline_levels) > 1:
        top = min(outline_levels)
        return {key: level - top + 1 for key, level in matched.items()}
    baselines = Counter((line.page, round(line.baseline)) for line in lines)
    styles = {}
    for line in lines:
        text = line.text.strip()
        if not text or len(text) > 200 or _ITEM.match(text):
            continue
        if baselines[line.page, round(line.baseline)] > 1 and id(line) not in matched:
            continue  # a cell of a table row, not a heading
        larger = line.size >= metrics.size * HEADING_RATIO
        bold_alone = line.bold and len(text) < 120 and not text.endswith((".", ",", ";"))
        if larger or bold_alone or id(line) in matched:
            styles[id(line)] = (-round(line.size * 2) / 2, not line.bold)
    ranks = {style: rank for rank, style in enumerate(sorted(set(styles.values())), start=1)}
    return {key: ranks[style] for key, style in styles.items()}


def _normal(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def _outline_matches(lines, outline):
    """``{id(line): level}`` for the lines whose text (alone or with the lines after it on
    the same page) is an outline entry's title on the entry's page."""
    by_page = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    matched = {}
    for title, page, level in outline:
        wanted = _normal(title)
        candidates = by_page.get(page, [])
        for start in range(len(candidates)):
            text = ""
            for end in range(start, len(candidates)):
                text = _normal(f"{text} {candidates[end].text}")
                if not wanted.startswith(text):
                    break
                if text == wanted:
                    for line in candidates[start : end + 1]:
                        matched[id(line)] = level
                    break
            else:
                continue
            if text == wanted:
                break
    return matched


def build_blocks(lines, metrics, levels):
    """The blocks of the body ``lines`` (in reading order, all pages), headings at
    ``levels``."""
    blocks = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if id(line) in levels:
            previous = blocks[-1] if blocks else None
            if (
                previous
                and previous.kind == "heading"
                and previous.level == levels[id(line)]
                and previous.page == line.page
                and line.top - previous.lines[-1].bottom < 0.8 * line.size
            ):
                previous.lines.append(line)
            else:
                blocks.append(Block("heading", line.page, [line], level=levels[id(line)]))
            index += 1
            continue
        table, index_after = _table(lines, index, metrics, levels)
        if table:
            blocks.append(table)
            index = index_after
            continue
        _add_text_line(blocks, line, metrics)
        index += 1
    for block in blocks:
        if block.kind == "paragraph" and all(
            line.x0 > metrics.left + 1.2 * metrics.size for line in block.lines
        ):
            block.kind = "quote"
    return blocks


def _add_text_line(blocks, line, metrics):
    text = line.text
    item = _ITEM.match(text)
    current = blocks[-1] if blocks else None
    if item or line.text_x0 is not None:
        marker = (item.group(1) or item.group(2)) if item else text.split()[0]
        blocks.append(Block("item", line.page, [line], marker=marker, indent=line.x0))
        return
    if current is not None and current.kind in {"paragraph", "item", "quote"}:
        last = current.lines[-1]
        same_style = abs(line.size - last.size) <= 0.5
        if line.page == last.page:
            step = line.baseline - last.baseline
            continues = same_style and 0 < step <= metrics.step * 1.25
            if continues and current.kind == "item":
                text_x0 = current.lines[0].text_x0 or current.lines[0].x0
                continues = (
                    line.x0 > current.indent + 0.3 * line.size
                    or abs(line.x0 - text_x0) < 0.5 * line.size
                )
            elif continues and line.x0 > last.x0 + 0.8 * line.size:
                # An indented line after a short one starts a paragraph (book typesetting).
                continues = last.x1 > metrics.right - 2 * metrics.size
        else:
            # Across a page break only the shape of the lines tells: the paragraph goes on
            # when the previous page's last line has no closing punctuation, or when it
            # fills the page and the next word would not have fitted on it; an indented
            # line on the new page starts a paragraph.
            ended = last.text.rstrip().endswith((".", "!", "?", ":", "”", '"', "»", ")"))
            indented = line.x0 > metrics.left + 0.8 * line.size and current.kind == "paragraph"
            full = last.baseline >= metrics.bottom - 0.5 * metrics.step
            continues = (
                same_style
                and not indented
                and (not ended or (full and _next_word_overflows(last, line, metrics)))
            )
        if continues:
            current.lines.append(line)
            return
    blocks.append(Block("paragraph", line.page, [line]))


def _next_word_overflows(last, line, metrics):
    """The first word of ``line`` would not have fitted at the end of ``last`` (estimating a
    character at half an em), so the break between them was the typesetter's, not the
    author's."""
    words = line.text.split()
    width = (len(words[0]) + 1) * 0.5 * line.size if words else 0
    return last.x1 + width > metrics.right + 2


def _same_baseline(lines, start):
    """The index after the run of lines sharing ``lines[start]``'s baseline, left to right."""
    end = start + 1
    while (
        end < len(lines)
        and lines[end].page == lines[start].page
        and abs(lines[end].baseline - lines[end - 1].baseline) < 0.4 * lines[start].size
        and lines[end].x0 > lines[end - 1].x1
    ):
        end += 1
    return end


def _column(columns, line):
    """The column ``line`` sits in, or None when it crosses a column's edge."""
    for number, x0 in enumerate(columns):
        following = columns[number + 1] if number + 1 < len(columns) else None
        if line.x0 >= x0 - 4 and (following is None or line.x0 < following - 4):
            if following is not None and line.x1 > following + 2:
                return None
            return number
    return None


def _wrapped(above, line, columns):
    """``line`` continues the first-column cell of ``above`` (the line before it in that
    cell): its first word would not have fitted at the end of ``above``."""
    if above is None or len(columns) < 2:
        return False
    word = line.text.split()[0] if line.text.split() else ""
    return above.x1 + (len(word) + 1) * 0.5 * line.size > columns[1] - 4


def _table(lines, start, metrics, levels):
    """A table starting at ``lines[start]`` (a row of two or more cells on one baseline) and
    the index after it, or ``(None, start)``. Rows continue across a page break; a header
    row the layout repeats on the next page is skipped."""
    end = _same_baseline(lines, start)
    if end - start < 2 or any(id(line) in levels for line in lines[start:end]):
        return None, start
    columns = [line.x0 for line in lines[start:end]]
    rows = [[[] for _ in columns]]
    header = None
    position, previous_bottom, previous_page = start, None, lines[start].page
    previous_first = None
    while position < len(lines):
        group_end = _same_baseline(lines, position)
        group = lines[position:group_end]
        if any(id(line) in levels for line in group):
            break
        cells = [_column(columns, line) for line in group]
        if None in cells:
            break
        page_break = group[0].page != previous_page
        if page_break and [line.text for line in group] == header:
            position, previous_page, previous_bottom = group_end, group[0].page, None
            continue
        first = group[cells.index(0)] if 0 in cells else None
        if previous_bottom is not None and not page_break:
            step = group[0].baseline - previous_bottom
            if step > 2.5 * metrics.step:
                break
            if first and (
                step > 1.1 * metrics.step or not _wrapped(previous_first, first, columns)
            ):
                rows.append([[] for _ in columns])
        elif page_break and first:
            rows.append([[] for _ in columns])
        previous_first = first
        for line, cell in zip(group, cells, strict=True):
            rows[-1][cell].append(line)
        if header is None:
            header = [line.text for line in group]
        previous_bottom, previous_page = group[0].baseline, group[0].page
        position = group_end
    if len(rows) < 2:
        return None, start
    return Block("table", lines[start].page, lines[start:position], rows=rows), position
