"""Steps the intake tests share: bringing a file through the client, publishing it, and
reading the seed's sentences back."""

import re
import unicodedata

import lxml.html
from django.urls import reverse

from readings.models import Paragraph, Upload
from readings.rendering import render_sections
from readings.sources import parse_source
from tests.readings.documents import SEEDS


def upload_file(client, course, path, *, name=None, captured):
    """Post ``path`` to the course's "Add a reading" form and run the queued conversion
    (``captured`` is pytest-django's ``django_capture_on_commit_callbacks``)."""
    with path.open("rb") as file, captured(execute=True):
        if name:
            file.name = name
        return client.post(reverse("readings:add", kwargs={"course": course.slug}), {"file": file})


def publish(client, upload, **fields):
    """Publish a ready upload with the details it was filled with, changed by ``fields``."""
    url = reverse("readings:publish", kwargs={"course": upload.course.slug, "upload": upload.pk})
    page = client.get(url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "part"}
    data.update(fields)
    return client.post(url, data)


def latest_upload(course):
    return Upload.objects.filter(course=course).latest("pk")


def normalized(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def seed_paragraphs(name):
    """The seed's numbered blocks as the reader shows them: ``[(kind, text)]``."""
    source = parse_source((SEEDS / f"{name}.md").read_text(encoding="utf-8"))
    return [
        (block.kind, normalized(block.text))
        for section in render_sections(source.sections).sections
        for block in section.blocks
    ]


def seed_sections(name):
    """The seed's sections as ``{title: [block texts]}``."""
    source = parse_source((SEEDS / f"{name}.md").read_text(encoding="utf-8"))
    return {
        section.title: [normalized(block.text) for block in section.blocks]
        for section in render_sections(source.sections).sections
    }


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", normalized(text)) if s]


def missing_in_order(expected, found_text):
    """The sentences of ``expected`` not found in ``found_text`` in their order."""
    missing, position = [], 0
    for sentence in expected:
        at = found_text.find(sentence, position)
        if at < 0:
            missing.append(sentence)
        else:
            position = at + len(sentence)
    return missing


def page_text(response):
    """The visible text of a page's main content, as one normalized string."""
    page = lxml.html.fromstring(response.content)
    return normalized(" ".join(page.xpath("//main")[0].itertext()))


def reading_paragraphs(reading):
    return [(p.kind, normalized(p.text)) for p in Paragraph.objects.filter(reading=reading)]
