"""The converters on documents made by real tools: metadata, sections from headings,
footnotes with the section that cites them, images by name, a web page's main text."""

import subprocess

import pytest

from readings.intake.convert import convert_file, convert_pasted
from readings.intake.document import ConversionError
from readings.intake.formats import Format, identify
from readings.intake.sections import split_sections
from readings.intake.web import MAIN_TEXT_WARNING

STEPS = []


def progress(done, total):
    STEPS.append((done, total))


def pandoc(tmp_path, markdown, suffix, *args):
    source = tmp_path / "source.md"
    source.write_text(markdown, encoding="utf-8")
    target = tmp_path / f"document.{suffix}"
    subprocess.run(
        ["pandoc", "-f", "markdown-smart", "-o", str(target), *args, str(source)], check=True
    )
    return target


CHAPTER = """---
title: The Thaw in Literature
author:
- Ilya Ehrenburg
- Vladimir Dudintsev
publisher: Novy Mir
---

# The Thaw in Literature

## The novel

Ehrenburg's novel gave the era its name.[^1]

### Its reception

Critics in *Pravda* attacked it.

## The response

Dudintsev answered with another novel.[^2]

![A crowd at a reading](crowd.png)

[^1]: *The Thaw*, 1954.

[^2]: *Not by Bread Alone*, 1956. It sold out at once.
"""


@pytest.mark.parametrize("suffix", ["docx", "odt", "epub"])
def test_a_document_becomes_sections_with_notes_images_and_metadata(tmp_path, suffix):
    subprocess.run(
        ["convert", "-size", "40x30", "xc:#884422", str(tmp_path / "crowd.png")], check=True
    )
    path = pandoc(tmp_path, CHAPTER, suffix, f"--resource-path={tmp_path}")
    STEPS.clear()
    with path.open("rb") as file:
        assert identify(file, path.name) == suffix
    document = convert_file(path, file_format=suffix, name=path.name, progress=progress)
    assert STEPS == [(1, 3), (2, 3), (3, 3)]
    assert document.title == "The Thaw in Literature"
    if suffix != "odt":  # pandoc's ODT writer keeps one author in the file's properties
        # (pandoc's EPUB reader lists the creators in its own order)
        assert sorted(document.author.split("; ")) == ["Ilya Ehrenburg", "Vladimir Dudintsev"]
    assert [s.title for s in document.sections] == ["The novel", "The response"]
    novel, response = (s.body for s in document.sections)
    assert "### Its reception" in novel and "*Pravda*" in novel
    if suffix == "epub":
        # pandoc 2's EPUB reader drops the notes' links: their text stays, as end notes.
        assert (
            response.endswith(
                "1.  *The Thaw*, 1954.\n\n2.  *Not by Bread Alone*, 1956. It sold out at once."
            )
            or "*Not by Bread Alone*, 1956. It sold out at once." in response
        )
    else:
        assert novel.index("[^1]") < novel.index("[^1]: *The Thaw*, 1954.")
        assert "[^2]" not in novel
        assert "[^2]: *Not by Bread Alone*, 1956. It sold out at once." in response
    assert list(document.images) == ["image-1.png"]
    assert document.images["image-1.png"].startswith(b"\x89PNG")
    # The alt text, or (pandoc's ODT keeps a figure's caption, not its alt) the caption below.
    assert "![A crowd at a reading](image-1.png)" in response or (
        "](image-1.png)\n\nA crowd at a reading" in response and suffix == "odt"
    )


def test_a_saved_web_page_keeps_its_article_and_says_the_site_was_left_out(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Site | Kozlov</title>"
        "<meta name='citation_title' content='Destalinization'>"
        "<meta name='citation_author' content='Kozlov, Denis'>"
        "<meta name='og:site_name' content='Encyclopedia of Russian History'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/a'>Articles</a></nav>"
        "<article><h1>Destalinization</h1><p>A term of Western origin.</p>"
        "<h2>Chronology</h2><p>It began in 1953.</p>"
        "<table><tr><th>Year</th><th>Event</th></tr><tr><td>1956</td><td>Speech</td></tr>"
        "</table></article><aside>Similar resources</aside>"
        "<footer>No comments have yet been made</footer></body></html>",
        encoding="utf-8",
    )
    document = convert_file(page, file_format=Format.HTML, name="page.html", progress=progress)
    assert (document.title, document.author, document.source) == (
        "Destalinization",
        "Kozlov, Denis",
        "Encyclopedia of Russian History",
    )
    assert [s.title for s in document.sections] == ["", "Chronology"]
    text = "\n".join(s.body for s in document.sections)
    assert "A term of Western origin." in text and "| 1956 | Speech |" in text
    for chrome in ("Home", "Similar resources", "No comments"):
        assert chrome not in text
    assert document.warnings == [MAIN_TEXT_WARNING]


def test_a_web_page_without_an_article_loses_its_menus_to_readability(tmp_path):
    paragraphs = "".join(
        f"<p>Paragraph {n} of the essay on the Secret Speech, long enough to be read as "
        f"the text of the page and not as its menus or its footer, sentence {n}.</p>"
        for n in range(1, 8)
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>The Secret Speech</title></head><body>"
        "<div id='menu'><nav><ul><li><a href='/'>Home</a></li><li><a href='/b'>Blog</a></li>"
        f"</ul></nav></div><div id='content'>{paragraphs}</div>"
        "<div id='footer'><footer><a href='/c'>Contact us</a></footer></div></body></html>",
        encoding="utf-8",
    )
    document = convert_file(page, file_format=Format.HTML, name="page.html", progress=progress)
    text = " ".join(s.body for s in document.sections)
    assert all(f"sentence {n}." in text for n in range(1, 8))
    assert "Contact us" not in text and "Blog" not in text
    assert document.title == "The Secret Speech"


def test_an_exported_document_keeps_all_of_its_body(tmp_path):
    path = pandoc(tmp_path, CHAPTER, "html", "--standalone")
    document = convert_file(path, file_format=Format.HTML, name="x.html", progress=progress)
    assert [s.title for s in document.sections] == ["The novel", "The response"]
    assert document.warnings == []
    novel = document.sections[0].body
    assert novel.index("name.[^1]") < novel.index("[^1]: *The Thaw*, 1954.")


def test_markdown_front_matter_and_sections_and_a_title_from_the_file_name():
    document = convert_pasted(
        "---\ntitle: Notes\nauthor: unknown\n---\n\nOpening.\n\n## One\n\nText.\n\n##\n\nMore.",
        is_markdown=True,
        name="ignored",
    )
    assert (document.title, document.author) == ("Notes", "")
    assert [(s.title, s.body) for s in document.sections] == [
        ("", "Opening."),
        ("One", "Text."),
        ("", "More."),
    ]
    untitled = convert_pasted("Just a line.", is_markdown=False, name="my_notes.txt")
    assert untitled.title == "my notes"
    with pytest.raises(ConversionError, match=r"There is no text to add\."):
        convert_pasted("  \n ", is_markdown=True, name="x")


def test_headings_inside_code_do_not_cut_sections_and_deep_levels_move_up():
    title, sections = split_sections(
        "# Title\n\n### First\n\n```\n### not a heading\n```\n\n##### Deep\n\nText.\n\n"
        "### Second\n\nMore."
    )
    assert title == "Title"
    assert [s.title for s in sections] == ["First", "Second"]
    assert "### not a heading" in sections[0].body
    assert "#### Deep" in sections[0].body


def test_text_that_is_not_utf8_is_refused_with_how_to_fix_it(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Хрущёв".encode("cp1251"))
    with pytest.raises(ConversionError, match="Save it as UTF-8"):
        convert_file(path, file_format=Format.TEXT, name="notes.txt", progress=progress)
