"""The PDF path of intake (issue 19) on real documents: the seed readings made into PDFs by
pandoc and LibreOffice come back sentence by sentence, in order, with their structure."""

import re

import pytest

from destalin.markdown import render_text
from destalin.text import visible_text
from readings.intake.document import ConversionError
from readings.intake.pdf import convert_pdf
from readings.sources import parse_source
from tests.readings.documents import SEED_NAMES, SEEDS

PAGE = re.compile(r"<!-- page: (\S+) -->")


def normal(text):
    """Text as compared: typographic quotes and ellipses as typed, spaces collapsed."""
    for typographic, typed in {"‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}.items():
        text = text.replace(typographic, typed)
    return " ".join(text.split())


def seed_sections(name):
    return parse_source((SEEDS / f"{name}.md").read_text(encoding="utf-8")).sections


def shown(markdown):
    """The text a reader sees (page markers are the margin's, not the text's)."""
    return visible_text(render_text(PAGE.sub("", markdown)))


def sentences(text):
    return [part for part in re.split(r"(?<=[.!?])\s+", normal(text)) if part]


def convert(path, *, languages=("en",)):
    calls = []
    document = convert_pdf(path, languages=list(languages), progress=lambda *a: calls.append(a))
    document.progress_calls = calls
    return document


def reading_text(document):
    return normal(
        " ".join(f"{section.title} {shown(section.body)}" for section in document.sections)
    )


def table_rows(markdown):
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    return [
        [normal(cell) for cell in row.strip("|").split(" | ")]
        for row in rows
        if not row.startswith("| ---")
    ]


def paragraphs(markdown):
    return [
        normal(shown(block))
        for block in markdown.split("\n\n")
        if block.strip() and not PAGE.fullmatch(block.strip())
    ]


@pytest.mark.parametrize("name", SEED_NAMES)
@pytest.mark.parametrize("via", ["docx", "odt"])
def test_every_sentence_of_a_seed_comes_back_in_order(documents, name, via):
    pdf = documents.seed_pdf(name, via=via, running_head=via == "odt")
    text = reading_text(convert(pdf))
    position = 0
    for title, body in seed_sections(name):
        for sentence in sentences(f"{title} {shown(body)}"):
            found = text.find(sentence, position)
            assert found >= 0, f"missing or out of order: {sentence!r}"
            position = found + len(sentence)
    assert position > 0.9 * len(text)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_sections_come_from_the_headings_and_metadata_from_the_document(documents, name):
    document = convert(documents.seed_pdf(name, via="docx"))
    meta = parse_source((SEEDS / f"{name}.md").read_text(encoding="utf-8")).meta
    titled = [normal(title) for title, _ in seed_sections(name) if title]
    assert [normal(section.title) for section in document.sections if section.title] == titled
    assert document.title == meta["title"]
    assert document.author == ("" if meta["author"] == "unknown" else meta["author"])


@pytest.mark.parametrize("via", ["docx", "odt"])
def test_the_table_of_002_comes_back_as_rows(documents, via):
    name = "002-de-stalinization-unraveling-the-political-shift"
    pdf = documents.seed_pdf(name, via=via, running_head=via == "odt")
    converted = "\n".join(section.body for section in convert(pdf).sections)
    seed = "\n".join(body for _, body in seed_sections(name))
    expected = table_rows(seed)
    assert len(expected) == 11 and expected[0] == ["Characteristics", "Values"]
    # The ODT's header row is bold; the table continues on the next page under a repeated
    # header, which must not come back as a row, and a row split by the page break is one row.
    got = [[cell.strip("*") for cell in row] for row in table_rows(converted)]
    assert got == expected


def test_the_bibliography_of_004_comes_back_entry_by_entry(documents):
    name = "004-destalinization"
    document = convert(documents.seed_pdf(name, via="odt", running_head=True))
    sections = {section.title: section for section in document.sections}
    for title, body in seed_sections(name):
        if title in {"Primary Sources", "Secondary Sources"}:
            assert paragraphs(sections[title].body) == paragraphs(body)
    assert len(paragraphs(sections["Secondary Sources"].body)) == 10


def test_paragraphs_are_rejoined_across_lines_and_pages(documents):
    name = "004-destalinization"
    document = convert(documents.seed_pdf(name, via="docx"))
    got = [p for section in document.sections for p in paragraphs(section.body)]
    expected = [p for _, body in seed_sections(name) for p in paragraphs(body)]
    assert got == expected
    bodies = "".join(section.body for section in document.sections)
    # Some paragraph runs over a page break, and came back whole all the same.
    assert any(
        PAGE.search(section.body) and len(PAGE.findall(section.body)) > 1
        for section in document.sections
    ), bodies[:200]


def test_lists_come_back_as_lists(documents):
    document = convert(documents.seed_pdf("000-dilemmas-of-de-stalinisation", via="odt"))
    body = document.sections[0].body
    assert "- Charismatic authority had substituted for real political legitimacy\n" in body
    assert "\n- People did not know how much to keep of Stalinism" in body
    assert "Sudden absence of Stalin -\n\n- Charismatic" in body


def test_running_heads_and_page_numbers_leave_the_text_for_the_margin(documents):
    name = "004-destalinization"
    pdf = documents.seed_pdf(name, via="odt", running_head=True)
    document = convert(pdf)
    body = "\n".join(section.body for section in document.sections)
    blocks = [block.strip() for block in body.split("\n\n")]
    assert "Destalinization" not in blocks
    assert not [block for block in blocks if re.fullmatch(r"\d+", block)]
    markers = list(dict.fromkeys(PAGE.findall(body)))
    assert markers == [str(number) for number in range(1, len(markers) + 1)]
    assert len(markers) == len(document.progress_calls) >= 5
    # The same text without a running head keeps every sentence (checked above) and the
    # title once, at the top, as the reading's title rather than as text.
    assert document.title == "Destalinization"


def test_the_pdfs_own_page_labels_win(documents):
    pdf = documents.with_page_labels(
        documents.seed_pdf("004-destalinization", via="odt", running_head=True),
        "0 << /S /r >> 2 << /S /D /St 41 >>",
    )
    document = convert(pdf)
    body = "\n".join(section.body for section in document.sections)
    assert list(dict.fromkeys(PAGE.findall(body)))[:4] == ["i", "ii", "41", "42"]
    assert document.sections[0].first_page == "i"
    assert document.sections[-1].last_page == "44"


def test_a_pdf_without_headings_is_cut_into_page_ranges(documents):
    body = "\n\n".join(body for _, body in seed_sections("004-destalinization")[:4])
    markdown = "\n\n".join([body] * 3)
    document = convert(documents.text_pdf("plain-004", markdown, via="odt"))
    pages = len(document.progress_calls)
    assert pages > 10
    assert [section.title for section in document.sections] == [
        "Pages 1–10",
        f"Pages 11–{pages}" if pages > 11 else "Page 11",
    ]
    assert (document.sections[1].first_page, document.sections[1].last_page) == (
        "11",
        str(pages),
    )


def test_words_hyphenated_at_a_line_end_are_rejoined(documents):
    # LibreOffice breaks lines at soft hyphens and prints a hyphen there, as a typesetter's
    # hyphenation does; the reading must have the words whole.
    sentence = (
        "Consolidating administrative responsibilities, the leadership reconsidered "
        "extraordinary punishments, rehabilitating thousands of intellectuals and "
        "collectivized agricultural communities throughout the administrative territories."
    )
    words = re.findall(r"\S+", sentence)
    soft = " ".join(
        "\u00ad".join(re.findall(r".{1,4}", word)) if len(word) > 8 else word for word in words
    )
    markdown = "\n\n".join([soft] * 6)
    document = convert(documents.text_pdf("soft-hyphens", markdown, via="odt"))
    text = normal(" ".join(shown(section.body) for section in document.sections))
    assert text == normal(" ".join([" ".join(words)] * 6))
    assert not re.search(r"\w-", text)


def test_progress_is_reported_page_by_page(documents):
    document = convert(documents.seed_pdf("004-destalinization", via="docx"))
    calls = document.progress_calls
    assert calls == [(done, len(calls)) for done in range(1, len(calls) + 1)]
    assert len(calls) >= 5


NOTES = """## The Secret Speech

Khrushchev spoke to a closed session of the Twentieth Congress on 25 February 1956.[^1] The
text was read aloud at party meetings across the country, and *Pravda* printed none of it.[^2]

Reactions were mixed: relief, guilt, denial and confusion.[^3]

[^1]: The session was closed to foreign delegations; the speech lasted about four hours.

[^2]: The full text was first published in the Soviet Union in 1989, in *Izvestiia TsK KPSS*.

[^3]: See Jones, *The Dilemmas of Destalinisation*, p. 42.
"""


def test_footnotes_and_emphasis_come_back_as_pandoc_markdown(documents):
    document = convert(documents.text_pdf("footnotes", NOTES, via="odt", title="Notes"))
    (section,) = document.sections
    assert section.title == "The Secret Speech"
    assert section.body == (
        "<!-- page: 1 -->\n\n"
        "Khrushchev spoke to a closed session of the Twentieth Congress on 25 February 1956.[^1] "
        "The text was read aloud at party meetings across the country, and *Pravda* printed "
        "none of it.[^2]\n\n"
        "Reactions were mixed: relief, guilt, denial and confusion.[^3]\n\n"
        "[^1]: The session was closed to foreign delegations; the speech lasted about four "
        "hours.\n\n"
        "[^2]: The full text was first published in the Soviet Union in 1989, in "
        "*Izvestiia TsK KPSS*.\n\n"
        "[^3]: See Jones, *The Dilemmas of Destalinisation*, p. 42.\n"
    )


RUSSIAN = """## Оттепель

Доклад Хрущёва «О культе личности и его последствиях» был прочитан на закрытом заседании
съезда в феврале тысяча девятьсот пятьдесят шестого года.

После доклада из лагерей вернулись сотни тысяч заключённых, и общество заговорило о прошлом.
"""


def test_a_scanned_page_is_recognised_in_english(documents):
    scan = documents.scan(documents.seed_pdf("004-destalinization", via="docx"), last=1)
    document = convert(scan)
    text = reading_text(document)
    assert "refers to the dismantling of various aspects of the politics" in text
    assert "recognised by OCR" in document.warnings[0]
    # One call for the page recognised, one for the page read.
    assert document.progress_calls == [(1, 2), (2, 2)]


def test_a_scanned_page_is_recognised_in_russian(documents):
    pdf = documents.text_pdf("russian", RUSSIAN, via="odt", title="Оттепель")
    document = convert(documents.scan(pdf, dpi=300), languages=["ru"])
    text = reading_text(document)
    for phrase in ["О культе личности и его последствиях", "сотни тысяч заключённых"]:
        assert phrase in text


def test_a_scan_without_an_ocr_engine_says_what_is_missing(documents, monkeypatch, tmp_path):
    scan = documents.scan(documents.seed_pdf("004-destalinization", via="docx"), last=1)
    monkeypatch.setenv("PATH", str(tmp_path))  # no ocrmypdf, no tesseract on it
    with pytest.raises(ConversionError) as raised:
        convert(scan)
    assert raised.value.code == "ocr_missing"
    assert "ocrmypdf and tesseract are not installed" in str(raised.value)
    assert "tesseract-ocr" in str(raised.value)


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda d, p: _write(p, b""), "empty", "The file is empty."),
        (lambda d, p: d.markdown_to("not-a-pdf", "Text", suffix="docx"), "not_pdf", "not a PDF"),
        (lambda d, p: d.truncated(d.seed_pdf("004-destalinization")), "damaged", "incomplete"),
        (lambda d, p: d.encrypted(d.seed_pdf("004-destalinization")), "encrypted", "password"),
        (lambda d, p: d.text_pdf("blank", "", via="odt"), "no_text", "No text was found"),
    ],
    ids=["empty", "not-a-pdf", "truncated", "encrypted", "blank-page"],
)
def test_a_bad_file_gets_a_clear_message(documents, tmp_path, make, code, message):
    path = make(documents, tmp_path / "upload.pdf")
    calls = []
    with pytest.raises(ConversionError) as raised:
        convert_pdf(path, languages=["en"], progress=lambda *a: calls.append(a))
    assert raised.value.code == code
    assert message in str(raised.value)
    # Only a PDF that opens is read page by page before it is refused.
    assert calls == ([(1, 1)] if code == "no_text" else [])


def test_a_pdf_beyond_the_page_limit_is_refused_before_any_work(documents, settings):
    settings.READINGS_PDF_MAX_PAGES = 3
    calls = []
    with pytest.raises(ConversionError) as raised:
        convert_pdf(
            documents.seed_pdf("004-destalinization"),
            languages=["en"],
            progress=lambda *a: calls.append(a),
        )
    assert raised.value.code == "too_many_pages"
    assert "has 6 pages; the limit is 3" in str(raised.value)
    assert calls == []


def _write(path, data):
    path.write_bytes(data)
    return path
