"""The course gradebook: the page, its Canvas-style CSV export and the import of scores from
the same CSV."""

import base64
import binascii

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from destalin.csv_cells import csv_response, wants_bom
from destalin.forms import as_id
from destalin.request_limits import accepts_body
from destalin.selectors import get_course_access, students_of, teachers_of
from discussions.grading import (
    gradebook_csv,
    gradebook_selectors,
    imports,
    permissions,
    selectors,
)
from discussions.grading.forms import ImportForm
from discussions.grading.models import ScoreImport

MAX_IMPORT_BYTES = imports.MAX_IMPORT_BYTES
FILTERS = {"current": "Current students", "removed": "Removed students", "all": "Everyone"}


def _teacher_course(request, course):
    access = get_course_access(request.user, course)
    permissions.check_grade(access.role)
    return access


@require_GET
def gradebook_page(request, course):
    """Students by graded prompts, with totals, missing and late markers, a page of students
    at a time; each cell of a current student opens the grader at that student. The rows'
    HTML is made by the template (``gradebook_body``), which adds what the layers above know
    of each cell."""
    access = _teacher_course(request, course)
    students = request.GET.get("students", "current")
    students = students if students in FILTERS else "current"
    graders = teachers_of(access.course)
    grader = next((g for g in graders if g.pk == as_id(request.GET.get("grader", ""))), None)
    prompts, rows, page = gradebook_selectors.gradebook(
        course=access.course, students=students, grader=grader, page=request.GET.get("page")
    )
    return render(
        request,
        "grading/gradebook.html",
        {
            "course": access.course,
            "prompts": prompts,
            "rows": rows,
            "page": page,
            "filters": FILTERS,
            "students": students,
            "graders": graders,
            "grader": grader,
            "imports": ScoreImport.objects.filter(course=access.course).select_related(
                "requested_by"
            )[:5],
        },
    )


@require_GET
def gradebook_export_choice(request, course):
    """Which gradebook file to download: Canvas's layout or the plain one Moodle imports."""
    access = _teacher_course(request, course)
    return render(request, "grading/gradebook_export.html", {"course": access.course})


@require_GET
def gradebook_export(request, course):
    """The gradebook as a CSV in Canvas's layout, which Canvas's gradebook import accepts and
    ours reads back, streamed."""
    return _gradebook_file(request, course, gradebook_csv.gradebook_lines, "grades")


@require_GET
def gradebook_export_moodle(request, course):
    """The gradebook as the plain CSV Moodle's grade import accepts, streamed."""
    return _gradebook_file(request, course, gradebook_csv.moodle_lines, "grades-moodle")


def _gradebook_file(request, course, lines, suffix):
    access = _teacher_course(request, course)
    prompts = selectors.graded_prompts(access.course)
    body = lines(
        columns=gradebook_selectors.csv_columns(prompts),
        students=gradebook_selectors.csv_rows(access.course, prompts),
    )
    name = slugify(access.course.code) or "course"
    return csv_response(body, filename=f"{name}-{suffix}.csv", bom=wants_bom(request))


@require_http_methods(["GET", "POST"])
# The file, or its preview's base64 copy (4/3 of it, URL-encoded), with room for the form.
@accepts_body(2 * MAX_IMPORT_BYTES)
def gradebook_import(request, course):
    """Scores from a gradebook CSV: a preview of every change and of every row that does not
    match, then, once confirmed, all of them saved together or none."""
    access = _teacher_course(request, course)
    context = {"course": access.course, "form": ImportForm(), "limit": MAX_IMPORT_BYTES}
    if request.method == "GET":
        return render(request, "grading/import.html", context)
    permissions.check_course_writable(access.course)
    prompts = selectors.graded_prompts(access.course)
    data, error = _uploaded(request)
    preview = None
    if error is None:
        preview, error = imports.preview(access.course, prompts, data)
    if error is not None:
        context["form"] = _with_error(request, error)
        return render(request, "grading/import.html", context, status=400)
    digest = imports.digest(data, preview)
    if "confirm" in request.POST and not preview.errors:
        if request.POST.get("digest") != digest:
            messages.error(request, "Grades changed since the preview: check the changes again.")
        else:
            imports.queue_import(
                course=access.course,
                by=request.user,
                data=data,
                confirmed=digest,
                changes=len(preview.changes),
            )
            messages.success(
                request,
                f"Saving {len(preview.changes)} scores; the list of imports below says when "
                "they are in.",
            )
            return redirect("grading:gradebook", course=course)
    names = {s.pk: s.display_name for s in students_of(access.course)}
    titles = {p.pk: p.title for p in prompts}
    context.update(
        preview=preview,
        changes=[
            (c, names.get(c.user_id, ""), titles.get(c.prompt_id, "")) for c in preview.changes
        ],
        data=base64.b64encode(data).decode("ascii"),
        digest=digest,
    )
    return render(request, "grading/import.html", context, status=400 if preview.errors else 200)


def _uploaded(request):
    """The file's bytes, from the upload or from the preview's hidden copy; or an error."""
    if "data" in request.POST:
        try:
            return base64.b64decode(request.POST["data"], validate=True), None
        except (binascii.Error, ValueError):
            return None, "The preview was damaged. Upload the file again."
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return None, "Choose a CSV file to upload."
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        return None, (
            f"The file is {upload.size / 1_000_000:.1f} MB; at most "
            f"{MAX_IMPORT_BYTES / 1_000_000:.1f} MB can be imported. Export the gradebook "
            "again and fill in only its scores."
        )
    return upload.read(), None


def _with_error(request, error):
    form = ImportForm(request.POST, request.FILES)
    form.is_valid()
    form.errors.clear()
    form.add_error("file", error)
    return form
