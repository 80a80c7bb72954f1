"""Calls to a platform's LTI Advantage services from the task worker: scores to its
gradebook (Assignment and Grade Services 2.0) and its roster (Names and Role Provisioning
Services 2.0), authorised by the client-credentials grant signed with the tool's key (IMS
Security Framework 4.1). pylti1p3 makes the calls; this module says what to send."""

from datetime import UTC, datetime

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.django.service_connector import DjangoServiceConnector
from pylti1p3.grade import Grade as Score
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService

from destalin.lti import launches
from discussions.grading.models import GradeStatus
from discussions.grading.scoring import show


def _connector(tool):
    registration = launches.tool_conf().find_registration_by_params(tool.issuer, tool.client_id)
    return DjangoServiceConnector(registration, requests_session=launches._TimedSession())


def _ags(context):
    data = {"scope": context.ags_scopes, "lineitems": context.lineitems_url}
    return AssignmentsGradesService(_connector(context.tool), data)


def lineitem_url(link, prompt):
    """The platform's line item for the prompt on this link: the one the launch named, or
    the one found by its resource id (``prompt-12``), or a new one of the prompt's points."""
    if link.lineitem_url:
        return link.lineitem_url
    wanted = (
        LineItem()
        .set_label(prompt.title)
        .set_score_maximum(float(prompt.points_possible or 0))
        .set_resource_id(f"prompt-{prompt.pk}")
        .set_resource_link_id(link.resource_link_id)
    )
    found = _ags(link.context).find_or_create_lineitem(wanted, find_by="resource_id")
    return found.get_id()


def score_of(grade, sub, now=None):
    """The AGS score for a released grade (AGS 2.0, Score publish service): a graded score
    out of the prompt's points; a missing grade as 0 (as the gradebook counts it); an excused
    one with no score and ``NotReady``, which Canvas and Moodle show as no grade."""
    points = float(grade.prompt.points_possible or 0)
    score = (
        Score()
        .set_user_id(sub)
        .set_timestamp(datetime.now(UTC) if now is None else now)
        .set_activity_progress("Completed")
    )
    if grade.status == GradeStatus.EXCUSED:
        return score.set_grading_progress("NotReady")
    given = 0.0 if grade.status == GradeStatus.MISSING else float(grade.score or 0)
    return (
        score.set_score_given(given).set_score_maximum(points).set_grading_progress("FullyGraded")
    )


def described(grade):
    """What ``score_of`` sends, in words for the audit log: "8.5 of 10", "0 of 10
    (missing)", "no score (excused)"."""
    points = show(grade.prompt.points_possible or 0)
    if grade.status == GradeStatus.EXCUSED:
        return "no score (excused)"
    if grade.status == GradeStatus.MISSING:
        return f"0 of {points} (missing)"
    return f"{show(grade.score or 0)} of {points}"


def send_score(link, grade, sub):
    """Send one grade's score to the platform; returns the line item URL used. Raises
    pylti1p3's LtiException or requests' errors when the platform refuses or is away."""
    url = lineitem_url(link, grade.prompt)
    _ags(link.context).put_grade(score_of(grade, sub), LineItem({"id": url}))
    return url


def roster(context):
    """The platform's members of the context (NRPS member objects)."""
    data = {"context_memberships_url": context.memberships_url, "service_versions": ["2.0"]}
    return NamesRolesProvisioningService(_connector(context.tool), data).get_members()
