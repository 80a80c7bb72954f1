"""Word (DOCX), OpenDocument (ODT), EPUB and cleaned HTML through pandoc.

pandoc (Debian's package, driven through ``pypandoc``) reads all four with their structure:
headings, lists, block quotes, tables, footnotes, emphasis and images with their alt text,
which is what a reading keeps. It runs with ``--sandbox``, so a document cannot make it read
other files or the network. Its output is GitHub-flavoured Markdown with footnotes and pipe
tables and without raw HTML: what ``destalin.markdown`` renders.
"""

import copy
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypandoc
from lxml import etree

from readings.intake.document import ConversionError, ConvertedDocument
from readings.intake.sections import split_sections

MARKDOWN = "gfm+footnotes-raw_html"
READERS = {"docx": "docx", "odt": "odt", "epub": "epub", "html": "html"}


def convert_with_pandoc(path, *, reader, progress):
    """``ConvertedDocument`` of the file at ``path`` (a ``pathlib.Path``) read with pandoc's
    ``reader`` ("docx", "odt", "epub" or "html"); ``progress(done, total)`` after each of its
    three steps. Raises ``ConversionError`` when pandoc cannot read it."""
    with tempfile.TemporaryDirectory(prefix="destalin-intake-") as work:
        media = Path(work) / "media"
        try:
            ast = pypandoc.convert_file(
                str(path),
                "json",
                format=READERS[reader],
                extra_args=[f"--extract-media={media}"],
                sandbox=True,
            )
            progress(1, 3)
            document = json.loads(ast)
            document["blocks"] = _unwrap(_restore_notes(document["blocks"]))
            images = _take_images(document, media)
            markdown = pypandoc.convert_text(
                json.dumps(document), MARKDOWN, format="json", extra_args=["--wrap=none"]
            )
        except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as error:
            raise ConversionError(
                "This file could not be read as a document; it may be damaged. Open it in "
                "your word processor, save it again and upload it again.",
                code="unreadable",
            ) from error
    progress(2, 3)
    title, sections = split_sections(markdown)
    meta = document.get("meta", {})
    found = {
        "title": _meta(meta, "title"),
        "author": _meta(meta, "author", "creator"),
        "source": _meta(meta, "publisher"),
        "citation": _meta(meta, "citation"),
        "language": _meta(meta, "lang", "language"),
    }
    if reader == "odt":
        found = _odt_metadata(path) | {key: value for key, value in found.items() if value}
    converted = ConvertedDocument(
        **(found | {"title": found["title"] or title}), sections=sections, images=images
    )
    progress(3, 3)
    return converted


def _restore_notes(blocks):
    """Footnotes of an EPUB or a web page as notes again. Their readers see what the EPUB or
    HTML writer made of notes (a superscript link, class ``footnote-ref``, to an item of an
    end-notes list, class ``footnotes``, with a link back); here each link becomes the note
    itself, without the link back, and the list goes. When a note's link cannot be found
    (pandoc 2's EPUB reader drops them) the blocks stay as they were: the notes' text is
    kept as an end-notes list rather than lost."""
    original, blocks, notes, used = blocks, copy.deepcopy(blocks), {}, set()

    def collect(blocks):
        kept = []
        for block in blocks:
            if block.get("t") == "Div" and "footnotes" in block["c"][0][1]:
                for inner in block["c"][1]:
                    if inner.get("t") == "OrderedList":
                        for item in inner["c"][1]:
                            _take_note(item, notes)
                continue
            if block.get("t") == "Div":
                block["c"][1] = collect(block["c"][1])
            kept.append(block)
        return kept

    blocks = collect(blocks)
    if not notes:
        return blocks

    def replace(node):
        if isinstance(node, list):
            return [replace(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("t") == "Link" and "footnote-ref" in node["c"][0][1]:
            target = node["c"][2][0].lstrip("#")
            if target in notes:
                used.add(target)
                return {"t": "Note", "c": notes[target]}
        if "c" in node:
            return {**node, "c": replace(node["c"])}
        return node

    restored = replace(blocks)
    return restored if used == set(notes) else original


def _take_note(item, notes):
    """One end-notes list item (``[Div id=fn1 [...]]`` or blocks with the id on the item's
    first Div), without its link back."""
    if not item or item[0].get("t") != "Div" or not item[0]["c"][0][0]:
        return

    def without_backlinks(node):
        if isinstance(node, list):
            return [
                without_backlinks(n)
                for n in node
                if not (isinstance(n, dict) and n.get("t") == "Link"
                        and "footnote-back" in n["c"][0][1])
            ]  # fmt: skip
        if isinstance(node, dict) and "c" in node:
            return {**node, "c": without_backlinks(node["c"])}
        return node

    notes[item[0]["c"][0][0]] = without_backlinks(item[0]["c"][1])


def _unwrap(node):
    """The AST without ``Div`` and ``Span`` wrappers (EPUB chapters, Word's bookmarks), which
    the Markdown writer would keep as raw HTML: their content takes their place."""
    if isinstance(node, list):
        unwrapped = []
        for item in node:
            if isinstance(item, dict) and item.get("t") in {"Div", "Span"}:
                unwrapped += _unwrap(item["c"][1])
            else:
                unwrapped.append(_unwrap(item))
        return unwrapped
    if isinstance(node, dict) and "c" in node:
        return {**node, "c": _unwrap(node["c"])}
    return node


def _take_images(document, media):
    """Point image references at bare names and return ``{name: bytes}``. An image pandoc
    could not extract (a web page's link to elsewhere, which the sandbox never fetches)
    becomes its alt text."""
    images = {}

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for index in reversed(range(len(node))):
                item = node[index]
                if isinstance(item, dict) and item.get("t") == "Image":
                    target = item["c"][2]
                    extracted = Path(target[0])
                    if extracted.is_relative_to(media) and extracted.is_file():
                        name = f"image-{len(images) + 1}{extracted.suffix.lower()}"
                        images[name] = extracted.read_bytes()
                        target[0] = name
                    else:
                        node[index : index + 1] = item["c"][1]
                else:
                    walk(item)

    walk(document.get("blocks", []))
    return images


# pandoc's ODT reader leaves the document's properties (meta.xml) unread.
_ODT_META = {
    "title": "//dc:title/text()",
    "author": "//dc:creator/text() | //meta:initial-creator/text()",
    "language": "//dc:language/text()",
}
_ODT_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _odt_metadata(path):
    """Title, author and language from an ODT's ``meta.xml`` ("" for each it lacks)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("meta.xml"), parser)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return dict.fromkeys(_ODT_META, "")
    return {
        key: " ".join(next(iter(root.xpath(xpath, namespaces=_ODT_NAMESPACES)), "").split())
        for key, xpath in _ODT_META.items()
    }


def _meta(meta, *keys):
    """The first of ``keys`` the metadata has, as plain text (authors joined with "; ")."""
    for key in keys:
        if key in meta:
            value = meta[key]
            if value.get("t") == "MetaList":
                return "; ".join(filter(None, (_plain(item) for item in value["c"])))
            return _plain(value)
    return ""


def _plain(node):
    if isinstance(node, list):
        return " ".join("".join(_plain(item) for item in node).split())
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind in {"Str", "MetaString"}:
        return content
    if kind in {"Space", "SoftBreak", "LineBreak"}:
        return " "
    if kind in {"MetaList", "MetaBlocks"}:
        return " ".join(_plain(item) for item in content)
    if isinstance(content, list):
        return "".join(_plain(item) for item in content if isinstance(item, (list, dict)))
    return ""
