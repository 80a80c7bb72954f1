"""What a launch opens, and what deep linking places in the platform's course (LTI Deep
Linking 2.0: ``ltiResourceLink`` items, with a line item for a graded prompt so that the
platform's gradebook gets a column of the prompt's points)."""

from dataclasses import dataclass

from django.urls import reverse
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from destalin.lti import launches
from destalin.lti.models import LtiUser
from destalin.lti.services import CLAIM

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


@dataclass(frozen=True)
class Item:
    """Something a course has that can be placed in the platform: ``key`` is what the
    picker's form sends (``prompt-12``), ``points`` the prompt's points or None."""

    key: str
    kind: str
    title: str
    custom: dict
    points: object = None


def items_of(course):
    """The course's published prompts and assigned readings, by form key, in course order."""
    items = {}
    for prompt in course.prompts.filter(is_published=True).order_by("position", "pk"):
        key = f"prompt-{prompt.pk}"
        points = prompt.points_possible if prompt.points_possible else None
        # A reading's margin is placed as Perusall's are: an annotation assignment.
        kind = "Annotation assignment" if prompt.is_annotation else "Discussion"
        items[key] = Item(key, kind, prompt.title, {"destalin_prompt": str(prompt.pk)}, points)
    for assignment in course.assignments.select_related("reading"):
        key = f"reading-{assignment.reading_id}"
        custom = {"destalin_reading": str(assignment.reading_id)}
        items[key] = Item(key, "Reading", assignment.reading.title, custom)
    return items


def destination(context, link, body):
    """Where a resource launch lands: the link's prompt (an annotation assignment's
    reading), the reading its custom parameters name (when the course assigns it), or the
    course."""
    course = context.course
    if link is not None and link.prompt_id and link.prompt.course_id == course.pk:
        prompt = link.prompt
        if prompt.is_annotation:
            # An annotation assignment is done on its reading, in the margin.
            assignment = course.assignments.filter(reading_id=prompt.reading_id).first()
            if assignment is not None:
                return assignment.get_absolute_url()
        return prompt.get_absolute_url()
    reading_id = str((body.get(CLAIM + "custom") or {}).get("destalin_reading") or "")
    if reading_id.isdigit():
        assignment = course.assignments.filter(reading_id=int(reading_id)).first()
        if assignment is not None:
            return assignment.get_absolute_url()
    return course.get_absolute_url()


def return_url(launch):
    return launch.get_launch_data()[DL_SETTINGS]["deep_link_return_url"]


def check_launch(launch, *, user, context):
    """Refuse to answer a deep-linking request that is not this user's, or not from this
    course's context (a picker reached with someone else's launch, or a stale one)."""
    body = launch.get_launch_data()
    if body.get(CLAIM + "message_type") != "LtiDeepLinkingRequest":
        raise launches.LaunchError(
            "This page answers deep-linking requests only.", "not a DL launch"
        )
    context_id = str((body.get(CLAIM + "context") or {}).get("id") or "")
    is_users = LtiUser.objects.filter(sub=body.get("sub"), user=user, tool=context.tool).exists()
    if context_id != context.context_id or not is_users:
        raise launches.LaunchError(
            "This request belongs to another course or person. Open the tool again from your "
            "learning platform.",
            f"DL launch of context {context_id!r} sub {body.get('sub')!r} used by user {user.pk}",
        )


def response_jwt(request, launch, items):
    """The signed deep-linking response placing ``items`` (``Item``) in the platform."""
    target = request.build_absolute_uri(reverse("lti:launch"))
    resources = []
    for item in items:
        resource = (
            DeepLinkResource().set_url(target).set_title(item.title).set_custom_params(item.custom)
        )
        if item.points is not None:
            resource.set_lineitem(
                LineItem()
                .set_score_maximum(float(item.points))
                .set_label(item.title)
                .set_resource_id(item.key)
            )
        resources.append(resource)
    return launch.get_deep_link().get_response_jwt(resources)
