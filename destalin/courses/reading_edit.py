"""Editing a reading's text in the browser: Markdown with a preview, every save a new version
(``readings.services.edit_reading``), and before saving, how many posts point into the text and
how many of their quoted passages the edit would lose. Above readings and discussions, because
it reads both."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from destalin.forms import posted, status_of
from destalin.request_limits import accepts_body
from destalin.selectors import get_course_access
from discussions import post_selectors
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors
from readings import services as reading_services
from readings.forms import ReadingTextForm
from readings.rendering import render_sections
from readings.sources import write_source


@accepts_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)  # a whole reading's text (MAX_BYTES)
@require_http_methods(["GET", "POST"])
def reading_edit(request, course, reading):
    """The reading's text in one Markdown field; Preview shows it rendered with what the edit
    does to quotes, Save keeps the version before and makes this the reading."""
    access = get_course_access(request.user, course)
    reading_permissions.check_edit_reading(access.role, access.course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    reading = assignment.reading
    latest = reading.versions.aggregate(last=Max("number"))["last"] or 0
    sections = list(reading.sections.all())
    form = ReadingTextForm(
        posted(request),
        latest=latest,
        initial={"text": write_source([(s.title, s.body) for s in sections]), "base": latest},
    )
    quotes = post_selectors.quotes_into(reading=reading)
    preview = lost = None
    if form.is_valid() and request.POST.get("action") == "save":
        try:
            reading_services.edit_reading(
                reading=reading,
                sections=form.sections,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, f"Saved “{reading}”; the version before is kept.")
            return redirect(assignment)
    if form.is_valid():
        before = reading.paragraphs.order_by("number").values_list("key", "text")
        preview = render_sections(
            form.sections, previous=list(before), last_key=reading.last_block_key
        )
        blocks = {block.key: block.text for block in preview.blocks}
        lost = post_selectors.quotes_lost_by(quotes, blocks)
    return render(
        request,
        "readings/edit.html",
        {
            "course": access.course,
            "assignment": assignment,
            "reading": reading,
            "form": form,
            "preview": preview,
            "lost": lost,
            "posts": len({quote.post_id for quote in quotes}),
            "other_courses": [
                a.course
                for a in reading.assignments.exclude(course=access.course).select_related("course")
            ],
        },
        status=status_of(form),
    )
