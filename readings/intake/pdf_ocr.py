"""Text for scanned pages: OCRmyPDF (with Tesseract) adds an invisible text layer to the pages
that have none, and the PDF path then reads it like any other.

OCRmyPDF runs as a program (Debian's ``ocrmypdf`` and ``tesseract-ocr-*`` packages), not as a
library in the worker: it is optional, found on ``PATH``, killed when it runs out of time, and
runs once over all the scanned pages, on every core, while the worker reports its progress.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from readings.intake.document import ConversionError

# A run that takes longer than this stops: OCRmyPDF's start-up, then each page's share (a
# page takes seconds on an idle core; a busy shared machine needs many times that).
START_SECONDS = 300
SECONDS_PER_PAGE = 120
POLL_SECONDS = 1
_PAGE_DONE = re.compile(r"^(\d{6})_ocr_(?:tess|hocr)\.")
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
    warnings for the instructor. ``progress(done)`` is called once per page recognised.
    Raises ``ConversionError``: "ocr_missing" when
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
    output = folder / "recognised.pdf"
    command = [
        "ocrmypdf", "--skip-text", "--output-type", "pdf", "--optimize", "0",
        "--jobs", str(min(len(pages), os.cpu_count() or 1)), "--quiet",
        "--language", "+".join(codes),
        "--pages", ",".join(str(page + 1) for page in pages),
        str(path), str(output),
    ]  # fmt: skip
    try:
        returncode = _run(command, folder, len(pages), progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if returncode != 0:
        log = (folder / "ocrmypdf.log").read_text(errors="replace").strip()
        shutil.rmtree(folder, ignore_errors=True)
        reason = (log.splitlines() or ["no message"])[-1]
        raise ConversionError(
            f"The scanned pages could not be recognised (OCRmyPDF: {reason}).",
            code="ocr_failed",
        )
    return output, warnings


def _run(command, folder, pages, progress):
    """Runs OCRmyPDF, calling ``progress(done)`` as pages finish; its exit status.

    OCRmyPDF works in a folder of its own under TMPDIR, where Tesseract's result for page N
    appears as "00000N_ocr_tess.*" (or "_ocr_hocr.*") once that page is done: the only
    progress it shows to a program that is not a terminal."""
    deadline = time.monotonic() + START_SECONDS + SECONDS_PER_PAGE * pages
    reported = 0
    with (
        (folder / "ocrmypdf.log").open("w") as log,
        subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "TMPDIR": str(folder)},
        ) as run,
    ):
        finished = False
        while not finished:
            try:
                run.wait(timeout=POLL_SECONDS)
                finished = True
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    run.kill()
                    run.wait()
                    raise ConversionError(
                        "Recognising the scanned pages took too long; try a smaller file.",
                        code="ocr_failed",
                    ) from None
            done = pages if finished and run.returncode == 0 else _pages_done(folder)
            for count in range(reported + 1, min(done, pages) + 1):
                progress(count)
            reported = max(reported, min(done, pages))
    return run.returncode


def _pages_done(folder):
    names = (path.name for path in folder.rglob("*_ocr_*"))
    return len({match.group(1) for match in map(_PAGE_DONE.match, names) if match})
