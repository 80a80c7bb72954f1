"""Reading a gradebook CSV against the course as it is now, and applying a confirmed import
in the background: the worker checks the file again and saves all of it or none."""

import dataclasses
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from discussions.grading import gradebook_reading, gradebook_selectors, selectors, services
from discussions.grading.models import ImportStatus, ScoreImport

log = logging.getLogger(__name__)

# The preview page carries the file back, base64-encoded (a third larger), inside Django's
# 2.5 MB request limit. A 300-student, 40-prompt gradebook is about 100 kB.
MAX_IMPORT_BYTES = 1_500_000


def preview(course, prompts, data):
    """(ImportPreview, None), or (None, the message) for a file that cannot be read at all.
    Rows are matched against the students now; former students' grades and emails are read
    too, so a row left over for one of them is skipped when it changes nothing."""
    roster = gradebook_selectors.import_roster(course)
    try:
        result = gradebook_reading.read_scores(
            data=data,
            columns=gradebook_selectors.csv_columns(prompts),
            current=gradebook_selectors.current_cells(prompts, list(roster.emails.values())),
            student_ids=roster.current_ids,
            emails=roster.emails,
            max_bytes=MAX_IMPORT_BYTES,
        )
    except gradebook_reading.ImportFileError as error:
        return None, str(error)
    return result, None


def digest(data, result):
    """What the person confirmed: the file and the changes it made against the grades then."""
    changes = [dataclasses.astuple(c) for c in result.changes]
    return hashlib.sha256(repr((hashlib.sha256(data).hexdigest(), changes)).encode()).hexdigest()


def queue_import(*, course, by, data, confirmed, changes):
    """Record a confirmed import; the worker applies it once this commits."""
    job = ScoreImport.objects.create(
        course=course, requested_by=by, data=data, digest=confirmed, changes=changes
    )
    transaction.on_commit(lambda: apply_score_import.enqueue(job.pk))
    return job


@task()
def apply_score_import(job_id):
    """Apply a confirmed gradebook import (all of it or none), in the worker."""
    apply_import(job_id)


def apply_import(job_id):
    """Check the file again against the grades now; save every change, or none and say why.
    Whatever goes wrong, the import ends marked, never left waiting."""
    try:
        return _apply(job_id)
    except Exception:
        log.exception("Gradebook import %s failed", job_id)
        ScoreImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED,
            message="Something went wrong; nothing was saved. Try the import again.",
            finished_at=timezone.now(),
        )
        return None


def _apply(job_id):
    with transaction.atomic():
        job = (
            ScoreImport.objects.select_for_update(of=("self",))
            .filter(pk=job_id, status=ImportStatus.QUEUED)
            .select_related("course", "requested_by")
            .first()
        )
        if job is None:
            return None  # already applied (a retried task) or unknown
        data = bytes(job.data)
        prompts = selectors.graded_prompts(job.course)
        result, error = preview(job.course, prompts, data)
        if error or result.errors or digest(data, result) != job.digest:
            return _finish(
                job, ImportStatus.FAILED, "Grades changed after the preview: upload the file again."
            )
        try:
            with transaction.atomic():
                services.import_scores(
                    course=job.course, prompts=prompts, changes=result.changes, by=job.requested_by
                )
        except (services.GradeConflict, ValidationError):
            return _finish(
                job,
                ImportStatus.FAILED,
                "A grade changed while the import was saved: upload it again.",
            )
        return _finish(job, ImportStatus.DONE, f"{len(result.changes)} scores saved.")


def _finish(job, status, message):
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    return job
