"""Pages that show readings and discussions together: the course page, the reader with its
quote tools and counts, and the way from a passage into a discussion."""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from destalin import permissions as course_permissions
from destalin.search import clean_query
from destalin.selectors import get_course_access
from discussions import permissions, selectors
from discussions.models import Post, Quote
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors
from readings import services as reading_services

_PARA_LINK = re.compile(r'(<a class="para-link" href="#p-(\d+)"[^>]*>[^<]*</a>)')


@require_GET
def course_home(request, course):
    """The course: its discussions with the viewer's standing, and the syllabus."""
    access = get_course_access(request.user, course)
    teaching = permissions.can_manage_prompts(access.role)
    track = reading_permissions.can_track_progress(access.role) and not teaching
    return render(
        request,
        "discussions/course_home.html",
        {
            "course": access.course,
            "role": access.role,
            "prompts": selectors.prompts_for_course(
                course=access.course, user=request.user, teaching=teaching
            ),
            "items": reading_selectors.syllabus(
                course=access.course, user=request.user, track=track
            ),
            "is_student": track,
            "can_manage": course_permissions.can_manage_course(access.role),
            "can_see_roster": course_permissions.can_see_roster(access.role),
            "can_manage_syllabus": reading_permissions.can_manage_syllabus(
                access.role, access.course
            ),
            "can_manage_prompts": teaching,
            "viewer_role": access.role,
        },
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
    counts = selectors.quote_counts(
        course=access.course, reading=assignment.reading, user=request.user
    )
    context["shown"] = [
        _with_tools(section, access.course, assignment.reading, counts)
        for section in context["shown"]
    ]
    context.update(
        course=access.course,
        assignment=assignment,
        reading=assignment.reading,
        progress=progress,
        can_track=progress is not None,
        can_manage_syllabus=reading_permissions.can_manage_syllabus(access.role, access.course),
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


@require_GET
def quote_start(request, course):
    """From a paragraph of a reading to a discussion: pick one of the course's open prompts;
    its reply form opens with the passage quoted (or the selected part of it)."""
    access = get_course_access(request.user, course)
    passage = selectors.quoted_passage(course=access.course, params=request.GET)
    if passage is None:
        raise Http404("No such paragraph in this course's readings.")
    paragraph, text = passage
    now = timezone.now()
    rows = selectors.prompts_for_course(
        course=access.course,
        user=request.user,
        teaching=permissions.can_manage_prompts(access.role),
    )
    open_prompts = [
        row.prompt
        for row in rows
        if permissions.why_posting_is_closed(access.role, row.prompt, now, row.participation)
        is None
    ]
    return render(
        request,
        "discussions/quote_start.html",
        {
            "course": access.course,
            "reading": paragraph.reading,
            "paragraph": paragraph,
            "text": text,
            "prompts": open_prompts,
        },
    )


@require_GET
def quote_source(request, course, pk):
    """Where a quoted passage is now: its paragraph, even after the reading changed, or a page
    saying it can no longer be found."""
    access = get_course_access(request.user, course)
    quote = get_object_or_404(
        Quote.objects.select_related("reading"),
        pk=pk,
        post__in=Post.objects.visible_to(request.user).filter(prompt__course=access.course),
    )
    paragraphs = dict(quote.reading.paragraphs.values_list("number", "text"))
    number = selectors.locate(quote, paragraphs)
    if number is not None:
        url = reverse("reading-detail", kwargs={"course": course, "reading": quote.reading.slug})
        return redirect(f"{url}#p-{number}")
    return render(
        request,
        "discussions/quote_lost.html",
        {"course": access.course, "quote": quote},
        status=404,
    )


@require_GET
def paragraph_quotes(request, course, reading, number):
    """The posts the viewer may read that quote one paragraph of a reading."""
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    posts = selectors.posts_quoting(
        course=access.course, reading=assignment.reading, number=number, user=request.user
    )
    return render(
        request,
        "discussions/paragraph_quotes.html",
        {"course": access.course, "reading": assignment.reading, "number": number, "posts": posts},
    )


@require_GET
def search(request, course):
    """One search box for the course: its readings and the posts the viewer may read. Any
    input is a query: it is cleaned, never refused."""
    access = get_course_access(request.user, course)
    query = clean_query(request.GET.get("q", ""))
    readings = reading_selectors.search_readings(course=access.course, query=query) if query else []
    posts = (
        selectors.search_posts(course=access.course, user=request.user, query=query)
        if query
        else []
    )
    return render(
        request,
        "discussions/search.html",
        {
            "course": access.course,
            "query": query,
            "reading_hits": readings,
            "post_hits": posts,
            "can_manage": course_permissions.can_manage_course(access.role),
            "can_see_roster": course_permissions.can_see_roster(access.role),
            "viewer_role": access.role,
        },
    )
