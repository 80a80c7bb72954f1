"""The reader in its course frame: a reading assigned in the course, with each paragraph's
link to quote it in a discussion and how many posts the viewer may read quote it. Above
readings and discussions, because it shows both; the library's reader stays in readings."""

import math
import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from destalin.selectors import get_course_access
from discussions import note_selectors, post_selectors
from discussions import permissions as discussion_permissions
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors
from readings import services as reading_services

_PARA_LINK = re.compile(
    r'(<a class="para-link" href="#p-(\d+)" aria-label="Paragraph (\d+), link">[^<]*</a>)'
)


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
    notes = note_selectors.note_counts(
        course=access.course, reading=assignment.reading, user=request.user
    )
    # Teachers see where notes gather as a quiet strip beside each paragraph.
    heat = _heat(notes) if discussion_permissions.can_manage_prompts(access.role) else {}
    # Arriving from a quote whose words moved, were reworded or are gone: say so.
    arrived = post_selectors.quote_arrival(
        course=access.course,
        reading=assignment.reading,
        user=request.user,
        pk=request.GET.get("quote"),
    )
    context["shown"] = [
        _with_tools(section, access.course, assignment.reading, counts, notes, heat)
        for section in context["shown"]
    ]
    context.update(
        course=access.course,
        viewer_role=access.role,
        assignment=assignment,
        reading=assignment.reading,
        progress=progress,
        arrived=arrived,
        can_edit=reading_permissions.can_edit_reading(access.role, access.course),
        can_track=progress is not None,
        can_manage_syllabus=reading_permissions.can_manage_syllabus(access.role, access.course),
        can_set_up_margin=discussion_permissions.can_manage_prompts(access.role),
        original=(
            reading_selectors.original_of(assignment.reading)
            if reading_permissions.can_download_original(access.role, access.course)
            else None
        ),
    )
    return render(request, "readings/reading.html", context)


def _with_tools(section, course, reading, counts, notes, heat):
    """The section's stored HTML with, after each "¶ n" link, a link to quote the paragraph
    in a discussion and one to write a note on it in the margin and, if posts quote words
    still in it or notes are on it, how many (``notes``: ``note_selectors.note_counts``;
    ``heat``: paragraph number to a level from 1 to 4, for teachers). A regex pass, no
    Markdown; the links' fixed parts are escaped once, not per paragraph (a 300-page reading
    has thousands), and the rest are integers."""
    quote_href = escape(
        f"{reverse('discussions:quote', kwargs={'course': course.slug})}?reading={reading.slug}&p="
    )
    quoted_href = escape(
        reverse(
            "discussions:paragraph-quotes",
            kwargs={"course": course.slug, "reading": reading.slug, "key": 0},
        )
    ).removesuffix("0/")
    note_href = escape(
        reverse("discussions:note-create", kwargs={"course": course.slug, "reading": reading.slug})
        + "?p="
    )
    notes_href = escape(
        reverse(
            "discussions:paragraph-notes",
            kwargs={"course": course.slug, "reading": reading.slug, "number": 0},
        )
    ).removesuffix("0/")

    def tools(match):
        key, number = int(match.group(2)), int(match.group(3))
        html = (
            f'{match.group(1)} <a class="para-quote" href="{quote_href}{key}">Quote<span '
            f'class="visually-hidden"> paragraph {number} in a discussion</span></a>'
        )
        if counts.get(key):
            html += (
                f' <a class="para-quoted" href="{quoted_href}{key}/">quoted in {counts[key]} '
                f"post{'' if counts[key] == 1 else 's'}</a>"
            )
        html += (
            f' <a class="para-note" href="{note_href}{number}">Note<span '
            f'class="visually-hidden"> on paragraph {number}</span></a>'
        )
        if number in notes:
            level = f" heat-{heat[number]}" if number in heat else ""
            html += (
                f' <a class="para-notes{level}" href="{notes_href}{number}/">'
                f"{_notes_label(notes[number])}</a>"
            )
        return html

    section.body_html = mark_safe(_PARA_LINK.sub(tools, section.body_html))
    return section


def _notes_label(counted):
    """ "3 notes, 1 question" for a paragraph's ``ParagraphNotes``."""
    label = f"{counted.notes} note{'' if counted.notes == 1 else 's'}"
    if counted.questions:
        label += f", {counted.questions} question{'' if counted.questions == 1 else 's'}"
    return label


def _heat(notes):
    """Paragraph number to a level from 1 to 4: its notes against the busiest paragraph's."""
    busiest = max((counted.notes for counted in notes.values()), default=0)
    return {
        number: max(1, math.ceil(4 * counted.notes / busiest)) for number, counted in notes.items()
    }
