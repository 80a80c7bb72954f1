import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from readings.models import Assignment, Reading

pytestmark = pytest.mark.django_db

TEXT = """Intro paragraph.

## First part
One.

- a point

## Second part
Two.
"""


def test_import_adds_and_assigns_a_reading(tmp_path, course):
    path = tmp_path / "thaw.md"
    path.write_text(TEXT, encoding="utf-8")
    call_command(
        "import_reading",
        str(path),
        "--title",
        "The Thaw",
        "--author",
        "Ilya Ehrenburg",
        "--course",
        course.slug,
        "--due",
        "2026-12-05 17:00",
    )
    reading = Reading.objects.get(title="The Thaw")
    assert reading.author == "Ilya Ehrenburg"
    assert list(reading.sections.values_list("title", flat=True)) == [
        "",
        "First part",
        "Second part",
    ]
    assert reading.paragraphs.count() == 4
    due = Assignment.objects.get(reading=reading, course=course).due_at
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") == "2026-12-05 17:00"


def test_plain_text_becomes_one_section(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_text("Comrades!\n\nThe cult of the individual.", encoding="utf-8")
    call_command("import_reading", str(path), "--title", "Speech", "--kind", "primary_source")
    reading = Reading.objects.get(title="Speech")
    assert reading.sections.count() == 1 and reading.author == "unknown"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Café".encode("latin-1"), "not UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "too large"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "too-large"],
)
def test_bad_files_are_refused_and_nothing_saved(tmp_path, content, message):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_reading", str(path), "--title", "Bad")
    assert not Reading.objects.exists()


def test_missing_title_unknown_course_and_bad_date_are_refused(tmp_path, course):
    path = tmp_path / "x.md"
    path.write_text("Text.", encoding="utf-8")
    with pytest.raises(CommandError, match="needs a title"):
        call_command("import_reading", str(path))
    with pytest.raises(CommandError, match="No course"):
        call_command("import_reading", str(path), "--title", "X", "--course", "nope")
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "import_reading", str(path), "--title", "X", "--course", course.slug, "--due", "soon"
        )
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_reading", str(tmp_path / "missing.md"), "--title", "X")
    assert not Reading.objects.exists()


def test_failure_after_the_reading_is_written_leaves_nothing(tmp_path, course, monkeypatch):
    import readings.services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(readings.services, "assign_reading", broken)
    path = tmp_path / "x.md"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(RuntimeError):
        call_command("import_reading", str(path), "--title", "X", "--course", course.slug)
    assert not Reading.objects.exists()


def _admin_form(reading, sections):
    """The admin's change form for ``reading`` as posted, with ``sections`` as its inline
    rows: ``(section, title, body)``."""
    data = {
        "slug": reading.slug,
        "title": reading.title,
        "author": reading.author,
        "kind": "article",
        "created_at_0": "2026-08-24",
        "created_at_1": "09:00:00",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for n, (section, title, body) in enumerate(sections):
        data.update(
            {
                f"sections-{n}-id": section.pk,
                f"sections-{n}-reading": reading.pk,
                f"sections-{n}-position": section.position,
                f"sections-{n}-title": title,
                f"sections-{n}-body": body,
            }
        )
    return data


def test_admin_save_rerenders_the_reading(client_for, sam, thaw):
    section = thaw.sections.get(position=1)
    data = _admin_form(thaw, [(section, "Origins", "A *new* first paragraph.")])
    response = client_for(sam).post(f"/admin/readings/reading/{thaw.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert "¶ 1</a> A <em>new</em> first paragraph." in section.body_html
    # New words are a new block (a new key: an old #p-1 link cannot land on them), and the
    # text before the edit is kept as the first version.
    assert 'id="p-7"' in section.body_html
    assert [v.number for v in thaw.versions.all()] == [2, 1]
    assert thaw.versions.get(number=1).sections.get(position=1).body.startswith("Ehrenburg")
    assert thaw.paragraphs.get(number=1).text == "A new first paragraph."


def test_a_section_deleted_in_the_admin_leaves_notices_for_links_to_its_paragraphs(
    client_for, sam, thaw
):
    sections = [(s, s.title, s.body) for s in thaw.sections.order_by("position")]
    data = _admin_form(thaw, sections)
    data["sections-2-DELETE"] = "on"  # "Limits", whose one block is the table row (key 6)
    response = client_for(sam).post(f"/admin/readings/reading/{thaw.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    thaw.refresh_from_db()
    assert thaw.retired_blocks == [{"key": 6, "number": 6, "text": "1956 — Hungary"}]
    assert list(thaw.paragraphs.values_list("key", flat=True)) == [1, 2, 3, 4, 5]
    assert thaw.versions.get(number=1).block_keys == [1, 2, 3, 4, 5, 6]
