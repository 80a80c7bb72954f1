"""PDF blocks written as the Markdown of ``readings.intake.document``: sections from the
outermost headings (or page ranges when there are none), page markers before the first block
of each page, emphasis from italic and bold type, words hyphenated at a line's end rejoined.

A hyphen at the end of a line is a typesetter's break or part of the word ("reform-minded").
The document itself decides: the hyphen is kept when the hyphenated form occurs elsewhere in
it, dropped when the joined form does, kept when the second part does not start with a small
letter ("de-Stalinization") or either part is a word of the document ("reform-minded",
"self-worth"), and dropped otherwise ("puni-shments"). Born-digital office documents are
rarely hyphenated by their typesetter; books are, and their fragments are rarely words.
"""

import re
from collections import Counter

from readings.intake.document import ConvertedSection, page_marker

# A PDF without headings is cut into sections of this many pages ("Pages 1–10").
PAGES_PER_SECTION = 10
_WORD = re.compile(r"\w+(?:-\w+)*")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s)")


class Words:
    """The document's vocabulary, for deciding line-end hyphens."""

    def __init__(self, texts, *, notes=None, note_keys=None):
        """``texts`` are the document's lines in order; the two halves of a word broken at
        a line's end are not counted as words of their own. ``notes`` and ``note_keys``
        (``readings.intake.pdf_notes``) turn raised numbers into footnote references."""
        self.notes = notes or {}
        self.note_keys = note_keys or {}
        self.counts = Counter()
        broken = False
        for text in texts:
            words = [word.lower() for word in _WORD.findall(text)]
            if broken and words:
                words = words[1:]
            broken = text.rstrip().endswith("-")
            if broken and words:
                words = words[:-1]
            self.counts.update(words)
            self.counts.update(part for word in words if "-" in word for part in word.split("-"))

    def join(self, head, tail):
        """``head`` ends in "-" at a line's end; the text as the author wrote it."""
        first = re.search(r"(\w+)-$", head)
        second = re.match(r"\w+", tail)
        if not first or not second:
            return f"{head}{tail}"
        left, right = first.group(1).lower(), second.group(0).lower()
        kept, joined = f"{head}{tail}", f"{head[:-1]}{tail}"
        if self.counts[f"{left}-{right}"]:
            return kept
        if self.counts[left + right]:
            return joined
        if not second.group(0)[0].islower() or self.counts[left] or self.counts[right]:
            return kept
        return joined


def escape(text):
    """Plain text as Markdown that shows it as it is."""
    text = _ESCAPE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda match: "\\" + match.group(0), text)


def inline(lines, words, *, styled=True):
    """The Markdown of consecutive lines of one block: spans in their emphasis, lines joined
    by a space or across a line-end hyphen."""
    parts = []
    for line in lines:
        text = _spans(line, words, styled=styled).strip()
        if not text:
            continue
        if parts and parts[-1].endswith("-") and not parts[-1].endswith(" -"):
            parts[-1] = words.join(parts[-1], text)
        elif parts and parts[-1].endswith(("–", "—")) and not parts[-1][-2:-1].isspace():
            parts[-1] += text  # an unspaced dash: "1–22", "intensely—one"
        elif parts and text.startswith("—"):
            parts[-1] += text  # an em dash is set closed up: "textiles—was"
        else:
            parts.append(text)
    return " ".join(parts)


def _spans(line, words, *, styled):
    out = []
    for span in line.spans:
        key = words.note_keys.get((line.page, span.text.strip()))
        if span.superscript and key:
            out.append(f"[^{key}]{' ' if span.text.endswith(' ') else ''}" if styled else "")
            continue
        text = escape(span.text)
        marks = ("**" if span.bold else "") + ("*" if span.italic else "")
        if styled and marks and text.strip():
            # Emphasis is read word by word, so punctuation after a word comes with it.
            lead, core, trail = re.match(r"^(\s*)(.*?)([.,;:!?]*\s*)$", text, re.S).groups()
            text = f"{lead}{marks}{core}{marks[::-1]}{trail}"
        out.append(text)
    return "".join(out)


def block_markdown(block, words, *, section_level):
    """One block as Markdown (no trailing newline)."""
    if block.kind == "heading":
        depth = min(6, 2 + block.level - section_level)
        return f"{'#' * depth} {inline(block.lines, words, styled=False)}"
    if block.kind == "item":
        text = inline(block.lines, words)
        text = re.sub(rf"^\s*{re.escape(escape(block.marker))}\s*", "", text)
        number = re.match(r"^\(?(\d+)[.)]$", block.marker)
        return f"{number.group(1)}. {text}" if number else f"- {text}"
    if block.kind == "quote":
        return f"> {inline(block.lines, words)}"
    if block.kind == "table":
        rows = [
            [inline(cell, words).replace("\n", " ") or " " for cell in row] for row in block.rows
        ]
        lines = [f"| {' | '.join(rows[0])} |", f"|{' --- |' * len(rows[0])}"]
        lines += [f"| {' | '.join(row)} |" for row in rows[1:]]
        return "\n".join(lines)
    return inline(block.lines, words)


def sections(blocks, labels, words):
    """``ConvertedSection`` list: one per outermost heading (text before the first is a
    section without a title), or per ``PAGES_PER_SECTION`` pages when there is no heading."""
    headings = [block.level for block in blocks if block.kind == "heading"]
    if headings:
        top = min(headings)
        groups, title_of = [], {}
        for block in blocks:
            if block.kind == "heading" and block.level == top:
                groups.append([])
                title_of[len(groups) - 1] = block
            elif not groups:
                groups.append([])
            if not (block.kind == "heading" and block.level == top):
                groups[-1].append(block)
        result = []
        for number, group in enumerate(groups):
            heading = title_of.get(number)
            pages = [b.page for b in group] + ([heading.page] if heading else [])
            last = max((line.page for b in group for line in b.lines), default=None)
            result.append(
                ConvertedSection(
                    title=inline(heading.lines, words, styled=False) if heading else "",
                    body=_body(group, labels, words, top, heading.page if heading else None),
                    first_page=labels[min(pages)] if pages else "",
                    last_page=labels[max(last, *pages)] if pages and last is not None else "",
                )
            )
        return [section for section in result if section.title or section.body.strip()]
    result = []
    for first in range(0, len(labels), PAGES_PER_SECTION):
        last = min(first + PAGES_PER_SECTION, len(labels)) - 1
        group = [block for block in blocks if first <= block.page <= last]
        title = f"Pages {labels[first]}–{labels[last]}" if last > first else f"Page {labels[first]}"
        result.append(
            ConvertedSection(
                title, _body(group, labels, words, 1, first), labels[first], labels[last]
            )
        )
    return result


def _notes(body, words):
    """The definitions of the footnotes ``body`` refers to, in order."""
    lines_of = {key: words.notes[reference] for reference, key in words.note_keys.items()}
    definitions = []
    for key in dict.fromkeys(re.findall(r"\[\^(\d+)\]", body)):
        text = re.sub(r"^\s*\\?\d{1,3}[.)]?\s*", "", inline(lines_of[key], words))
        definitions.append(f"[^{key}]: {text}")
    return "\n\n".join(definitions)


def _body(blocks, labels, words, section_level, start_page):
    """The Markdown of a section: blocks separated by blank lines, each page's marker before
    the first block that starts on it (pages where no block starts share the next block's
    place)."""
    out = []
    marked = (start_page - 1) if start_page is not None else None
    if start_page is not None:
        out.append(page_marker(labels[start_page]))
    previous_kind = None
    for block in blocks:
        if marked is None:
            marked = block.page - 1
        while marked < block.page:
            marked += 1
            if marked > (start_page if start_page is not None else -1):
                out.append(page_marker(labels[marked]))
            previous_kind = None
        if block.kind == "item" and previous_kind == "item" and out:
            out[-1] += "\n" + block_markdown(block, words, section_level=section_level)
        else:
            out.append(block_markdown(block, words, section_level=section_level))
        previous_kind = block.kind
    body = "\n\n".join(out)
    notes = _notes(body, words)
    if notes:
        body = f"{body}\n\n{notes}"
    return body + ("\n" if out else "")
