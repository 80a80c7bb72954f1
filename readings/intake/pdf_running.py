"""Running heads, running feet and printed page numbers of a PDF: found, taken out of the text
flow, and the printed numbers kept as page labels.

A line is running matter when it sits in the top or bottom band of its page and, with its
digits set aside, recurs on other pages (a book's title or chapter above every page), or is a
bare page number ("42", "xii", "Page 3", "— 7 —", "3 of 10"). Printed numbers become labels only
when they agree with the page order (number minus page index the same on most pages), so a
stray number in a margin cannot relabel a document.
"""

import re
from collections import Counter

# The bands where running matter sits, as a share of the page's height.
BAND = 0.1
_ROMAN = r"[ivxlcdm]+"
_PAGE_NUMBER = re.compile(
    rf"^(?:page|p\.|стр\.?|с\.)?\s*[-–—]?\s*(\d{{1,4}}|{_ROMAN})\s*[-–—]?"
    rf"(?:\s*(?:/|of|из)\s*\d{{1,4}})?$",
    re.IGNORECASE,
)


def _shape(text):
    """A line's text with numbers set aside, so "Chapter 3 · 41" and "Chapter 3 · 42" match."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _roman_value(text):
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for char, following in zip(text, [*text[1:], ""], strict=True):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total


def split_running(pages, heights):
    """``pages`` (one list of ``Line`` per page) without running matter, and the printed page
    numbers found, ``{page index: "42"}`` (only those that agree with the page order)."""
    shapes = Counter()
    banded = []
    for lines, height in zip(pages, heights, strict=True):
        edge = [
            line for line in lines if line.top < height * BAND or line.bottom > height * (1 - BAND)
        ]
        banded.append(edge)
        shapes.update({_shape(line.text) for line in edge})
    recurring = 2 if len(pages) < 6 else max(2, len(pages) // 4)
    numbers = {}
    running = set()
    for index, edge in enumerate(banded):
        for line in edge:
            match = _PAGE_NUMBER.match(line.text.strip())
            if match:
                numbers.setdefault(index, match.group(1))
                running.add(id(line))
            elif shapes[_shape(line.text)] >= recurring:
                running.add(id(line))
    body = [[line for line in lines if id(line) not in running] for lines in pages]
    return body, _agreeing(numbers)


def _agreeing(numbers):
    """The printed numbers that follow the page order: arabic numbers whose offset from the
    page index is the most common one, and roman numerals that count up before them."""
    offsets = Counter(int(label) - index for index, label in numbers.items() if label.isdigit())
    if not offsets:
        return {}
    offset, count = offsets.most_common(1)[0]
    if count < max(1, len(numbers) // 2):
        return {}
    agreeing = {}
    for index, label in numbers.items():
        if label.isdigit() and int(label) - index == offset:
            agreeing[index] = label
        elif not label.isdigit() and _roman_value(label.lower()) == index + 1:
            agreeing[index] = label.lower()
    return agreeing


def page_labels(count, *, pdf_labels, printed):
    """One label per page: the PDF's own page labels when it has them, else the printed number
    (continued across pages that print none, by the same offset), else the page's position."""
    if any(pdf_labels):
        return [label or str(index + 1) for index, label in enumerate(pdf_labels)]
    offsets = Counter(int(label) - index for index, label in printed.items() if label.isdigit())
    offset = offsets.most_common(1)[0][0] if offsets else 1
    labels = []
    for index in range(count):
        if index in printed:
            labels.append(printed[index])
        elif index + offset >= 1:
            labels.append(str(index + offset))
        else:
            labels.append(str(index + 1))
    return labels
