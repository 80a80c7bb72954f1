"""The grader, rubrics, a prompt's grading policy, release, and a student's grades."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from destalin import times
from destalin.forms import as_id, posted, status_of
from destalin.selectors import get_course_access
from discussions.grading import (
    gradebook_selectors,
    grader_selectors,
    permissions,
    scoring,
    selectors,
    services,
)
from discussions.grading.forms import (
    CriteriaFormSet,
    GradeForm,
    PolicyForm,
    ReleaseForm,
    RubricForm,
    criteria_initial,
    grade_initial,
)
from discussions.grading.models import Rubric
from discussions.selectors import get_prompt_access


def teacher_prompt(request, course, pk):
    """The prompt for a teacher's page about it: 403 unless a teacher."""
    access = get_prompt_access(request.user, course, pk)
    permissions.check_grade(access.role)
    return access


def graded_prompt(request, course, pk):
    """The prompt for a teacher's grading page: 404 unless graded, 403 unless a teacher."""
    access = teacher_prompt(request, course, pk)
    if not access.prompt.is_graded:
        raise Http404("This discussion is not graded: give it points possible first.")
    return access


def _sort(request):
    sort = request.GET.get("sort", "name")
    return sort if sort in grader_selectors.SORTS else "name"


@require_GET
def grader(request, course, pk):
    """Every student of a graded prompt: responded, late, replies, words, requirements,
    score; each opens the student's work beside the grading form."""
    access = graded_prompt(request, course, pk)
    return render(request, "grading/grader.html", _roster_context(access, _sort(request)))


@require_GET
def grader_find(request, course, pk):
    """The student picker's answer: the chosen student's grading page, or the roster again
    with a message (400) when the choice is not a student of the course."""
    access = graded_prompt(request, course, pk)
    sort = _sort(request)
    context = _roster_context(access, sort)
    chosen = as_id(request.GET.get("student", ""))
    row = next((r for r in context["rows"] if r.student.pk == chosen), None)
    if row is not None:
        return redirect(_student_url(access, row.student, sort))
    context["picker_error"] = "Choose a student of this course from the list."
    return render(request, "grading/grader.html", context, status=400)


def _roster_context(access, sort):
    policy = selectors.policy_of(access.prompt)
    rows = grader_selectors.grader_roster(prompt=access.prompt, sort=sort)
    return {
        "course": access.course,
        "prompt": access.prompt,
        "rows": rows,
        "picker": grader_selectors.picker_options(rows),
        "sort": sort,
        "sorts": [
            ("name", "Name"),
            ("status", "Status"),
            ("submitted", "Submitted"),
            ("score", "Score"),
        ],
        "policy": policy,
        "release_mode": selectors.release_mode_of(access.prompt, policy),
        "can_manage": permissions.can_manage_grading(access.role),
        "release_form": ReleaseForm(course=access.course),
        "off_scale": len(selectors.grades_off_scale(access.prompt)),
    }


@require_http_methods(["GET", "POST"])
def grade_student(request, course, pk, student):
    """One student's posts in context, their requirements and the grading form; previous and
    next student without going back to the list."""
    access = graded_prompt(request, course, pk)
    prompt, sort = access.prompt, _sort(request)
    rows = grader_selectors.grader_roster(prompt=prompt, sort=sort)
    row = next((r for r in rows if r.student.pk == student), None)
    if row is None:
        raise Http404("No such student in this course.")
    policy = selectors.policy_of(prompt)
    rubric = selectors.rubric_with_levels(policy.rubric_id)
    initial = grade_initial(prompt=prompt, row=row, rubric=rubric)
    form = GradeForm(posted(request), prompt=prompt, rubric=rubric, initial=initial)
    conflict = None
    if request.method == "POST":
        permissions.check_course_writable(access.course)
    if form.is_valid():
        try:
            services.save_grade(
                prompt=prompt,
                student=row.student,
                grader=request.user,
                status=form.cleaned_data["status"],
                entered=form.cleaned_data["score"],
                levels=form.cleaned_data["levels"],
                feedback=form.cleaned_data["feedback"],
                expected_version=form.cleaned_data["version"],
            )
        except services.GradeConflict as error:
            conflict = error.grade
            form = _conflicted(request, form, conflict, prompt, rubric)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Grade saved for {row.student.display_name}.")
            following = grader_selectors.neighbours(rows, student)[1]
            target = following if "save_next" in request.POST and following else row.student
            return redirect(_student_url(access, target, sort))
    previous, following = grader_selectors.neighbours(rows, student)
    page = grader_selectors.grading_page(prompt=prompt, row=row, policy=policy, shown=conflict)
    scale = scoring.rubric_scale(rubric, prompt.points_possible)
    saved = page["grade"]
    return render(
        request,
        "grading/grade_student.html",
        {
            **page,
            "course": access.course,
            "prompt": prompt,
            "row": row,
            "conflict": conflict,
            "form": form,
            "previous_url": previous and _student_url(access, previous, sort),
            "next_url": following and _student_url(access, following, sort),
            "sort": sort,
            "picker": grader_selectors.picker_options(rows),
            "shortcuts": request.user.keyboard_shortcuts,
            "position": rows.index(row) + 1,
            "total": len(rows),
            "rubric_scale": scale,
            "rubric_score": scale.score(saved.rubric_total)
            if scale and saved and saved.rubric_total is not None
            else None,
        },
        status=409 if conflict else status_of(form),
    )


def _conflicted(request, form, grade, prompt, rubric):
    """The grader's form as they filled it, now against the version saved meanwhile, so that
    saving again (after checking) goes through."""
    data = request.POST.copy()
    data["version"] = str(grade.version if grade else 0)
    fresh = GradeForm(data, prompt=prompt, rubric=rubric)
    fresh.is_valid()
    fresh.add_error(
        None,
        "Someone else saved a grade for this student while you were grading. Their grade is "
        "shown below; yours was not saved. Check it, then save again.",
    )
    return fresh


def _student_url(access, student, sort):
    url = reverse(
        "grading:grade-student",
        kwargs={"course": access.course.slug, "pk": access.prompt.pk, "student": student.pk},
    )
    return f"{url}?sort={sort}" if sort != "name" else url


@require_http_methods(["GET", "POST"])
def policy(request, course, pk):
    """A prompt's rubric, late policy and release mode."""
    access = get_prompt_access(request.user, course, pk)
    permissions.check_manage_grading(access.role)
    if request.method == "POST":
        permissions.check_course_writable(access.course)
    form = PolicyForm(
        posted(request), instance=selectors.policy_of(access.prompt), course=access.course
    )
    if form.is_valid():
        services.save_policy(policy=form.save(commit=False), by=request.user)
        messages.success(request, "Grading policy saved.")
        return (
            redirect("grading:grader", course=course, pk=pk)
            if access.prompt.is_graded
            else (redirect(access.prompt))
        )
    return render(
        request,
        "grading/policy.html",
        {"course": access.course, "prompt": access.prompt, "form": form},
        status=status_of(form),
    )


@require_POST
def release(request, course, pk):
    """Release the prompt's grades to everyone or to those graded, now or later."""
    access = graded_prompt(request, course, pk)
    permissions.check_manage_grading(access.role)
    permissions.check_course_writable(access.course)
    form = ReleaseForm(request.POST, course=access.course)
    if not form.is_valid():
        return render(
            request,
            "grading/release.html",
            {"course": access.course, "prompt": access.prompt, "form": form},
            status=400,
        )
    at = form.cleaned_data["at"]
    services.release_grades(
        prompt=access.prompt,
        by=request.user,
        everyone=form.cleaned_data["scope"] == "everyone",
        at=at,
        notify=form.cleaned_data["notify"],
    )
    when = f"from {times.show(at, 'deadline', course=access.course)}" if at else "now"
    messages.success(request, f"Grades are released {when}.")
    return redirect("grading:grader", course=course, pk=pk)


@require_POST
def hide(request, course, pk):
    """Undo a release: hide the prompt's grades from students again."""
    access = graded_prompt(request, course, pk)
    permissions.check_manage_grading(access.role)
    permissions.check_course_writable(access.course)
    services.hide_grades(prompt=access.prompt, by=request.user)
    messages.success(request, "Grades are hidden from students again.")
    return redirect("grading:grader", course=course, pk=pk)


@require_http_methods(["GET", "POST"])
def rescale(request, course, pk):
    """Grades chosen with a rubric on an older scale (before rubrics were scaled, or before
    the prompt's points changed): each student's score now and on today's scale, and the
    instructor's choice to recompute them."""
    access = graded_prompt(request, course, pk)
    permissions.check_manage_grading(access.role)
    if request.method == "POST":
        permissions.check_course_writable(access.course)
        changed = services.rescale_rubric_grades(prompt=access.prompt, by=request.user)
        n = len(changed)
        messages.success(request, f"{n} grade{'s' * (n != 1)} recomputed on the rubric's scale.")
        return redirect("grading:grader", course=course, pk=pk)
    return render(
        request,
        "grading/rescale.html",
        {
            "course": access.course,
            "prompt": access.prompt,
            "off_scale": selectors.grades_off_scale(access.prompt),
        },
    )


@require_GET
def my_grades(request, course):
    """A student's grades in the course: score, rubric and feedback once released."""
    access = get_course_access(request.user, course)
    permissions.check_has_own_grades(access.role)
    grades = selectors.own_grades(course=access.course, student=request.user)
    return render(
        request,
        "grading/my_grades.html",
        {
            "course": access.course,
            "grades": grades,
            "total": gradebook_selectors.own_total(grades, student=request.user),
        },
    )


# Rubrics


@require_GET
def rubrics(request, course):
    """The course's rubrics, reusable across its prompts."""
    access = get_course_access(request.user, course)
    permissions.check_grade(access.role)
    return render(
        request,
        "grading/rubrics.html",
        {
            "course": access.course,
            "rubrics": Rubric.objects.filter(course=access.course).prefetch_related(
                "criteria__levels", "prompts__prompt"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def rubric_edit(request, course, pk=None):
    """Build a rubric: criteria, each with levels and points."""
    access = get_course_access(request.user, course)
    permissions.check_grade(access.role)
    if request.method == "POST":
        permissions.check_course_writable(access.course)
    rubric = (
        get_object_or_404(Rubric, pk=pk, course=access.course)
        if pk
        else Rubric(course=access.course)
    )
    form = RubricForm(posted(request), instance=rubric)
    criteria = CriteriaFormSet(
        posted(request), initial=criteria_initial(rubric) if rubric.pk else None, prefix="criteria"
    )
    if form.is_valid() and criteria.is_valid():
        try:
            services.save_rubric(
                rubric=form.save(commit=False),
                criteria=[
                    (
                        f.cleaned_data["title"],
                        f.cleaned_data["description"],
                        f.cleaned_data["levels"],
                    )
                    for f in criteria
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Rubric “{rubric.title}” saved.")
            return redirect("grading:rubrics", course=course)
    bound_with_errors = request.method == "POST"
    return render(
        request,
        "grading/rubric_form.html",
        {"course": access.course, "form": form, "criteria": criteria, "rubric": rubric},
        status=400 if bound_with_errors else 200,
    )
