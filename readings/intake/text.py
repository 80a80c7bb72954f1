"""Markdown and plain text, uploaded or pasted.

Markdown is the reader's own format: front matter as ``readings.sources`` reads it fills the
metadata, and the text is cut into sections at its top headings. Plain text becomes
paragraphs at its blank lines, with every character that Markdown would read as formatting
escaped, so the reading shows exactly what was written.
"""

import re

from readings.intake.document import ConversionError, ConvertedDocument, ConvertedSection
from readings.intake.sections import split_sections
from readings.sources import META_KEYS

# Inline characters Markdown may read as formatting, and line starts it may read as blocks.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)(\d*)([#>+=.)-])")


def decode_text(data):
    """Bytes of a text file as text with ``\\n`` line ends; ``ConversionError`` unless it is
    UTF-8 (with or without a byte-order mark) with something in it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConversionError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read). Save it as UTF-8 "
            "(in most editors: Save As, Encoding: UTF-8) and upload it again.",
            code="encoding",
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ConversionError("The file is empty.", code="empty")
    return text


def convert_markdown(text):
    """``ConvertedDocument`` of Markdown, with front matter (``title:``, ``author:`` …) if the
    text opens with it."""
    meta, body = _front_matter(text)
    title, sections = split_sections(body)
    return ConvertedDocument(
        title=meta.get("title") or title,
        author="" if meta.get("author", "").lower() == "unknown" else meta.get("author", ""),
        source=meta.get("source", ""),
        citation=meta.get("citation", ""),
        sections=sections,
    )


def convert_plain_text(text):
    """``ConvertedDocument`` of plain text: one section of paragraphs, lines kept."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    body = "\n\n".join(
        "  \n".join(_escape(line.strip()) for line in paragraph.split("\n"))
        for paragraph in paragraphs
    )
    return ConvertedDocument(sections=[ConvertedSection(title="", body=body)])


def _escape(line):
    escaped = _INLINE.sub(r"\\\1", line)
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", escaped)


def _front_matter(text):
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    try:
        end = lines.index("---", 1)
    except ValueError as error:
        raise ConversionError(
            "The front matter at the top has no closing '---' line.", code="front_matter"
        ) from error
    meta = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if sep and key.strip() in META_KEYS:
            meta[key.strip()] = value.strip()
    return meta, "\n".join(lines[end + 1 :])
