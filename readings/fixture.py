"""The seed readings as a loaddata fixture with natural keys, so that loading it twice
changes nothing. ``loaddata`` bypasses ``save()``, so the fixture carries what saving would
compute: rendered HTML, paragraph numbers, word counts."""

from readings.rendering import count_words, render_sections
from readings.sources import parse_source

# Fixed, so that rebuilding the fixture gives the same file.
LOADED_AT = "2026-08-24T09:00:00Z"


def build_fixture(paths):
    objects = []
    for path in paths:
        source = parse_source(path.read_text(encoding="utf-8"))
        meta = source.meta
        rendered = render_sections(source.sections)
        slug = meta["slug"]
        objects.append(
            {
                "model": "readings.reading",
                "fields": {
                    "slug": slug,
                    "title": meta["title"],
                    "author": meta.get("author") or "unknown",
                    "source": meta.get("source", ""),
                    "source_url": meta.get("source_url", ""),
                    "kind": meta["kind"],
                    "is_excerpt": meta.get("is_excerpt") == "true",
                    "excerpt_note": meta.get("excerpt_note", ""),
                    "citation": meta.get("citation", ""),
                    "word_count": count_words(rendered.sections),
                    "last_block_key": rendered.last_key,
                    "created_at": LOADED_AT,
                    "updated_at": LOADED_AT,
                },
            }
        )
        for section in rendered.sections:
            objects.append(
                {
                    "model": "readings.section",
                    "fields": {
                        "reading": [slug],
                        "position": section.position,
                        "title": section.title,
                        "body": section.body,
                        "body_html": section.html,
                        "first_paragraph": section.first_paragraph,
                    },
                }
            )
            objects += [
                {
                    "model": "readings.paragraph",
                    "fields": {
                        "reading": [slug],
                        "section": [slug, section.position],
                        "number": block.number,
                        "key": block.key,
                        "kind": block.kind,
                        "text": block.text,
                    },
                }
                for block in section.blocks
            ]
    return objects
