"""Adding a reading to a course: upload a file or paste a text, follow its conversion, check
and correct the sections, publish and assign; and download a reading's original file."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin.forms import posted, status_of
from destalin.request_limits import accepts_body
from destalin.selectors import get_course_access
from readings import permissions, selectors, uploads
from readings.forms import PasteReadingForm, PublishForm, SectionsForm, UploadReadingForm
from readings.intake.document import ConversionError
from readings.intake.formats import CONTENT_TYPES
from readings.models import UploadStatus

# A multipart body carries the file and a few hundred bytes of fields and boundaries.
UPLOAD_BODY_BYTES = settings.READING_UPLOAD_MAX_BYTES + 64 * 1024


@accepts_body(UPLOAD_BODY_BYTES)
@require_http_methods(["GET", "POST"])
def add_reading(request, course):
    """The page to add a reading (upload a file, or paste a text) and the upload itself:
    the file is saved and queued for conversion, and its progress page follows."""
    access = get_course_access(request.user, course)
    permissions.check_add_reading(access.role, access.course)
    form = UploadReadingForm(posted(request), request.FILES or None)
    if form.is_valid():
        upload = uploads.start_upload(
            course=access.course,
            by=request.user,
            file=form.cleaned_data["file"],
            file_format=form.cleaned_data["file_format"],
        )
        return redirect(upload)
    return _add_page(request, access, upload_form=form, paste_form=PasteReadingForm())


@accepts_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
@require_POST
def paste_reading(request, course):
    """A pasted text, converted at once and shown for checking."""
    access = get_course_access(request.user, course)
    permissions.check_add_reading(access.role, access.course)
    form = PasteReadingForm(request.POST)
    if form.is_valid():
        try:
            upload = uploads.start_paste(course=access.course, by=request.user, **form.cleaned_data)
        except ConversionError as error:
            form.add_error("text", str(error))
        else:
            return redirect(upload)
    return _add_page(request, access, upload_form=UploadReadingForm(), paste_form=form)


def _add_page(request, access, *, upload_form, paste_form):
    context = {
        "course": access.course,
        "viewer_role": access.role,
        "upload_form": upload_form,
        "paste_form": paste_form,
        "limit_mb": settings.READING_UPLOAD_MAX_BYTES // (1024 * 1024),
        "uploads": selectors.unpublished_uploads(course=access.course),
    }
    status = max(status_of(upload_form), status_of(paste_form))
    return render(request, "readings/add.html", context, status=status)


@require_http_methods(["GET", "POST"])
def upload_detail(request, course, upload):
    """An upload's progress while it converts (the page reloads itself), then its preview:
    the text as it will be read and the sections, which the instructor corrects here."""
    access = get_course_access(request.user, course)
    permissions.check_add_reading(access.role, access.course)
    upload = selectors.get_upload(course=access.course, pk=upload)
    if upload.status == UploadStatus.PUBLISHED:
        return redirect("reading-detail", course=access.course.slug, reading=upload.reading.slug)
    form = None
    if upload.status == UploadStatus.READY:
        form = SectionsForm(posted(request), sections=upload.document["sections"])
        if form.is_valid():
            try:
                uploads.edit_sections(upload=upload, changes=form.changes())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Saved the sections.")
                return redirect(upload)
    elif request.method == "POST":
        return redirect(upload)
    context = {
        "course": access.course,
        "viewer_role": access.role,
        "upload": upload,
        "statuses": UploadStatus,
        "form": form,
        "rows": [
            (fields, section, html)
            for fields, (section, html) in zip(
                form.rows, selectors.upload_preview(upload), strict=True
            )
        ]
        if form is not None
        else [],
    }
    return render(request, "readings/upload.html", context, status=status_of(form) if form else 200)


@require_http_methods(["GET", "POST"])
def publish(request, course, upload):
    """The reading's details, filled from the document, and its assignment; publishing
    creates the reading and puts it (or the chosen sections) on the syllabus."""
    access = get_course_access(request.user, course)
    permissions.check_add_reading(access.role, access.course)
    upload = selectors.get_upload(course=access.course, pk=upload)
    if upload.status != UploadStatus.READY:
        return redirect(upload)
    kept = [s for s in upload.document["sections"] if not s["skip"]]
    document = upload.document
    initial = {key: document.get(key, "") for key in ("title", "author", "source", "citation")}
    form = PublishForm(posted(request), initial=initial, sections=kept, course=access.course)
    if form.is_valid():
        try:
            assignment = uploads.publish_upload(upload=upload, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Published and assigned “{assignment.reading}”.")
            return redirect(assignment)
    context = {"course": access.course, "viewer_role": access.role, "upload": upload, "form": form}
    return render(request, "readings/publish.html", context, status=status_of(form))


@require_POST
def discard(request, course, upload):
    """Forget an upload that will not be published, with its file."""
    access = get_course_access(request.user, course)
    permissions.check_add_reading(access.role, access.course)
    upload = selectors.get_upload(course=access.course, pk=upload)
    if upload.status == UploadStatus.PUBLISHED:
        messages.error(request, "This reading is published; unassign it from the course page.")
        return redirect(upload)
    uploads.discard_upload(upload=upload)
    messages.success(request, f"Discarded “{upload.name}”.")
    return redirect("readings:add", course=access.course.slug)


@require_GET
def original(request, course, reading):
    """The file a reading was made from, for the course's members (unless the course keeps
    originals to those who add readings)."""
    access = get_course_access(request.user, course)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    permissions.check_download_original(access.role, access.course)
    upload = selectors.original_of(assignment.reading)
    if upload is None:
        raise Http404("This reading was not made from a file.")
    return FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.name,
        content_type=CONTENT_TYPES[upload.file_format],
    )
