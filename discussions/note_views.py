"""Notes in a reading's margin: writing one about words of a paragraph, and the notes on a
paragraph with their replies. Both work without JavaScript: a paragraph's "Note" link opens
the form with the paragraph shown, and the words are typed or pasted (the keyboard path);
the reader's script fills them from a selection."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin.csv_cells import csv_lines, csv_response, wants_bom
from destalin.forms import as_id, status_of
from destalin.markdown import render_text
from destalin.selectors import get_course_access
from discussions import note_exports, note_selectors, note_services, permissions, selectors
from discussions.forms import NoteForm
from discussions.models import Participation, Prompt, PromptKind
from discussions.quote_views import open_discussions
from discussions.views import posting_too_fast
from readings import selectors as reading_selectors


def _paragraph(assignment, raw):
    paragraph = assignment.reading.paragraphs.filter(number=as_id(raw) or 0).first()
    if paragraph is None:
        raise Http404("No such paragraph in this reading.")
    return paragraph


def _why_closed(access, prompt, user, now):
    if prompt is None:
        # No note yet: the rules of the margin as it will be made (note_services).
        prompt = Prompt(course=access.course, kind=PromptKind.ANNOTATION, is_published=True)
    participation = (
        Participation.objects.filter(prompt=prompt, user=user).first() if prompt.pk else None
    )
    return permissions.why_posting_is_closed(access.role, prompt, now, participation)


@require_http_methods(["GET", "POST"])
def note_create(request, course, reading):
    """Write a note about words of paragraph ``p`` of an assigned reading (preview, then
    post). 404 for a reading or paragraph not in the course; 403 when the margin is closed to
    the viewer (an annotation assignment past its cut-off); 429 when posting too fast."""
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    paragraph = _paragraph(assignment, request.POST.get("p") or request.GET.get("p", ""))
    now = timezone.now()
    prompt = note_selectors.find_margin(course=access.course, reading=assignment.reading)
    closed = _why_closed(access, prompt, request.user, now)
    if closed:
        raise PermissionDenied(closed)
    if request.method == "GET":
        form = NoteForm(initial={"exact": " ".join(request.GET.get("text", "").split())})
        return _form_page(request, access, assignment, paragraph, form)
    form = NoteForm(request.POST)
    publishing = form.is_valid() and request.POST.get("action") != "preview"
    if publishing and (too_fast := posting_too_fast(request, access.role)):
        form.add_error(None, f"{too_fast} Your text is still here.")
        return _form_page(request, access, assignment, paragraph, form, status=429)
    if publishing:
        try:
            note = note_services.post_note(
                course=access.course,
                author=request.user,
                role=access.role,
                paragraph=paragraph,
                exact=form.cleaned_data["exact"],
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                is_question=form.cleaned_data["is_question"],
            )
        except ValidationError as error:
            field = {"passage": "exact", "duplicate": "body", "empty": "body"}.get(error.code)
            form.add_error(field, error)
        else:
            if note.held_at:
                messages.info(request, f"Your note is saved and awaits review. {note.held_reason}")
            else:
                messages.success(request, "Your note is up.")
            url = reverse(
                "discussions:paragraph-notes",
                kwargs={
                    "course": course,
                    "reading": assignment.reading.slug,
                    "number": paragraph.number,
                },
            )
            return redirect(f"{url}#{note.anchor}")
    preview = render_text(form.cleaned_data["body"]) if form.is_valid() else None
    return _form_page(
        request, access, assignment, paragraph, form, preview=preview, status=status_of(form)
    )


def _form_page(request, access, assignment, paragraph, form, *, preview=None, status=200):
    return render(
        request,
        "discussions/note_form.html",
        {
            "course": access.course,
            "reading": assignment.reading,
            "paragraph": paragraph,
            "form": form,
            "preview": preview,
            "action": reverse(
                "discussions:note-create",
                kwargs={"course": access.course.slug, "reading": assignment.reading.slug},
            )
            + f"?p={paragraph.number}",
        },
        status=status,
    )


@require_GET
def paragraph_notes(request, course, reading, number):
    """The notes on one paragraph the viewer may read, each with its passage and replies;
    with ``fragment=1``, only their list (what the reader shows beside the paragraph)."""
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    paragraph = _paragraph(assignment, str(number))
    prompt = note_selectors.find_margin(course=access.course, reading=assignment.reading)
    notes = note_selectors.notes_on_paragraph(
        course=access.course, reading=assignment.reading, number=number, user=request.user
    )
    # The reader's script asks for the list alone, to show beside the paragraph.
    fragment = request.GET.get("fragment") == "1"
    return render(
        request,
        "discussions/_paragraph_notes_list.html"
        if fragment
        else "discussions/paragraph_notes.html",
        {
            "course": access.course,
            "reading": assignment.reading,
            "paragraph": paragraph,
            "prompt": prompt,
            "notes": notes,
            "closed": _why_closed(access, prompt, request.user, timezone.now()),
        },
    )


@require_POST
def margin_setup(request, course, reading):
    """Make the course's margin of an assigned reading an annotation assignment: the margin
    is made if it is new, and its settings (due date, points, requirements) open. Teachers
    who manage prompts only (403 otherwise)."""
    access = get_course_access(request.user, course)
    permissions.check_manage_prompts(access.role)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    prompt = note_services.margin_prompt(course=access.course, reading=assignment.reading)
    return redirect("discussions:prompt-edit", course=course, pk=prompt.pk)


@require_GET
def margin_page(request, course, reading):
    """The margin of a reading at a glance: notes and questions per paragraph, where the
    class asks most, and for teachers who has not annotated yet."""
    access = get_course_access(request.user, course)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    teaching = permissions.can_manage_prompts(access.role)
    return render(
        request,
        "discussions/margin.html",
        {
            "course": access.course,
            "reading": assignment.reading,
            "overview": note_selectors.margin_overview(
                course=access.course,
                reading=assignment.reading,
                user=request.user,
                teaching=teaching,
            ),
            "margin": note_selectors.find_margin(course=access.course, reading=assignment.reading),
            "teaching": teaching,
        },
    )


@require_GET
def margin_export(request, course, reading, fmt):
    """The margin's notes and replies the teacher may read, as W3C Web Annotation JSON-LD
    (``fmt`` "jsonld") or CSV (UTF-8 with a byte-order mark unless ``bom=0``). Teachers only
    (403); 404 for another format."""
    access = get_course_access(request.user, course)
    permissions.check_manage_prompts(access.role)
    assignment = reading_selectors.get_assignment(course=access.course, slug=reading)
    name = f"{slugify(access.course.code)}-{assignment.reading.slug}-notes"
    kwargs = {"course": access.course, "reading": assignment.reading, "user": request.user}
    if fmt == "csv":
        return csv_response(
            csv_lines(note_exports.csv_rows(**kwargs)),
            filename=f"{name}.csv",
            bom=wants_bom(request),
        )
    if fmt != "jsonld":
        raise Http404("Notes export as jsonld or csv.")
    response = JsonResponse(
        note_exports.collection(**kwargs),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.jsonld"'
    return response


@require_GET
def note_quote(request, course, pk):
    """From a note in a reading's margin to a discussion: pick one of the course's open
    discussions; its response form opens with the note quoted and linked. 404 for a note the
    viewer may not read."""
    access = get_course_access(request.user, course)
    note = selectors.quoted_note(course=access.course, user=request.user, params={"note": str(pk)})
    if note is None:
        raise Http404("No such note in this course.")
    return render(
        request,
        "discussions/note_quote.html",
        {
            "course": access.course,
            "note": note,
            "reading": note.prompt.reading,
            "prompts": open_discussions(access, request.user),
        },
    )
