"""Writing and arranging prompts, and what teachers manage in one: create, edit, publish,
move, every student's participation, extensions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin.forms import posted, status_of
from destalin.selectors import get_course_access, students_of
from discussions import permissions, prompt_selectors, selectors, services
from discussions.forms import ExtensionForm, PromptForm
from discussions.models import Prompt


@require_http_methods(["GET", "POST"])
def prompt_create(request, course):
    """Write a new prompt (saved as a draft unless published)."""
    access = get_course_access(request.user, course)
    permissions.check_manage_prompts(access.role)
    return _prompt_form(request, access, Prompt(course=access.course))


@require_http_methods(["GET", "POST"])
def prompt_edit(request, course, pk):
    """Edit a prompt's text, readings and rules."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    return _prompt_form(request, access, access.prompt)


def _prompt_form(request, access, prompt):
    course = access.course
    was_published = prompt.pk is not None and prompt.is_published
    form = PromptForm(
        posted(request),
        instance=prompt,
        course=course,
        can_set_hold=permissions.can_set_hold(access.role, course),
    )
    effects = None
    if form.is_valid():
        # An annotation prompt's reading is fixed: its form has no readings to link.
        edited, readings = form.save(commit=False), form.cleaned_data.get("readings")
        # Changed rules are shown with whom they would affect, and saved once confirmed.
        if edited.pk and form.rules_changed() and "confirm_rules" not in request.POST:
            effects = services.rule_change_effects(prompt=edited, readings=readings)
        if not effects:
            prompt = services.save_prompt(prompt=edited, readings=readings, by=request.user)
            messages.success(request, f"“{prompt}” {_saved(was_published, prompt.is_published)}.")
            return redirect(prompt)
    return render(
        request,
        "discussions/prompt_form.html",
        {
            "course": course,
            "form": form,
            "prompt": prompt if prompt.pk else None,
            "effects": effects,
        },
        status=status_of(form),
    )


def _saved(was_published, is_published):
    """What saving did to the prompt, as the message says it."""
    if is_published:
        return "was saved: students see the changes" if was_published else "was published"
    if was_published:
        return "was taken back to draft: students no longer see it"
    return "was saved as a draft"


@require_POST
def prompt_publish(request, course, pk):
    """Publish a draft, or take a prompt back to draft."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    publish = request.POST.get("publish") != "0"
    services.set_published(prompt=access.prompt, is_published=publish, by=request.user)
    messages.success(
        request, "Published." if publish else "Back to draft: students no longer see it."
    )
    return redirect(access.prompt)


@require_POST
def prompt_move(request, course, pk):
    """Move a prompt up or down the course page."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        messages.error(request, "Say whether to move the prompt up or down.")
    else:
        services.move_prompt(prompt=access.prompt, offset=offset)
    return redirect(access.course)


@require_GET
def prompt_progress(request, course, pk):
    """Every student's participation in the prompt: posts, requirements, when each was met."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    return render(
        request,
        "discussions/prompt_progress.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "participations": prompt_selectors.student_participations(prompt=access.prompt),
        },
    )


@require_http_methods(["GET", "POST"])
def extensions(request, course, pk):
    """Give a student a later due date and cut-off."""
    access = selectors.get_prompt_access(request.user, course, pk)
    permissions.check_manage_prompts(access.role)
    students = students_of(access.course)
    form = ExtensionForm(posted(request), students=students, course=access.course)
    if form.is_valid():
        services.grant_extension(
            prompt=access.prompt,
            student=form.cleaned_data["student"],
            due_at=form.cleaned_data["due_at"],
            cutoff_at=form.cleaned_data["cutoff_at"],
            granted_by=request.user,
        )
        messages.success(request, f"Extension saved for {form.cleaned_data['student']}.")
        return redirect("discussions:extensions", course=course, pk=pk)
    return render(
        request,
        "discussions/extensions.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "form": form,
            "granted": prompt_selectors.extensions_of(access.prompt),
        },
        status=status_of(form),
    )
