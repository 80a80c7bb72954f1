"""The course gradebook: the page, its Canvas-style CSV export and the import of scores from
the same CSV."""

import base64
import binascii
import dataclasses
import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from destalin.forms import as_id
from destalin.models import Membership, Role
from destalin.selectors import get_course_access, teachers_of
from discussions import audit
from discussions.grading import gradebook_csv, gradebook_html, permissions, selectors, services
from discussions.grading.forms import ImportForm
from discussions.grading.models import Grade, GradeStatus
from discussions.models import AuditAction

MAX_IMPORT_BYTES = 2_000_000
NO_GRADE = gradebook_csv.Cell(score=None)
FILTERS = {"current": "Current students", "removed": "Removed students", "all": "Everyone"}


def _teacher_course(request, course):
    access = get_course_access(request.user, course)
    permissions.check_grade(access.role)
    return access


@require_GET
def gradebook_page(request, course):
    """Students by graded prompts, with totals, missing and late markers; each cell opens
    the grader at that student."""
    access = _teacher_course(request, course)
    students = request.GET.get("students", "current")
    students = students if students in FILTERS else "current"
    graders = teachers_of(access.course)
    grader = next((g for g in graders if g.pk == as_id(request.GET.get("grader", ""))), None)
    prompts, rows = selectors.gradebook(course=access.course, students=students, grader=grader)
    return render(
        request,
        "grading/gradebook.html",
        {
            "course": access.course,
            "prompts": prompts,
            "rows": rows,
            "rows_html": gradebook_html.render_rows(rows, course=access.course, prompts=prompts),
            "filters": FILTERS,
            "students": students,
            "graders": graders,
            "grader": grader,
        },
    )


def sortable_name(display_name):
    """ "Last, First" from a display name, as gradebooks sort: the last word is taken for the
    family name (one-word names stay as they are)."""
    first, _, last = display_name.strip().rpartition(" ")
    return f"{last}, {first}" if first else last


def _csv_rows(course, prompts, chunk=200):
    """Student rows in sortable-name order, their grades read a chunk of students at a time,
    so memory stays flat however large the course: only (name, id, email) of everyone is
    held at once."""
    students = sorted(
        (
            (sortable_name(name), pk, email)
            for pk, name, email in Membership.objects.current()
            .filter(course=course, role=Role.STUDENT)
            .values_list("user_id", "user__display_name", "user__email")
        ),
        key=lambda student: (student[0].casefold(), student[1]),
    )
    for start in range(0, len(students), chunk):
        batch = students[start : start + chunk]
        grades = {
            (student, prompt): gradebook_csv.Cell(
                score=score, is_excused=status == GradeStatus.EXCUSED
            )
            for student, prompt, status, score in Grade.objects.filter(
                prompt__in=prompts, student__in=[pk for _, pk, _ in batch]
            ).values_list("student_id", "prompt_id", "status", "score")
        }
        for name, pk, email in batch:
            yield gradebook_csv.StudentRow(
                sortable_name=name,
                user_id=pk,
                sis_user_id="",
                sis_login_id=email,
                section="",
                cells=tuple(grades.get((pk, p.pk), NO_GRADE) for p in prompts),
            )


def _cell(grade):
    if grade is None:
        return gradebook_csv.Cell(score=None)
    return gradebook_csv.Cell(score=grade.score, is_excused=grade.status == GradeStatus.EXCUSED)


def _columns(prompts):
    released = selectors.released_prompt_ids(prompts)
    return [
        gradebook_csv.Column(
            prompt_id=p.pk,
            title=p.title,
            points_possible=p.points_possible,
            is_unreleased=p.pk not in released,
        )
        for p in prompts
    ]


@require_GET
def gradebook_export(request, course):
    """The gradebook as a CSV an LMS gradebook import accepts (Canvas's format), streamed."""
    access = _teacher_course(request, course)
    prompts = selectors.graded_prompts(access.course)
    lines = gradebook_csv.gradebook_lines(
        columns=_columns(prompts), students=_csv_rows(access.course, prompts)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = slugify(access.course.code) or "course"
    response["Content-Disposition"] = f'attachment; filename="{name}-grades.csv"'
    return response


@require_http_methods(["GET", "POST"])
def gradebook_import(request, course):
    """Scores from a gradebook CSV: a preview of every change and of every row that does not
    match, then, once confirmed, all of them saved together or none."""
    access = _teacher_course(request, course)
    if request.method == "POST":
        permissions.check_course_writable(access.course)
    context = {"course": access.course, "form": ImportForm()}
    if request.method == "GET":
        return render(request, "grading/import.html", context)
    data, error = _uploaded(request)
    if error:
        context["form"] = _with_error(request, error)
        return render(request, "grading/import.html", context, status=400)
    prompts = selectors.graded_prompts(access.course)
    preview, error = _preview(access.course, prompts, data)
    if error:
        context["form"] = _with_error(request, error)
        return render(request, "grading/import.html", context, status=400)
    digest = _digest(data, preview)
    if "confirm" in request.POST and not preview.errors:
        if request.POST.get("digest") != digest:
            messages.error(request, "Grades changed since the preview: check the changes again.")
        else:
            try:
                _apply(access.course, prompts, preview, request.user)
            except (services.GradeConflict, ValidationError):
                messages.error(
                    request,
                    "A grade changed while the import was saved, so nothing was saved. "
                    "Check the preview and confirm again.",
                )
                preview, _ = _preview(access.course, prompts, data)
                digest = _digest(data, preview)
            else:
                messages.success(request, f"{len(preview.changes)} grades imported.")
                return redirect("grading:gradebook", course=course)
    names = {s.pk: s.display_name for s in selectors.students_in(access.course, removed=True)}
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
    """The file's bytes, from the upload or from the preview's hidden copy."""
    if "data" in request.POST:
        try:
            data = base64.b64decode(request.POST["data"], validate=True)
        except (binascii.Error, ValueError):
            return None, "The preview was damaged. Upload the file again."
        return data, None
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return None, "Choose a CSV file to upload."
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        return None, (
            f"The file is {upload.size / 1_000_000:.0f} MB; at most 2 MB can be imported. "
            "Export the gradebook again and fill in only its scores."
        )
    return upload.read(), None


def _with_error(request, error):
    form = ImportForm(request.POST, request.FILES)
    form.is_valid()
    form.errors.clear()
    form.add_error("file", error)
    return form


def _preview(course, prompts, data):
    students = selectors.students_in(course)
    current = {
        (g.student_id, g.prompt_id): _cell(g)
        for g in Grade.objects.filter(prompt__in=prompts, student__in=[s.pk for s in students])
    }
    try:
        preview = gradebook_csv.read_scores(
            data=data,
            columns=_columns(prompts),
            current=current,
            student_ids={s.pk for s in students},
            max_bytes=MAX_IMPORT_BYTES,
        )
    except gradebook_csv.ImportFileError as error:
        return None, str(error)
    return preview, None


def _digest(data, preview):
    text = repr(
        (hashlib.sha256(data).hexdigest(), [dataclasses.astuple(c) for c in preview.changes])
    )
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def _apply(course, prompts, preview, user):
    audit.record(
        course=course,
        actor=user,
        action=AuditAction.IMPORT,
        reason=f"{len(preview.changes)} scores from a gradebook CSV",
    )
    by_id = {p.pk: p for p in prompts}
    students = {s.pk: s for s in selectors.students_in(course)}
    versions = {
        (g.student_id, g.prompt_id): g.version
        for g in Grade.objects.filter(prompt__in=prompts, student__in=list(students))
    }
    for change in preview.changes:
        key = (change.user_id, change.prompt_id)
        services.save_grade(
            prompt=by_id[change.prompt_id],
            student=students[change.user_id],
            grader=user,
            status=GradeStatus.EXCUSED if change.new.is_excused else GradeStatus.GRADED,
            entered=change.new.score,
            levels=None,
            feedback=None,
            expected_version=versions.get(key, 0),
            source="import",
        )
