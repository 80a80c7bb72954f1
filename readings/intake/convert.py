"""One entry point for every format: the file's ``Format`` (from ``formats.identify``) picks
its converter, and what comes back is checked to hold some text."""

import zipfile
from pathlib import PurePath

from readings.intake.document import ConversionError
from readings.intake.formats import Format, check_unpacked_size
from readings.intake.pandoc import convert_with_pandoc
from readings.intake.text import convert_markdown, convert_plain_text, decode_text
from readings.intake.web import convert_web_page

# Languages OCR looks for when a course does not say: the course's texts are English and
# Russian (issue 19).
DEFAULT_LANGUAGES = ["eng", "rus"]


def convert_file(path, *, file_format, name, languages=None, progress):
    """``ConvertedDocument`` of the file at ``path`` (a ``pathlib.Path``) in ``file_format``;
    ``name`` is the file's name as uploaded (the title when the document has none);
    ``progress(done, total)`` is called as the work goes on. Raises ``ConversionError``."""
    if file_format == Format.PDF:
        # The PDF path (text layer, page labels, OCR) is its own module, built beside this one.
        from readings.intake.pdf import convert_pdf

        document = convert_pdf(path, languages=languages or DEFAULT_LANGUAGES, progress=progress)
    elif file_format in {Format.DOCX, Format.ODT, Format.EPUB}:
        _check_archive(path)
        document = convert_with_pandoc(path, reader=file_format, progress=progress)
    elif file_format == Format.HTML:
        document = convert_web_page(path, progress=progress)
    elif file_format == Format.MARKDOWN:
        document = convert_markdown(decode_text(path.read_bytes()))
    else:
        document = convert_plain_text(decode_text(path.read_bytes()))
    return finish(document, name=name)


def convert_pasted(text, *, is_markdown, name):
    """``ConvertedDocument`` of text pasted into the form, read as Markdown or as plain
    text. Raises ``ConversionError`` for text with nothing in it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ConversionError("There is no text to add.", code="empty")
    document = convert_markdown(text) if is_markdown else convert_plain_text(text)
    return finish(document, name=name)


def finish(document, *, name):
    """The document with a title (the file's name when it has none), or ``ConversionError``
    when no section holds any text."""
    if not any(section.body.strip() for section in document.sections):
        raise ConversionError(
            "No text was found in this file. If it is a scan, upload it as a PDF so its pages "
            "can be recognised.",
            code="empty",
        )
    document.title = " ".join(document.title.split()) or PurePath(name).stem.replace("_", " ")
    return document


def _check_archive(path):
    """Measure the container again in the worker: the file the worker reads is checked, not
    only the one the form saw."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_unpacked_size(archive.infolist())
    except zipfile.BadZipFile as error:
        raise ConversionError(
            "The file is damaged and cannot be opened.", code="damaged"
        ) from error
