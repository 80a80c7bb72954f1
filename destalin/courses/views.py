"""Course-wide pages: the course home (its discussions beside the syllabus) and the course's
search (readings and posts together). They live in the top layer because each shows what
several apps hold; each app's own pages stay in the app."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from destalin import permissions as course_permissions
from destalin.search import clean_query
from destalin.selectors import get_course_access
from discussions import permissions, post_selectors, prompt_selectors
from readings import permissions as reading_permissions
from readings import selectors as reading_selectors


@require_GET
def course_home(request, course):
    """The course: its discussions with the viewer's standing, and the syllabus."""
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
    readings = reading_selectors.search_readings(course=access.course, query=query) if query else []
    posts = (
        post_selectors.search_posts(course=access.course, user=request.user, query=query)
        if query
        else []
    )
    return render(
        request,
        "courses/search.html",
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
