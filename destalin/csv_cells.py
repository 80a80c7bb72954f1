"""Formula-safe CSV for every export (gradebook, discussion exports, audit log): a cell a
spreadsheet would run as a formula (CSV injection) starts with a quote instead, which the
gradebook importer takes off again. Here, below the apps, so each export uses the same rule."""

import csv
from collections.abc import Iterable, Iterator

# A spreadsheet runs a cell starting with these as a formula; a leading quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    # csv.writer wants a file; this one hands each formatted row back instead of keeping it.
    def write(self, value):
        return value


def neutralise(text: str) -> str:
    """The cell's text, with a leading quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one formula-safe CSV line ("\\r\\n" ending), lazily, for a
    StreamingHttpResponse; cells are written as ``str(cell)``."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([neutralise(str(cell)) for cell in row])
