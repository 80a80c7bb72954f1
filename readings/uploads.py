"""Readings instructors bring: a file saved and converted in the task worker, or a pasted
text converted at once; the sections corrected; then published as a reading and assigned.

An upload's ``document`` holds what the converter found, as JSON: ``title``, ``author``,
``source``, ``citation``, ``language``, ``warnings`` (sentences), ``sections`` (each
``{"title", "body", "skip", "first_page", "last_page"}``; ``skip`` marks front matter left
out of the reading) and ``images`` (``{name in the Markdown: storage name}``).
"""

import dataclasses
import logging
import shutil
import tempfile
from pathlib import Path, PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from readings import services
from readings.intake.convert import convert_file, convert_pasted
from readings.intake.document import ConversionError
from readings.intake.formats import Format
from readings.intake.sections import split_at
from readings.models import Reading, Upload, UploadStatus
from readings.sources import ReadingSource

log = logging.getLogger(__name__)

FAILED_UNEXPECTEDLY = (
    "Something went wrong while converting this file; nothing was saved. Try again, or save "
    "the file in another format (DOCX or PDF) and upload that."
)


def start_upload(*, course, by, file, file_format):
    """Save an uploaded file (already identified by ``formats.identify``) and queue its
    conversion once this commits. Returns the ``Upload``."""
    name = PurePath(file.name).name[:255]
    upload = Upload(
        course=course, uploaded_by=by, name=name, file_format=file_format, size=file.size
    )
    upload.file.save(name, file, save=False)
    upload.save()
    transaction.on_commit(lambda: convert_upload.enqueue(upload.pk))
    return upload


def start_paste(*, course, by, title, text, is_markdown):
    """A pasted text, converted at once (it is small and needs no tool), ready to check.
    Raises ``ConversionError`` for text with nothing in it; then nothing is saved."""
    document = convert_pasted(text, is_markdown=is_markdown, name=title or "Pasted text")
    if title.strip():
        document.title = " ".join(title.split())
    return Upload.objects.create(
        course=course,
        uploaded_by=by,
        name=document.title[:255],
        file_format=Format.MARKDOWN if is_markdown else Format.TEXT,
        size=len(text.encode()),
        status=UploadStatus.READY,
        done=1,
        total=1,
        document=_as_json(document, images={}),
        finished_at=timezone.now(),
    )


@task()
def convert_upload(upload_id):
    """Convert an uploaded file in the worker, reporting progress on the upload."""
    run_conversion(upload_id)


def run_conversion(upload_id):
    """Convert the upload if it is still queued. It ends ready to check, or failed with a
    message for the instructor and its file deleted: a file that cannot become a reading is
    not kept."""
    if not Upload.objects.filter(pk=upload_id, status=UploadStatus.QUEUED).update(
        status=UploadStatus.CONVERTING
    ):
        return  # converted already (a retried task) or discarded
    upload = Upload.objects.select_related("course").get(pk=upload_id)

    def progress(done, total):
        Upload.objects.filter(pk=upload_id).update(done=done, total=total)

    try:
        with _local_copy(upload) as path:
            document = convert_file(
                path, file_format=upload.file_format, name=upload.name, progress=progress
            )
    except ConversionError as error:
        return _fail(upload, str(error))
    except Exception:
        log.exception("Converting upload %s (%s) failed", upload_id, upload.file_format)
        return _fail(upload, FAILED_UNEXPECTEDLY)
    images = {
        name: default_storage.save(f"readings/images/{upload.pk}/{name}", ContentFile(data))
        for name, data in document.images.items()
    }
    upload.document = _as_json(document, images=images)
    upload.status, upload.finished_at = UploadStatus.READY, timezone.now()
    upload.save(update_fields=["document", "status", "finished_at"])
    return upload


class _local_copy:
    """The upload's file as a path on this machine (pandoc and the PDF tools read paths),
    whatever the storage: a copy in a temporary folder, removed afterwards."""

    def __init__(self, upload):
        self.upload = upload

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="destalin-upload-")
        path = Path(self.folder) / f"original{PurePath(self.upload.file.name).suffix.lower()}"
        with self.upload.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        return path

    def __exit__(self, *exc):
        shutil.rmtree(self.folder, ignore_errors=True)


def _fail(upload, message):
    if upload.file:
        upload.file.delete(save=False)
    upload.status, upload.message = UploadStatus.FAILED, message[:1000]
    upload.finished_at = timezone.now()
    upload.save(update_fields=["file", "status", "message", "finished_at"])
    return upload


def _as_json(document, *, images):
    sections = [{**dataclasses.asdict(section), "skip": False} for section in document.sections]
    return {
        "title": document.title,
        "author": document.author,
        "source": document.source,
        "citation": document.citation,
        "language": document.language,
        "warnings": list(document.warnings),
        "sections": sections,
        "images": images,
    }


@transaction.atomic
def edit_sections(*, upload, changes):
    """Apply the instructor's corrections to a ready upload's sections. ``changes`` has one
    dict per section, in order: ``title`` (str), ``skip`` (front matter, left out),
    ``join`` (append to the section before), ``split_at`` (a line of the body where a new
    untitled section starts, or None). A joined section's title stays, as a heading."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.READY:
        raise ValidationError("This reading is not waiting to be checked.", code="status")
    sections = upload.document["sections"]
    if len(changes) != len(sections):
        raise ValidationError(
            "The sections changed since this page was loaded; check them again.", code="stale"
        )
    edited = []
    for section, change in zip(sections, changes, strict=True):
        title, body = " ".join(change["title"].split()), section["body"]
        pieces = [body]
        if change["split_at"]:
            pieces = list(split_at(body, change["split_at"]))
        if change["join"] and edited:
            previous = edited[-1]
            heading = f"### {title}\n\n" if title else ""
            previous["body"] = f"{previous['body'].rstrip()}\n\n{heading}{pieces[0]}".strip()
        else:
            edited.append({**section, "title": title, "body": pieces[0], "skip": change["skip"]})
        for piece in pieces[1:]:
            edited.append({**section, "title": "", "body": piece, "skip": change["skip"]})
    upload.document = {**upload.document, "sections": edited}
    upload.save(update_fields=["document"])
    return upload


@transaction.atomic
def publish_upload(*, upload, by, title, author, source, citation, kind, part, due_at,
                   instructions):  # fmt: skip
    """Create the reading from a ready upload's sections that are not skipped, and assign it
    in the upload's course with ``due_at`` and ``instructions``; ``part`` is the positions
    (1-based, among the published sections) to assign, or empty for the whole reading.
    Returns the ``Assignment``. Raises ``ValidationError`` for a domain rule."""
    upload = Upload.objects.select_for_update().select_related("course").get(pk=upload.pk)
    if upload.status != UploadStatus.READY:
        raise ValidationError("This reading has been published already.", code="published")
    kept = [s for s in upload.document["sections"] if not s["skip"]]
    if not any(s["body"].strip() for s in kept):
        raise ValidationError(
            "Every section is marked to skip: keep at least one.", code="no_sections"
        )
    source_document = ReadingSource(
        meta={"slug": _free_slug(title), "source": source, "citation": citation},
        sections=[(s["title"], s["body"]) for s in kept],
    )
    reading = services.create_reading(
        source=source_document, title=title, author=author or "unknown", kind=kind
    )
    assignment = services.assign_reading(
        course=upload.course, reading=reading, due_at=due_at, instructions=instructions
    )
    if part and set(part) != set(range(1, len(kept) + 1)):
        assignment.sections.set(reading.sections.filter(position__in=part))
    upload.reading, upload.status = reading, UploadStatus.PUBLISHED
    upload.save(update_fields=["reading", "status"])
    return assignment


def discard_upload(*, upload):
    """Forget an upload that was not published, with its file and images."""
    if upload.file:
        upload.file.delete(save=False)
    for name in upload.document.get("images", {}).values():
        default_storage.delete(name)
    upload.delete()


# Slugs that are also addresses under a course's readings/ (readings.urls).
RESERVED_SLUGS = {"add", "assign", "paste", "uploads"}


def _free_slug(title):
    base = slugify(title)[:72] or "reading"
    if base in RESERVED_SLUGS:
        base = f"{base}-reading"
    taken = set(Reading.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return next(
        slug for slug in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3)))
        if slug not in taken
    )  # fmt: skip
