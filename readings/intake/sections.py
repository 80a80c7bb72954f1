"""A converted document's Markdown cut into a reading's sections at its top headings.

The top level is the highest heading level the text uses (after a lone title heading at the
very start, which names the document rather than a section); each of its headings starts a
section, text before the first one is an untitled section, and deeper headings are moved to
``###`` and below, the level the reader uses inside a section. Footnote definitions go with
the section that first cites them, so each section reads on its own.
"""

import re

from markdown_it import MarkdownIt

from readings.intake.document import ConvertedSection

# The reader's own Markdown (destalin.markdown): CommonMark with tables.
_md = MarkdownIt("commonmark").enable("table")
_PAGE = re.compile(r"^<!-- page: (.+?) -->$")
# The most words a title block above a title heading may hold (a long title and its authors).
TITLE_BLOCK_WORDS = 60

_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NOTE_START = re.compile(r"^\[\^([^\]\s]+)\]:")


def split_sections(markdown):
    """``(title, [ConvertedSection])`` from a whole document's Markdown: the title is the
    text of a lone first-level heading that opens the document ("" if there is none)."""
    lines, notes = _take_notes(markdown.replace("\r\n", "\n").split("\n"))
    headings = [(i, len(m.group(1)), (m.group(2) or "").strip()) for i, m in _headings(lines)]
    title = ""
    # A web page's title block repeats its title heading: the first of the two goes.
    if len(headings) > 1 and headings[0][1] == headings[1][1] == 1:
        (first, _, text), (second, _, again) = headings[:2]
        between = " ".join(" ".join(lines[first + 1 : second]).split())
        if text == again and len(between.split()) <= TITLE_BLOCK_WORDS:
            lines[:second] = [""] * second
            headings.pop(0)
    level_one = [h for h in headings if h[1] == 1]
    if len(level_one) == 1 and headings[0][1] == 1:
        index, _, heading = headings[0]
        # Word and LibreOffice set a title block (title, authors, date: the document's
        # metadata again) as paragraphs of their own above the heading.
        before = " ".join(" ".join(lines[:index]).split())
        if not before or (before.startswith(heading) and len(before.split()) <= TITLE_BLOCK_WORDS):
            title = heading
            headings.pop(0)
            lines[: index + 1] = [""] * (index + 1)
    top = min((level for _, level, _ in headings), default=None)
    starts = {index: text for index, level, text in headings if level == top}
    shifts = {index: level - top + 2 for index, level, _ in headings if level != top}
    sections, current_title, body = [], None, []
    for index, line in enumerate(lines):
        if index in starts:
            _close(sections, current_title, body)
            current_title, body = starts[index], []
        elif index in shifts:
            level = max(3, min(6, shifts[index]))
            body.append("#" * level + line.lstrip("#"))
        else:
            body.append(line)
    _close(sections, current_title, body)
    _place_notes(sections, notes)
    return title, sections


def _headings(lines):
    fence = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _HEADING.match(line)
        if match:
            yield index, match


def _take_notes(lines):
    """The lines without footnote definitions, and the definitions ``{label: text}``."""
    kept, notes, label = [], {}, None
    for index, line in enumerate(lines):
        start = _NOTE_START.match(line)
        if start:
            label = start.group(1)
            notes[label] = [line]
        elif label and (line.startswith("    ") or (not line.strip() and _continues(lines, index))):
            notes[label].append(line)
        else:
            label = None
            kept.append(line)
    return kept, {key: "\n".join(value).rstrip() for key, value in notes.items()}


def _continues(lines, index):
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return following.startswith("    ") or bool(_NOTE_START.match(following))


def _close(sections, title, body):
    text = "\n".join(body).strip("\n")
    if text.strip() or title:
        sections.append(ConvertedSection(title=title or "", body=text))


def _place_notes(sections, notes):
    for label, text in notes.items():
        cited = re.compile(rf"\[\^{re.escape(label)}\](?!:)")
        home = next((s for s in sections if cited.search(s.body)), None)
        if home is None:
            if not sections:
                sections.append(ConvertedSection(title="", body=""))
            home = sections[-1]
        home.body = f"{home.body.rstrip()}\n\n{text}"


def block_starts(body):
    """Where a section's body may be split: ``[(line, label)]`` for each top-level block but
    the first, ``line`` the 0-based line it starts on, ``label`` its first words ("Page 42"
    for a PDF's page marker)."""
    tokens = _md.parse(body)
    starts = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or not token.map:
            continue
        page = _PAGE.match(token.content.strip()) if token.type == "html_block" else None
        if page:
            label = f"Page {page.group(1)}"
        else:
            inline = next((t.content for t in tokens[index:] if t.type == "inline"), "")
            words = inline.split()
            label = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
        starts.append((token.map[0], label or token.type.removesuffix("_open")))
    return starts[1:]


def split_at(body, line):
    """The body cut in two before ``line`` (0-based, as ``block_starts`` gives it)."""
    lines = body.split("\n")
    return "\n".join(lines[:line]).rstrip("\n"), "\n".join(lines[line:]).strip("\n")
