"""Formula-safe CSV for every export (gradebook, discussion exports, audit log): a cell a
spreadsheet would run as a formula (CSV injection) starts with a quote instead, which the
gradebook importer takes off again. Here, below the apps, so each export uses the same rule."""

import csv
import unicodedata
from collections.abc import Iterable, Iterator

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
    """The cell's text, with a leading quote if a spreadsheet would read it as a formula."""
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
