"""Reads the reading pages need, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.http import Http404
from django.utils import timezone

from destalin.markdown import render_text
from destalin.models import Membership, Role
from destalin.search import search
from destalin.text import by_name
from readings.models import Assignment, Paragraph, Progress, Reading, Upload, UploadStatus
from readings.rendering import render_sections


class Status:
    NOT_OPENED = "not opened"
    OPENED = "opened"
    READ = "marked as read"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class SyllabusItem:
    assignment: Assignment
    progress: Progress | None
    status: str | None

    @property
    def reading(self):
        return self.assignment.reading


def status_of(progress, due_at, now):
    if progress is not None and progress.read_at is not None:
        return Status.READ
    if due_at is not None and due_at < now:
        return Status.OVERDUE
    return Status.OPENED if progress is not None else Status.NOT_OPENED


def syllabus(*, course, user, track):
    """The course's readings in order; with ``track``, each with the user's own status."""
    # Through the related manager, each assignment knows its course without another query.
    assignments = list(course.assignments.select_related("reading").order_by("position"))
    progress = {}
    if track:
        progress = {
            p.reading_id: p
            for p in Progress.objects.filter(
                user=user, reading__in=[a.reading_id for a in assignments]
            )
        }
    now = timezone.now()
    return [
        SyllabusItem(
            assignment=a,
            progress=progress.get(a.reading_id),
            status=status_of(progress.get(a.reading_id), a.due_at, now) if track else None,
        )
        for a in assignments
    ]


def get_assignment(*, course, slug):
    """The reading as assigned in this course; 404 if it is not on the syllabus."""
    assignment = (
        Assignment.objects.filter(course=course, reading__slug=slug)
        .select_related("reading__upload")
        .first()
    )
    if assignment is None:
        raise Http404("No such reading in this course.")
    return assignment


def get_library_reading(*, slug):
    reading = Reading.objects.filter(slug=slug).first()
    if reading is None:
        raise Http404("No such reading.")
    return reading


@dataclass(frozen=True)
class ProgressReport:
    read: list
    opened: list
    not_opened: list

    @property
    def total(self):
        return len(self.read) + len(self.opened) + len(self.not_opened)


def progress_report(*, course, reading):
    """The course's current students split by what they have done with the reading."""
    students = by_name(
        m.user
        for m in Membership.objects.current()
        .filter(course=course, role=Role.STUDENT)
        .select_related("user")
    )
    progress = {
        p.user_id: p
        for p in Progress.objects.filter(reading=reading, user__in=[s.pk for s in students])
    }
    report = ProgressReport(read=[], opened=[], not_opened=[])
    for student in students:
        record = progress.get(student.pk)
        if record is None:
            report.not_opened.append((student, None))
        elif record.read_at is not None:
            report.read.append((student, record))
        else:
            report.opened.append((student, record))
    return report


def library():
    return Reading.objects.order_by("title")


def reader(*, assignment, position):
    """What the reader shows: all sections, the ones on this page, and the neighbours of a
    single section. Only the assigned sections when the course assigns a part of the
    reading. One query."""
    chosen = Assignment.sections.through.objects.filter(assignment=assignment)
    sections = list(
        assignment.reading.sections.filter(Q(pk__in=chosen.values("section")) | ~Exists(chosen))
    )
    if position is None:
        return {"sections": sections, "shown": sections, "section": None}
    index = next((i for i, s in enumerate(sections) if s.position == position), None)
    if index is None:
        raise Http404("No such section.")
    return {
        "sections": sections,
        "shown": [sections[index]],
        "section": sections[index],
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
    }


def search_readings(*, course, query):
    """Paragraphs of the course's readings matching the query, best first."""
    paragraphs = Paragraph.objects.filter(reading__assignments__course=course).select_related(
        "reading", "section"
    )
    return search(paragraphs, field="text", query=query, order=("reading__title", "number"))


def versions(*, reading):
    """The reading's versions, newest first, with their sections and authors. Three queries."""
    return list(
        reading.versions.select_related("created_by")
        .prefetch_related("sections")
        .order_by("-number")
    )


def other_courses(*, reading, course):
    """The other courses that assign the reading (an edit changes their text too)."""
    return [a.course for a in reading.assignments.exclude(course=course).select_related("course")]


def get_upload(*, course, pk):
    """An upload of this course; 404 for another course's."""
    upload = Upload.objects.filter(course=course, pk=pk).select_related("reading").first()
    if upload is None:
        raise Http404("No such upload in this course.")
    return upload


def unpublished_uploads(*, course):
    """The course's uploads still converting, failed or waiting to be checked, newest first."""
    return list(Upload.objects.filter(course=course).exclude(status=UploadStatus.PUBLISHED)[:20])


def upload_preview(upload):
    """An upload's sections as the reader will show them, ``(section dict, html)`` pairs,
    numbered as the published reading will be (skipped sections are shown, unnumbered)."""
    sections = upload.document["sections"]
    kept = [s for s in sections if not s["skip"]]
    rendered = iter(render_sections([(s["title"], s["body"]) for s in kept]).sections)
    return [(s, render_text(s["body"]) if s["skip"] else next(rendered).html) for s in sections]


def original_of(reading):
    """The upload a reading was made from, if it was a file that is still kept. No query
    when the reading came with ``select_related("upload")`` (``get_assignment`` does)."""
    try:
        upload = reading.upload
    except Upload.DoesNotExist:
        return None
    return upload if upload.file else None
