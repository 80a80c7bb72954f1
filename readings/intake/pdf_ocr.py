"""Text for scanned pages: OCRmyPDF (with Tesseract) adds an invisible text layer to the pages
that have none, and the PDF path then reads it like any other.

OCRmyPDF runs as a program (Debian's ``ocrmypdf`` and ``tesseract-ocr-*`` packages), not as a
library in the worker: it is optional, found on ``PATH``, killed by a timeout if a page hangs,
and run a few pages at a time so that the worker can report progress between batches.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from readings.intake.document import ConversionError

# Pages per ocrmypdf run: small enough for progress to move, large enough that its start-up
# (about a second) stays a small part of the minutes a scan takes.
BATCH = 4
SECONDS_PER_PAGE = 180
# Course languages (ISO 639-1, as Django names them) to Tesseract's language data names.
TESSERACT_LANGUAGES = {
    "en": "eng", "ru": "rus", "uk": "ukr", "be": "bel", "de": "deu", "fr": "fra",
    "es": "spa", "it": "ita", "pl": "pol", "cs": "ces", "ka": "kat", "hy": "hye",
    "kk": "kaz", "lt": "lit", "lv": "lav", "et": "est", "fi": "fin", "sv": "swe",
}  # fmt: skip
# Debian's package for each engine, named in the message when it is missing.
PACKAGES = {"ocrmypdf": "ocrmypdf", "tesseract": "tesseract-ocr"}


def missing_engine():
    """The programs OCR needs that are not on ``PATH`` (a list of their names)."""
    return [program for program in PACKAGES if shutil.which(program) is None]


def tesseract_languages(languages):
    """``(codes, warnings)``: the Tesseract names of ``languages`` ("en", "ru" or "eng") that
    are installed, English when none is asked for, and a sentence for each one missing.
    Raises ``ConversionError`` (code "ocr_language") when none of them is installed."""
    installed = set(
        subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60
        ).stdout.split()[1:]
    )
    wanted = [TESSERACT_LANGUAGES.get(code.lower().split("-")[0], code) for code in languages]
    wanted = list(dict.fromkeys(wanted)) or ["eng"]
    codes = [code for code in wanted if code in installed]
    missing = [code for code in wanted if code not in installed]
    warnings = [
        f"Text in {code!r} was not recognised: install Debian's tesseract-ocr-{code}."
        for code in missing
    ]
    if not codes:
        raise ConversionError(
            "This PDF is a scan, and the OCR engine has none of this course's languages "
            f"({', '.join(wanted)}). Ask the administrator to install "
            f"{', '.join(f'tesseract-ocr-{code}' for code in missing)}.",
            code="ocr_language",
        )
    return codes, warnings


def recognise(path, pages, *, languages, progress):
    """A copy of the PDF at ``path`` with a text layer on ``pages`` (0-based indexes), and
    warnings for the instructor. ``progress(done)`` is called once per page recognised (as
    each batch of ``BATCH`` pages ends). Raises ``ConversionError``: "ocr_missing" when
    OCRmyPDF or Tesseract is not installed (nothing is run), "ocr_failed" when a run fails or
    times out."""
    missing = missing_engine()
    if missing:
        raise ConversionError(
            f"This PDF is a scan (pages without a text layer), and this server has no OCR "
            f"engine to read it: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed. Ask the administrator to "
            f"install the Debian packages {', '.join(PACKAGES[name] for name in missing)}, "
            "or upload a PDF that has text.",
            code="ocr_missing",
        )
    codes, warnings = tesseract_languages(languages)
    folder = Path(tempfile.mkdtemp(prefix="destalin-ocr-"))
    current = Path(path)
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        output = folder / f"ocr-{start}.pdf"
        command = [
            "ocrmypdf", "--skip-text", "--output-type", "pdf", "--optimize", "0",
            "--jobs", str(min(len(batch), os.cpu_count() or 1)), "--quiet",
            "--language", "+".join(codes),
            "--pages", ",".join(str(page + 1) for page in batch),
            str(current), str(output),
        ]  # fmt: skip
        try:
            run = subprocess.run(
                command, capture_output=True, text=True, timeout=SECONDS_PER_PAGE * len(batch)
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionError(
                "Recognising the scanned pages took too long; try a smaller file.",
                code="ocr_failed",
            ) from error
        if run.returncode != 0:
            reason = (run.stderr.strip().splitlines() or ["no message"])[-1]
            raise ConversionError(
                f"The scanned pages could not be recognised (OCRmyPDF: {reason}).",
                code="ocr_failed",
            )
        if current != Path(path):
            current.unlink()
        current = output
        for done in range(start + 1, start + len(batch) + 1):
            progress(done)
    return current, warnings
