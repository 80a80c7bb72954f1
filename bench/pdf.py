"""PDF intake benchmark: `make bench`. Not a test; it never fails because a machine is slow.

Builds, with the same tools as the tests (pandoc, LibreOffice, pdftoppm, PDFium), a 300-page
text PDF from the seed readings and a 40-page scan of its first pages, and reports how long
``convert_pdf`` takes on each, next to the issue's budgets: under a minute for 300 text pages,
a few minutes for a 40-page scan (OCR by OCRmyPDF and Tesseract).
"""

import os
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from readings.intake.pdf import convert_pdf  # noqa: E402
from tests.readings.documents import SEED_NAMES, Documents, seed_source  # noqa: E402

TEXT_PAGES = int(os.environ.get("BENCH_PDF_PAGES", "300"))
SCAN_PAGES = int(os.environ.get("BENCH_SCAN_PAGES", "40"))


def timed(path, languages):
    pages = []
    start = time.perf_counter()
    document = convert_pdf(path, languages=languages, progress=lambda d, t: pages.append(t))
    return time.perf_counter() - start, pages[-1], document


def main():
    documents = Documents(tempfile.mkdtemp(prefix="bench-pdf-"))
    seeds = "\n\n".join(seed_source(name)[1] for name in SEED_NAMES)
    # The four seeds make about 13.5 pages of LibreOffice's ODT; repeated until long enough.
    copies = int(TEXT_PAGES / 13.5) + 1
    book = documents.text_pdf("book", "\n\n".join([seeds] * copies), via="odt")
    seconds, pages, document = timed(book, ["en"])
    print(
        f"text PDF: {pages} pages in {seconds:.1f} s ({seconds / pages * 1000:.0f} ms a page), "
        f"{len(document.sections)} sections; budget 60 s"
    )
    scan = documents.scan(book, dpi=200, last=SCAN_PAGES)
    seconds, steps, _ = timed(scan, ["en", "ru"])
    print(
        f"scanned PDF: {steps // 2} pages (OCR, English and Russian) in {seconds:.0f} s "
        f"({seconds / (steps // 2):.1f} s a page); budget a few minutes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
