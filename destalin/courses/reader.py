"""The reader in its course frame: a reading assigned in the course, with each paragraph's
link to quote it in a discussion and how many posts the viewer may read quote it. Above
readings and discussions, because it shows both; the library's reader stays in readings."""

import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from destalin.selectors import get_course_access
from discussions import post_selectors
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors
from readings import services as reading_services

_PARA_LINK = re.compile(r'(<a class="para-link" href="#p-(\d+)"[^>]*>[^<]*</a>)')


@require_GET
def reading_detail(request, course, reading):
    """The whole reading on one page, with its table of contents."""
    return _reader(request, course, reading, position=None)


@require_GET
def reading_section(request, course, reading, position):
    """One section of a reading, with previous/next."""
    return _reader(request, course, reading, position=position)


def _reader(request, course, slug, position):
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=slug)
    context = reading_selectors.reader(assignment=assignment, position=position)
    progress = None
    if reading_permissions.can_track_progress(access.role):
        # Opening a reading is what the instructor's progress page reports.
        progress = reading_services.record_opened(user=request.user, reading=assignment.reading)
    counts = post_selectors.quote_counts(
        course=access.course, reading=assignment.reading, user=request.user
    )
    context["shown"] = [
        _with_tools(section, access.course, assignment.reading, counts)
        for section in context["shown"]
    ]
    context.update(
        course=access.course,
        viewer_role=access.role,
        assignment=assignment,
        reading=assignment.reading,
        progress=progress,
        can_track=progress is not None,
        can_manage_syllabus=reading_permissions.can_manage_syllabus(access.role, access.course),
        original=(
            reading_selectors.original_of(assignment.reading)
            if reading_permissions.can_download_original(access.role, access.course)
            else None
        ),
    )
    return render(request, "readings/reading.html", context)


def _with_tools(section, course, reading, counts):
    """The section's stored HTML with, after each "¶ n" link, a link to quote the paragraph
    in a discussion and, if posts quote it, how many. A regex pass, no Markdown."""
    quote_url = reverse("discussions:quote", kwargs={"course": course.slug})

    def tools(match):
        number = int(match.group(2))
        html = format_html(
            '{} <a class="para-quote" href="{}?reading={}&amp;p={}">Quote<span '
            'class="visually-hidden"> paragraph {} in a discussion</span></a>',
            mark_safe(match.group(1)),
            quote_url,
            reading.slug,
            number,
            number,
        )
        if counts.get(number):
            html += format_html(
                ' <a class="para-quoted" href="{}">quoted in {} post{}</a>',
                reverse(
                    "discussions:paragraph-quotes",
                    kwargs={"course": course.slug, "reading": reading.slug, "number": number},
                ),
                counts[number],
                "" if counts[number] == 1 else "s",
            )
        return html

    section.body_html = _PARA_LINK.sub(tools, section.body_html)
    return section
