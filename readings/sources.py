"""Reading sources: a Markdown file, optionally with front matter, split into sections.

    ---
    title: Destalinization
    author: Denis Kozlov
    kind: encyclopedia
    ---

    ## See also
    Denazification; Gulag; ...

Every ``## Title`` line (or a bare ``##``, for an untitled part) starts a section; text before
the first one is a section of its own. Headings inside a section use ``###``.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

MAX_BYTES = 2 * 1024 * 1024
META_KEYS = {
    "slug", "title", "author", "source", "source_url", "kind", "is_excerpt", "excerpt_note",
    "citation",
}  # fmt: skip
_SECTION = re.compile(r"^##(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")


@dataclass
class ReadingSource:
    meta: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)  # [(title, markdown body)]


def decode_upload(data):
    """Bytes of an uploaded or imported file as text, or a ValidationError saying why not."""
    if not data.strip():
        raise ValidationError("The file is empty.", code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The file is too large ({len(data) // 1024} KB); the limit is {MAX_BYTES // 1024} KB.",
            code="too_large",
        )
    if b"\x00" in data:
        raise ValidationError(
            "This looks like a binary file. Use a Markdown or plain-text file.", code="binary"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read). Save it as UTF-8.",
            code="encoding",
        ) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_source(text):
    """Split a source into front matter and ``(title, body)`` sections."""
    source = ReadingSource()
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        try:
            end = lines.index("---", 1)
        except ValueError as error:
            raise ValidationError("The front matter has no closing '---' line.") from error
        for line in lines[1:end]:
            key, sep, value = line.partition(":")
            if sep and key.strip() in META_KEYS:
                source.meta[key.strip()] = value.strip()
        lines = lines[end + 1 :]
    title, body = None, []
    for line in lines:
        match = _SECTION.match(line)
        if match:
            _close(source, title, body)
            title, body = (match.group(1) or "").strip(), []
        else:
            body.append(line)
    _close(source, title, body)
    if not source.sections:
        raise ValidationError("The file has no text.", code="empty")
    return source


def _close(source, title, body):
    text = "\n".join(body).strip("\n")
    if text.strip() or title:
        source.sections.append((title or "", text))


def write_source(sections):
    """``(title, body)`` sections as the text ``parse_source`` reads back: each section after
    a ``## Title`` line (a bare ``##`` for an untitled one). What the reading editor shows."""
    return (
        "\n\n".join(
            f"## {title}\n\n{body}" if title else f"##\n\n{body}" for title, body in sections
        )
        + "\n"
    )
