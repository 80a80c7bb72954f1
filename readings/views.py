"""Syllabus management, progress, the library and search. The reader in its course frame and
the course page, which show discussions too, are in ``destalin.courses``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin.forms import posted, status_of
from destalin.selectors import get_course_access, teaches_anywhere
from readings import permissions, selectors, services
from readings.forms import AssignmentForm, AssignReadingForm


@require_POST
def mark_read(request, course, reading):
    """Mark a reading as read, or (with ``read=0``) undo it."""
    access = get_course_access(request.user, course)
    permissions.check_track_progress(access.role)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    is_read = request.POST.get("read") != "0"
    services.set_read(user=request.user, reading=assignment.reading, is_read=is_read)
    messages.success(
        request,
        f"Marked “{assignment.reading}” as read." if is_read else "Marked as not read yet.",
    )
    return redirect(assignment)


@require_GET
def reading_progress(request, course, reading):
    """Who has opened the reading, who has marked it read, who has not."""
    access = get_course_access(request.user, course)
    permissions.check_see_progress(access.role)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    return render(
        request,
        "readings/progress.html",
        {
            "course": access.course,
            "viewer_role": access.role,
            "assignment": assignment,
            "reading": assignment.reading,
            "report": selectors.progress_report(course=access.course, reading=assignment.reading),
        },
    )


@require_http_methods(["GET", "POST"])
def assign(request, course):
    """Add a reading from the library to the syllabus."""
    access = get_course_access(request.user, course)
    permissions.check_manage_syllabus(access.role, access.course)
    form = AssignReadingForm(posted(request), course=access.course)
    if form.is_valid():
        try:
            services.assign_reading(course=access.course, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Assigned “{form.cleaned_data['reading']}”.")
            return redirect(access.course)
    return render(
        request,
        "readings/assign.html",
        {"course": access.course, "form": form},
        status=status_of(form),
    )


@require_http_methods(["GET", "POST"])
def assignment_edit(request, course, reading):
    """Change a reading's due date and instructions."""
    access = get_course_access(request.user, course)
    permissions.check_manage_syllabus(access.role, access.course)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    form = AssignmentForm(posted(request), instance=assignment, course=access.course)
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved “{assignment.reading}”.")
        return redirect(access.course)
    return render(
        request,
        "readings/assignment_form.html",
        {"course": access.course, "assignment": assignment, "form": form},
        status=status_of(form),
    )


@require_http_methods(["GET", "POST"])
def unassign(request, course, reading):
    """Take a reading off the syllabus, after a page that asks (GET) whether to: its due
    date and instructions go with it (students' progress records stay)."""
    access = get_course_access(request.user, course)
    permissions.check_manage_syllabus(access.role, access.course)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    if request.method == "GET":
        context = {"course": access.course, "viewer_role": access.role, "assignment": assignment}
        return render(request, "readings/unassign.html", context)
    services.unassign_reading(assignment=assignment)
    messages.success(request, f"“{assignment.reading}” is no longer assigned.")
    return redirect(access.course)


@require_POST
def move(request, course, reading):
    """Move a reading up or down the syllabus."""
    access = get_course_access(request.user, course)
    permissions.check_manage_syllabus(access.role, access.course)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        messages.error(request, "Say whether to move the reading up or down.")
        return redirect(access.course)
    services.move_assignment(assignment=assignment, offset=offset)
    return redirect(f"{access.course.get_absolute_url()}#assignment-{assignment.pk}")


@require_GET
def library(request):
    """Every reading, for those who choose what to assign."""
    permissions.check_browse_library(request.user, teaches=teaches_anywhere(request.user))
    return render(request, "readings/library.html", {"readings": selectors.library()})


@require_GET
def library_detail(request, reading):
    """A reading from the library, before it is assigned."""
    permissions.check_browse_library(request.user, teaches=teaches_anywhere(request.user))
    reading = selectors.get_library_reading(slug=reading)
    sections = list(reading.sections.all())
    return render(
        request,
        "readings/reading.html",
        {"reading": reading, "sections": sections, "shown": sections, "library": True},
    )


@require_GET
def versions(request, course, reading):
    """Every kept version of a reading's text, newest first, with who saved it and why."""
    access = get_course_access(request.user, course)
    permissions.check_edit_reading(access.role, access.course)
    assignment = selectors.get_assignment(course=access.course, slug=reading)
    return render(
        request,
        "readings/versions.html",
        {
            "course": access.course,
            "assignment": assignment,
            "reading": assignment.reading,
            "versions": selectors.versions(reading=assignment.reading),
        },
    )
