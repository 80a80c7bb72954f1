"""The course's tabs and a prompt's tabs, which ``templates/courses/layout.html`` shows on
every course page. They live in the top layer, the one package that may know every app's
pages: the layout loads them, and the templates of the apps below (discussions, readings,
grading, moderation) only fill the layout's blocks and name nothing above their own app."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from destalin import permissions as course_permissions
from destalin.lti import permissions as lti_permissions
from destalin.lti import selectors as lti_selectors
from destalin.models import Membership
from destalin.permissions import STAFF
from discussions import permissions as discussion_permissions
from discussions.grading import permissions as grading_permissions
from discussions.moderation.selectors import review_count

register = template.Library()


@dataclass(frozen=True)
class Link:
    """One tab; ``count`` is a number to show beside it (0 shows none)."""

    label: str
    url: str
    is_current: bool
    count: int = 0


# Route name -> (label, the rule on the viewer's role that offers the tab), in display order;
# None: every member's.
COURSE_TABS = [
    ("course-detail", "Overview", None),
    ("course-search", "Search", None),
    ("grading:my-grades", "Your grades", grading_permissions.has_own_grades),
    ("grading:gradebook", "Gradebook", grading_permissions.can_grade),
    ("grading:course-analytics", "Analytics", grading_permissions.can_grade),
    ("discussions:review-queue", "Review", discussion_permissions.can_moderate),
    ("course-members", "People", course_permissions.can_see_roster),
    ("course-settings", "Settings", course_permissions.can_manage_course),
    ("lti:roster-sync", "Learning platform", lti_permissions.can_sync_roster),
]
# Tabs offered only when the course has what they show: route name -> the check (a query).
ONLY_WHEN = {"lti:roster-sync": lti_selectors.is_linked}

# A prompt's pages for those who teach it. "Grade" is offered for graded prompts only.
_manages = discussion_permissions.can_manage_prompts
PROMPT_TABS = [
    ("discussions:prompt", "Discussion", _manages),
    ("discussions:prompt-progress", "Students' progress", _manages),
    ("discussions:extensions", "Extensions", _manages),
    ("grading:grader", "Grade", grading_permissions.can_grade),
    ("grading:prompt-analytics", "Analytics", grading_permissions.can_grade),
]


def viewer_role(context):
    """The viewer's role in the page's course: the ``viewer_role`` the view passed, else one
    query; None for a non-member."""
    if "viewer_role" in context:
        return context["viewer_role"]
    user, course = context["request"].user, context["course"]
    role = (
        Membership.objects.current()
        .filter(course=course, user=user)
        .values_list("role", flat=True)
        .first()
    )
    context["viewer_role"] = role or (STAFF if user.is_staff else None)
    return context["viewer_role"]


@register.simple_tag(takes_context=True)
def course_tabs(context):
    """The course's tabs (list of ``Link``) that the viewer's role is offered; the number
    waiting for review costs one query, for moderators only, and whether the course is in a
    learning platform one more, for its instructors only."""
    role = viewer_role(context)
    if role is None:
        return []
    course, here = context["course"], context["request"].resolver_match.view_name
    return [
        Link(
            label=label,
            url=reverse(name, kwargs={"course": course.slug}),
            is_current=here == name,
            count=review_count(course) if name == "discussions:review-queue" else 0,
        )
        for name, label, offered in COURSE_TABS
        if (offered is None or offered(role)) and (name not in ONLY_WHEN or ONLY_WHEN[name](course))
    ]


@register.simple_tag(takes_context=True)
def prompt_tabs(context):
    """The tabs of the page's ``prompt`` (list of ``Link``) for those who teach it; empty for
    students, and on pages without a saved prompt. No query."""
    prompt = context.get("prompt")
    if prompt is None or prompt.pk is None:
        return []
    role = viewer_role(context)
    here = context["request"].resolver_match.view_name
    kwargs = {"course": context["course"].slug, "pk": prompt.pk}
    return [
        Link(label=label, url=reverse(name, kwargs=kwargs), is_current=here == name)
        for name, label, offered in PROMPT_TABS
        if offered(role) and (name != "grading:grader" or prompt.is_graded)
    ]
