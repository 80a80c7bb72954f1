"""What every converter returns: a reading's metadata and its sections in Markdown, the one
shape the preview, the section editor and ``create_reading`` read.

Markdown conventions converters write and ``readings.rendering`` reads:

- Page numbers of the original go on a line of their own before the first block of the page,
  ``<!-- page: 42 -->`` (``page_marker("42")``): invisible to any Markdown renderer that does not
  know them, shown in the reader's margin by ours. Labels are strings ("xii", "42").
- Footnotes are pandoc's ``[^1]`` references with ``[^1]: text`` definitions.
- Images are ``![alt text](name)`` with the name of a file in ``ConvertedDocument.images``.
"""

from dataclasses import dataclass, field


class ConversionError(Exception):
    """The file cannot become a reading. ``str(error)`` is a message for the instructor
    ("This PDF is protected by a password; remove the password and upload it again."),
    never a traceback; ``code`` is a short machine name ("encrypted", "empty", "too_large")."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


@dataclass
class ConvertedSection:
    """One section: a heading of the source, or a page range of a PDF without headings.
    ``first_page``/``last_page`` are the original's page labels, or "" when unknown."""

    title: str
    body: str
    first_page: str = ""
    last_page: str = ""


@dataclass
class ConvertedDocument:
    """A converted file. Metadata fields are "" when the source does not say; ``warnings``
    are sentences for the instructor ("Pages 3 to 5 had no text layer and were recognised by
    OCR."); ``images`` maps a file name used in the Markdown to its bytes."""

    title: str = ""
    author: str = ""
    source: str = ""
    citation: str = ""
    language: str = ""
    sections: list[ConvertedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)


def page_marker(label):
    """The line that says "page ``label`` of the original starts here"."""
    return f"<!-- page: {label} -->"
