"""Formula-safe CSV for every export (gradebook, discussion exports, audit log): a cell a
spreadsheet would run as a formula (CSV injection) starts with a quote instead, which the
gradebook importer takes off again. Here, below the apps, so each export uses the same rule.

Every export is UTF-8 with a byte-order mark unless the link asks for a plain file
(``?bom=0``, for tools that take the BOM for part of the first header): Excel on Windows reads
a CSV without one in the system's code page, garbling Cyrillic names. Cells lose their bidi
controls, which plain text cannot isolate (a U+202E in a name would reverse the row).
"""

import csv
import unicodedata
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from destalin.text import strip_bidi_controls

BOM = "\ufeff"

# A spreadsheet runs a cell starting with these as a formula; a leading quote makes it text.
# Spreadsheets read full-width and other compatibility forms (U+FF1D for "=", U+FE62 for "+",
# U+FF20 for "@") as these too, so a cell is judged after NFKC folding, and past any spaces or
# invisible characters in front.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    # csv.writer wants a file; this one hands each formatted row back instead of keeping it.
    def write(self, value):
        return value


def neutralise(text: str) -> str:
    """The cell's text without bidi controls, with a leading quote if a spreadsheet would read
    it as a formula."""
    text = strip_bidi_controls(text)
    return "'" + text if starts_formula(text) else text


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could run the text as a formula: its first character that shows,
    folded by NFKC, is one of ``FORMULA_STARTS`` (tab and CR count as they are)."""
    if text.startswith(("\t", "\r")):
        return True
    folded = unicodedata.normalize("NFKC", text)
    shown = next((ch for ch in folded if not ch.isspace() and not _invisible(ch)), "")
    return shown in FORMULA_STARTS


def _invisible(ch):
    # Format characters (zero-width space, joiners, bidi controls, a byte-order mark) draw
    # nothing: a formula behind them is still the cell's start to a reader.
    return unicodedata.category(ch) == "Cf"


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one formula-safe CSV line ("\\r\\n" ending), lazily, for a
    StreamingHttpResponse; cells are written as ``str(cell)``."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([neutralise(str(cell)) for cell in row])


def wants_bom(request) -> bool:
    """UTF-8 with a BOM unless the request says ``bom=0`` (a plain UTF-8 file)."""
    return request.GET.get("bom") != "0"


def csv_response(lines: Iterable[str], *, filename: str, bom: bool = True):
    """A streamed ``text/csv`` download of formatted ``lines``, the BOM first if ``bom``."""

    def body():
        if bom:
            yield BOM
        yield from lines

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
