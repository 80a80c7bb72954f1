"""Pages of the classroom core: dashboard, courses, joining, profile. (The class list, whose
changes are audited, is in ``destalin.courses.people``.)"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from destalin import permissions, selectors, services
from destalin.adapter import PENDING_JOIN_CODE
from destalin.forms import (
    CourseForm,
    JoinForm,
    ProfileForm,
    posted,
    status_of,
)
from destalin.models import is_join_code


@login_not_required
@require_GET
def dashboard(request):
    """What the product is, for visitors; one's courses and roles, for signed-in users."""
    if not request.user.is_authenticated:
        return render(request, "destalin/landing.html")
    return render(
        request,
        "destalin/dashboard.html",
        {
            "memberships": selectors.courses_for_dashboard(request.user),
            "join_form": JoinForm(),
            "can_create_course": permissions.can_create_course(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def course_create(request):
    """Create a course; its creator becomes the instructor."""
    permissions.check_create_course(request.user)
    form = CourseForm(posted(request))
    if form.is_valid():
        try:
            course = services.create_course(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{course.code} is ready. Share the join code with students.")
            return redirect(course)
    return render(request, "destalin/course_form.html", {"form": form}, status=status_of(form))


@require_POST
def join_code_regenerate(request, course):
    """Replace the join code; the old code and link stop working."""
    access = selectors.get_course_access(request.user, course)
    permissions.check_manage_course(access.role)
    code = services.regenerate_join_code(course=access.course)
    messages.success(request, f"New join code: {code}. The old code no longer works.")
    return redirect("course-members", course=access.course.slug)


@require_http_methods(["GET", "POST"])
def join(request):
    """Join a course as a student by typing its code."""
    form = JoinForm(posted(request))
    if request.method == "POST":
        if _join_limited(request):
            return _too_many_joins(request, form)
        if form.is_valid():
            return _join(request, form, form.cleaned_data["code"])
    return render(request, "destalin/join.html", {"form": form}, status=status_of(form))


@login_not_required
@require_http_methods(["GET", "POST"])
def join_link(request, code):
    """The join link: a confirmation page (GET never changes anything), then joining (POST).
    A visitor who is not signed in is sent to sign in, and the link is kept in their session
    so that signing up, verifying the address and signing in bring them back here
    (``AccountAdapter.get_login_redirect_url``). Nothing about the course is shown to them."""
    if not request.user.is_authenticated:
        if is_join_code(code):
            request.session[PENDING_JOIN_CODE] = code
        return redirect_to_login(request.get_full_path())
    # Here at last, by whichever way: the kept link has done its work.
    request.session.pop(PENDING_JOIN_CODE, None)
    form = JoinForm(posted(request), initial={"code": code})
    # Counted like the form, the page included: it names the course a code belongs to.
    if _join_limited(request):
        return _too_many_joins(request, form)
    if request.method == "POST":
        return _join(request, form, code)
    joinable, member_of = selectors.course_for_join_link(user=request.user, code=code)
    return render(
        request,
        "destalin/join_link.html",
        {"course": joinable, "member_of": member_of, "code": code},
    )


def _join(request, form, code):
    try:
        course, created = services.join_course(user=request.user, code=code)
    except ValidationError as error:
        form.add_error("code" if "code" in form.fields else None, error)
        return render(request, "destalin/join.html", {"form": form}, status=400)
    if created:
        messages.success(request, f"Welcome to {course.code}: {course.title}.")
    else:
        messages.info(request, f"You are already in {course.code}.")
    return redirect(course)


def _join_limited(request):
    by_user = is_ratelimited(
        request, group="join", key="user", rate=settings.JOIN_RATE_PER_USER, increment=True
    )
    by_address = is_ratelimited(
        request, group="join", key="ip", rate=settings.JOIN_RATE_PER_ADDRESS, increment=True
    )
    return by_user or by_address


def _too_many_joins(request, form):
    message = "Too many attempts to join. Wait a while, then try again."
    if form.is_bound:
        form.add_error(None, message)
    else:
        messages.error(request, message)
    return render(request, "destalin/join.html", {"form": form}, status=429)


@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's display name."""
    form = ProfileForm(posted(request), instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("profile")
    return render(request, "destalin/profile.html", {"form": form}, status=status_of(form))
