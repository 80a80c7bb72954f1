"""The PDF path of intake: a PDF file to a ``ConvertedDocument`` (issue 19).

PDFium (pypdfium2) reads the text with each character's position, size and font; the layout
modules beside this one rebuild what the page shows: running heads, feet and page numbers out
of the text flow (``pdf_running``), footnotes (``pdf_notes``), headings, paragraphs, lists,
quotes and tables (``pdf_blocks``), Markdown sections with page markers (``pdf_markdown``).
Pages without a text layer are recognised first by OCRmyPDF and Tesseract when they are
installed (``pdf_ocr``).
Title and author come from the document information dictionary.
"""

import shutil
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from django.conf import settings

from readings.intake import pdf_blocks, pdf_markdown, pdf_notes, pdf_ocr, pdf_running
from readings.intake.document import ConversionError, ConvertedDocument
from readings.intake.pdf_lines import Fonts, page_lines

# A longer PDF is refused before any work: a whole book is several readings, and the worker
# must not spend an hour on one upload. Settings: READINGS_PDF_MAX_PAGES.
MAX_PAGES = 1000


def convert_pdf(path: Path, *, languages: list[str], progress) -> ConvertedDocument:
    """The PDF at ``path`` as a ``ConvertedDocument``. ``languages`` are the course's
    languages ("en", "ru"), used to recognise scanned pages; ``progress(done, total)`` is
    called once per page read, and once per page recognised when some pages are scans (those
    count twice in ``total``). Raises ``ConversionError`` with code "empty", "not_pdf",
    "damaged", "encrypted", "too_many_pages", "no_text", "ocr_missing", "ocr_language" or
    "ocr_failed";
    nothing is left behind on disk either way."""
    path = Path(path)
    _check_bytes(path)
    document = _open(path)
    ocr_file = None
    try:
        count = len(document)
        limit = getattr(settings, "READINGS_PDF_MAX_PAGES", MAX_PAGES)
        if count == 0:
            raise ConversionError("This PDF has no pages.", code="empty")
        if count > limit:
            raise ConversionError(
                f"This PDF has {count} pages; the limit is {limit}. Split it into parts "
                "(a chapter each) and upload them one by one.",
                code="too_many_pages",
            )
        scanned = _pages_without_text(document)
        total = count + len(scanned)
        warnings = []
        if scanned:
            ocr_file, warnings = pdf_ocr.recognise(
                path, scanned, languages=languages, progress=lambda done: progress(done, total)
            )
            document.close()
            document = _open(ocr_file)
            warnings.append(_ocr_note(scanned, count))
        converted = _convert(document, progress=lambda done: progress(len(scanned) + done, total))
        converted.warnings = warnings + converted.warnings
        return converted
    finally:
        document.close()
        if ocr_file is not None:
            shutil.rmtree(ocr_file.parent, ignore_errors=True)


def _check_bytes(path):
    with path.open("rb") as file:
        head = file.read(1024)
    if not head.strip():
        raise ConversionError("The file is empty.", code="empty")
    if b"%PDF-" not in head:
        raise ConversionError(
            "This file is not a PDF, whatever its name says. Upload the PDF itself, or the "
            "document in its own format (Word, ODT, EPUB, HTML, Markdown, text).",
            code="not_pdf",
        )


def _open(path):
    try:
        return pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ConversionError(
                "This PDF is protected by a password. Open it, save a copy without the "
                "password, and upload that.",
                code="encrypted",
            ) from error
        raise ConversionError(
            "This PDF is damaged or incomplete (perhaps the download or the upload was cut "
            "short) and cannot be read. Save or download it again and upload the new copy.",
            code="damaged",
        ) from error


def _pages_without_text(document):
    """Indexes of pages that show an image but hold no text object (nor a form that may hold
    one): scans. Reads the page objects only, not the text, so it costs little."""
    shows_text = {pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM}
    scanned = []
    for index in range(len(document)):
        page = document[index]
        types = {
            pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, number))
            for number in range(pdfium_c.FPDFPage_CountObjects(page.raw))
        }
        if pdfium_c.FPDF_PAGEOBJ_IMAGE in types and not types & shows_text:
            scanned.append(index)
        page.close()
    return scanned


def _ocr_note(scanned, count):
    if len(scanned) == count:
        return "This PDF is a scan; its text was recognised by OCR. Check it against the original."
    pages = ", ".join(str(index + 1) for index in scanned[:10])
    more = "…" if len(scanned) > 10 else ""
    return f"Pages {pages}{more} had no text layer and were recognised by OCR."


def _convert(document, *, progress):
    metadata = document.get_metadata_dict(skip_empty=True)
    count = len(document)
    fonts = Fonts()
    pages, heights = [], []
    for index in range(count):
        page = document[index]
        heights.append(page.get_height())
        pages.append(page_lines(page, index, fonts))
        page.close()
        progress(index + 1)
    body_pages, printed = pdf_running.split_running(pages, heights)
    labels = pdf_running.page_labels(
        count,
        pdf_labels=[document.get_page_label(index) for index in range(count)],
        printed=printed,
    )
    lines = [line for page in body_pages for line in page]
    title = _clean(metadata.get("Title", ""))
    author = _clean(metadata.get("Author", ""))
    metrics = pdf_blocks.measure(lines)
    lines, notes = pdf_notes.split_notes(lines, metrics)
    lines, title = _without_title(lines, metrics, title=title, author=author)
    levels = pdf_blocks.heading_levels(lines, metrics, _outline(document))
    blocks = pdf_blocks.build_blocks(lines, metrics, levels)
    words = pdf_markdown.Words(
        (line.text for line in lines), notes=notes, note_keys=pdf_notes.note_keys(lines, notes)
    )
    if not lines:
        raise ConversionError(
            "No text was found in this PDF: its pages are blank or hold only drawings.",
            code="no_text",
        )
    return ConvertedDocument(
        title=title,
        author=author if author.lower() not in {"unknown", "anonymous"} else "",
        sections=pdf_markdown.sections(blocks, labels, words),
    )


def _clean(value):
    return " ".join(value.replace("\x00", "").split())


def _outline(document):
    """``[(title, page index, level)]`` of the PDF's bookmarks that point at a page."""
    entries = []
    for bookmark in document.get_toc(max_depth=6):
        destination = bookmark.get_dest()
        index = destination.get_index() if destination else None
        if index is not None:
            entries.append((bookmark.get_title(), index, bookmark.level))
    return entries


def _without_title(lines, metrics, *, title, author):
    """The lines without the title page's title and byline (they are the reading's title and
    author), and the title: the metadata's, else the first page's largest type."""
    first_page = [line for line in lines if line.page == 0]
    if not title:
        large = [line for line in first_page[:6] if line.size >= metrics.size * 1.4]
        if large:
            biggest = max(line.size for line in large)
            title = " ".join(line.text.strip() for line in large if line.size == biggest)
    dropped = set()
    wanted = " ".join(title.lower().split())
    for start, line in enumerate(first_page[:12]):
        text = ""
        for end in range(start, min(start + 4, len(first_page))):
            text = " ".join(f"{text} {first_page[end].text}".lower().split())
            if text == wanted and wanted:
                dropped.update(id(item) for item in first_page[start : end + 1])
                break
            if not wanted.startswith(text):
                break
        if author and line.text.strip().lower() == author.lower():
            dropped.add(id(line))
        if dropped and id(line) not in dropped and line.size >= metrics.size * 1.12:
            break
    return [line for line in lines if id(line) not in dropped], title
