"""From a reading into the discussions and back: pick a prompt to quote a paragraph in,
follow a quote to where its passage is now (``readings.anchors``), and list the posts that
quote a paragraph."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from destalin.selectors import get_course_access
from discussions import permissions, post_selectors, prompt_selectors, selectors
from discussions.models import Post, Quote
from readings import anchors
from readings import selectors as reading_selectors


@require_GET
def quote_start(request, course):
    """From a paragraph of a reading to a discussion: pick one of the course's open prompts;
    its reply form opens with the passage quoted (or the selected part of it)."""
    access = get_course_access(request.user, course)
    passage = selectors.quoted_passage(course=access.course, params=request.GET)
    if passage is None:
        raise Http404("No such paragraph in this course's readings.")
    paragraph, text = passage
    return render(
        request,
        "discussions/quote_start.html",
        {
            "course": access.course,
            "reading": paragraph.reading,
            "paragraph": paragraph,
            "text": text,
            "prompts": open_discussions(access, request.user),
        },
    )


def open_discussions(access, user):
    """The course's discussions the viewer may post in now, in course order: where a quoted
    passage or note can go (a reading's margin takes notes on its own text only)."""
    now = timezone.now()
    rows = prompt_selectors.prompts_for_course(
        course=access.course,
        user=user,
        teaching=permissions.can_manage_prompts(access.role),
    )
    return [
        row.prompt
        for row in rows
        if not row.prompt.is_annotation
        and permissions.why_posting_is_closed(access.role, row.prompt, now, row.participation)
        is None
    ]


@require_GET
def quote_source(request, course, pk):
    """Where a quoted passage is now: its words in the reading, even after the reading
    changed; when they changed or were removed, the reading with a notice saying so and what
    the post quoted (``?quote=``), never a look-alike passage."""
    access = get_course_access(request.user, course)
    quote = get_object_or_404(
        Quote.objects.select_related("reading"),
        pk=pk,
        post__in=Post.objects.visible_to(request.user).filter(prompt__course=access.course),
    )
    found = anchors.locate(quote.passage, post_selectors.current_blocks(quote.reading))
    url = reverse("reading-detail", kwargs={"course": course, "reading": quote.reading.slug})
    if found.status != anchors.Status.SAME:
        url += f"?quote={quote.pk}"
    if found.block is not None:
        url += f"#{anchors.anchor(found.block)}"
    return redirect(url)


@require_GET
def paragraph_quotes(request, course, reading, key):
    """The posts the viewer may read that quote one paragraph (block ``key``) of a reading."""
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    paragraph = get_object_or_404(assignment.reading.paragraphs, key=key)
    posts = post_selectors.posts_quoting(
        course=access.course, reading=assignment.reading, key=key, user=request.user
    )
    return render(
        request,
        "discussions/paragraph_quotes.html",
        {
            "course": access.course,
            "reading": assignment.reading,
            "paragraph": paragraph,
            "posts": posts,
        },
    )
