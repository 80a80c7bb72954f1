"""Course-wide pages: the course home (its discussions beside the syllabus), the course's
search (readings and posts together) and its settings (recorded in the discussions' audit
log). They live in the top layer because each shows or writes what several apps hold; each
app's own pages stay in the app."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from destalin import permissions as course_permissions
from destalin.courses import services
from destalin.forms import CourseSettingsForm, posted, status_of
from destalin.search import Results, clean_query
from destalin.selectors import get_course_access
from discussions import permissions, post_selectors, prompt_selectors
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors


@require_GET
def course_home(request, course):
    """The course: its discussions with the viewer's participation, and the syllabus."""
    access = get_course_access(request.user, course)
    teaching = permissions.can_manage_prompts(access.role)
    track = reading_permissions.can_track_progress(access.role) and not teaching
    return render(
        request,
        "courses/course_home.html",
        {
            "course": access.course,
            "role": access.role,
            "prompts": prompt_selectors.prompts_for_course(
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
            "can_add_reading": reading_permissions.can_add_reading(access.role, access.course),
            "can_manage_prompts": teaching,
            "viewer_role": access.role,
        },
    )


@require_GET
def search(request, course):
    """One search box for the course: its readings and the posts the viewer may read. Any
    input is a query: it is cleaned, never refused."""
    access = get_course_access(request.user, course)
    query = clean_query(request.GET.get("q", ""))
    readings = posts = Results(hits=[])
    if query:
        readings = reading_selectors.search_readings(course=access.course, query=query)
        posts = post_selectors.search_posts(course=access.course, user=request.user, query=query)
    return render(
        request,
        "courses/search.html",
        {
            "course": access.course,
            "query": query,
            "reading_hits": readings.hits,
            "more_readings": readings.more,
            "post_hits": posts.hits,
            "more_posts": posts.more,
            "can_manage": course_permissions.can_manage_course(access.role),
            "can_see_roster": course_permissions.can_see_roster(access.role),
            "viewer_role": access.role,
        },
    )


@require_http_methods(["GET", "POST"])
def course_settings(request, course):
    """Edit the course, open or close joining, archive it, say what TAs may do."""
    access = get_course_access(request.user, course)
    course_permissions.check_manage_course(access.role)
    form = CourseSettingsForm(posted(request), instance=access.course)
    if form.is_valid():
        services.save_course_settings(
            course=form.save(commit=False), by=request.user, fields=list(form.fields)
        )
        messages.success(request, "Course settings saved.")
        return redirect(access.course)
    return render(
        request,
        "destalin/course_settings.html",
        {"course": access.course, "viewer_role": access.role, "form": form, "can_manage": True},
        status=status_of(form),
    )
