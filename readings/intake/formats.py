"""What an uploaded file is, from its bytes, and whether it is safe to hand to a converter.

The extension is a claim; the first bytes (and, for ZIP containers, the names inside) are the
evidence. A file whose claim and evidence disagree is refused rather than guessed at, because a
mislabelled file is usually the wrong file. ZIP containers (DOCX, ODT, EPUB) are measured from
their central directory before anything inflates them, so a "ZIP bomb" never reaches pandoc.
"""

import re
import zipfile
from pathlib import PurePath

from django.db import models

from readings.intake.document import ConversionError

# A 300-page book as DOCX or EPUB inflates to a few tens of MB (mostly images); 200 MB leaves
# room for scans pasted into Word while refusing the gigabytes of a bomb.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Text and XML compress about 10:1, images not at all; bombs compress 1000:1 and more. The
# ratio is judged only past a size no short document's XML reaches.
MAX_RATIO = 100
RATIO_FROM_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 10_000
# How much of a file the sniffer reads: enough for any magic number and an HTML prologue.
HEAD_BYTES = 4096

_ELEMENT = re.compile(
    r"<(?:!--|(?:p|div|h[1-6]|body|head|meta|section|article|main|table|ul|ol|title)[\s>])"
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    ODT = "odt", "OpenDocument text (ODT)"
    EPUB = "epub", "EPUB"
    HTML = "html", "Web page (HTML)"
    MARKDOWN = "markdown", "Markdown"
    TEXT = "text", "Plain text"


EXTENSIONS = {
    ".pdf": Format.PDF,
    ".docx": Format.DOCX,
    ".odt": Format.ODT,
    ".epub": Format.EPUB,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
}
CONTENT_TYPES = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.ODT: "application/vnd.oasis.opendocument.text",
    Format.EPUB: "application/epub+zip",
    Format.HTML: "text/html; charset=utf-8",
    Format.MARKDOWN: "text/markdown; charset=utf-8",
    Format.TEXT: "text/plain; charset=utf-8",
}
ACCEPT = ",".join(EXTENSIONS)


def identify(file, name):
    """The ``Format`` of an uploaded file (a binary file object, read from its start) named
    ``name``, after checking its bytes agree with its extension and, for ZIP containers, that
    they are safe to unpack. Raises ``ConversionError`` with a message for the person."""
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise ConversionError(
            f"“{name}” is not a kind of file Destalin can read. Upload a PDF, Word (.docx), "
            "OpenDocument (.odt), EPUB, web page (.html), Markdown (.md) or text (.txt) file.",
            code="unsupported",
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if not head.strip():
        raise ConversionError("The file is empty.", code="empty")
    found = _sniff(file, head)
    if found == "ole" and claimed in {Format.DOCX, Format.ODT}:
        # Word saves a password-protected DOCX as an encrypted OLE container (MS-OFFCRYPTO).
        raise ConversionError(
            "This document is protected by a password. Open it, remove the password (in Word: "
            "File, Info, Protect Document), save it and upload it again.",
            code="encrypted",
        )
    if found != claimed and not (found == Format.TEXT and claimed == Format.MARKDOWN):
        described = Format(found).label if found in Format.values else "something else"
        raise ConversionError(
            f"“{name}” is named as {Format(claimed).label} but its contents are "
            f"{described}. Check that you chose the right file, or save it again in the "
            "format its name says.",
            code="mismatch",
        )
    file.seek(0)
    return claimed


def _sniff(file, head):
    if head.startswith(b"%PDF-"):
        return Format.PDF
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(file)
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at HEAD_BYTES is still UTF-8.
        if error.start < len(head) - 4:
            return "binary"
        text = head[: error.start].decode("utf-8-sig")
    start = text.lstrip().lower()
    if start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<?xml") and "<html" in start
    ):
        return Format.HTML
    # A fragment (what many tools export without --standalone) opens with an element.
    if _ELEMENT.match(start):
        return Format.HTML
    return Format.TEXT


def _zip_format(file):
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise ConversionError(
            "The file is damaged: it starts as a ZIP container but cannot be opened.",
            code="damaged",
        ) from error
    with archive:
        members = archive.infolist()
        check_unpacked_size(members)
        names = {member.filename for member in members}
        if any(member.flag_bits & 0x1 for member in members):
            raise ConversionError(
                "This document is protected by a password; remove it and upload it again.",
                code="encrypted",
            )
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].strip()
            if mimetype == b"application/epub+zip":
                return Format.EPUB
            if mimetype == b"application/vnd.oasis.opendocument.text":
                return Format.ODT
        if "word/document.xml" in names:
            return Format.DOCX
    return "zip"


def check_unpacked_size(members):
    """Refuse a ZIP whose members (``zipfile.ZipInfo``, as its central directory declares
    them) would inflate past ``MAX_UNZIPPED_BYTES``, compress suspiciously well, or are too
    many. Reads no member. zipfile itself stops at a member's declared size, so a directory
    that lies about sizes cannot inflate more than it declares."""
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    suspicious = total > RATIO_FROM_BYTES and total / packed > MAX_RATIO
    if len(members) > MAX_MEMBERS or total > MAX_UNZIPPED_BYTES or suspicious:
        raise ConversionError(
            f"This file would unpack to {total // (1024 * 1024):,} MB from "
            f"{packed // 1024:,} KB, far more than any document does; Destalin will not open "
            "it. If it is a real document, save it again from your word processor.",
            code="zip_bomb",
        )
