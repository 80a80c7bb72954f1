"""The class list ("People"): who is in the course with which role, and the instructors'
changes to it (role, removal, restoring), each recorded in the audit log by the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from destalin import permissions, selectors
from destalin.courses import services
from destalin.courses.forms import RoleForm
from destalin.models import Membership, Role


@require_GET
def course_members(request, course):
    """The class list with roles; instructors manage it from here."""
    access = selectors.get_course_access(request.user, course)
    permissions.check_see_roster(access.role)
    return _members_page(request, access)


def _members_page(request, access, status=200):
    context = {
        "course": access.course,
        "viewer_role": access.role,
        "members": selectors.roster(access.course),
        "can_manage": permissions.can_manage_course(access.role),
        "can_see_roster": permissions.can_see_roster(access.role),
        "roles": Role.choices,
    }
    return render(request, "destalin/course_members.html", context, status=status)


@require_POST
def member_role(request, course, pk):
    """Promote a student to TA, demote, or make someone an instructor."""
    return _change_member(request, course, pk, _set_role)


@require_POST
def member_remove(request, course, pk):
    """Remove a member; their work stays in the course."""
    return _change_member(request, course, pk, _remove)


@require_POST
def member_restore(request, course, pk):
    """Bring back a removed member."""
    return _change_member(request, course, pk, _restore)


def _change_member(request, course, pk, action):
    access = selectors.get_course_access(request.user, course)
    permissions.check_manage_course(access.role)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "course"), pk=pk, course=access.course
    )
    try:
        message = action(request, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _members_page(request, access, status=400)
    messages.success(request, message)
    return redirect("course-members", course=access.course.slug)


def _set_role(request, membership):
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise ValidationError("Choose a role: instructor, TA or student.")
    services.set_member_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    return f"{membership.user} is now {membership.get_role_display()}."


def _remove(request, membership):
    services.remove_member(membership=membership, by=request.user)
    return (
        f"{membership.user} was removed from the course. Their work stays, and Restore beside "
        "their name brings them back."
    )


def _restore(request, membership):
    services.restore_member(membership=membership, by=request.user)
    return f"{membership.user} is back in the course."
