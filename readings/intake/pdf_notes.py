"""Footnotes of a PDF: the small lines at the foot of a page that start with a number raised
somewhere in that page's text. They leave the text flow and become pandoc footnotes
(``[^1]`` where the number was raised, ``[^1]: text`` at the end of the section)."""

import re

_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]?\s+\S")


def split_notes(lines, metrics):
    """``(lines, notes)``: the lines without the footnotes' lines, and the footnotes as
    ``{(page index, number): [Line, …]}``. A footnote starts below every line of body type
    on its page, in smaller type, with a number (raised or not) that the page's text raises."""
    raised = {
        (line.page, span.text.strip()) for line in lines for span in line.spans if span.superscript
    }
    if not raised:
        return lines, {}
    body_bottom = {}
    for line in lines:
        if abs(line.size - metrics.size) <= 0.5:
            body_bottom[line.page] = max(body_bottom.get(line.page, 0.0), line.baseline)
    notes, taken, current = {}, set(), None
    for line in lines:
        below = line.baseline > body_bottom.get(line.page, 0.0)
        if not below or line.size > metrics.size * 0.95:
            current = None
            continue
        first = line.spans[0] if line.spans else None
        match = _NUMBERED.match(line.text)
        if first is not None and first.superscript:
            number = first.text.strip()
        else:
            number = match.group(1) if match else None
        if number and (line.page, number) in raised:
            current = notes[line.page, number] = [line]
        elif current is None or current[-1].page != line.page:
            continue
        else:
            current.append(line)
        taken.add(id(line))
    return [line for line in lines if id(line) not in taken], notes


def note_keys(lines, notes):
    """``{(page index, number): "1"}``: each footnote's label, numbered through the document
    in the order its references appear (a PDF's own numbers may restart on each page)."""
    keys = {}
    for line in lines:
        for span in line.spans:
            reference = (line.page, span.text.strip())
            if span.superscript and reference in notes and reference not in keys:
                keys[reference] = str(len(keys) + 1)
    return keys
