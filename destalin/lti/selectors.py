"""Reads for LTI pages and tasks."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from destalin.lti.models import LtiContext, LtiLink, LtiUser, ScoreSend, ScoreSendStatus
from discussions.grading.models import Grade


def scores_to_send(context, now=None):
    """``(link, grade)`` pairs whose score the platform should have and does not: released
    grades of the context's linked graded prompts, of students the platform knows, never
    sent, changed since sending (a newer version), or failed. Unreleased grades never
    appear."""
    links = LtiLink.objects.filter(context=context, prompt__isnull=False).select_related(
        "prompt", "context__tool", "context__course"
    )
    pairs = []
    for link in links:
        if not link.prompt.points_possible:
            continue
        settled = ScoreSend.objects.filter(
            grade=OuterRef("pk"),
            link=link,
            grade_version=OuterRef("version"),
            status=ScoreSendStatus.SENT,
        )
        grades = (
            Grade.objects.released(now)
            .filter(prompt=link.prompt, student__lti_identities__tool=context.tool)
            .exclude(Exists(settled))
            .select_related("prompt", "student")
            .distinct()
        )
        pairs.extend((link, grade) for grade in grades)
    return pairs


def link_statuses(context):
    """Each link placed in the platform with its prompt and how many of its released grades
    the platform has (``sent``), is waiting for (``waiting``) or refused (``failed``)."""
    waiting = {}
    for link, _grade in scores_to_send(context):
        waiting[link.pk] = waiting.get(link.pk, 0) + 1
    counts = {}
    for link_id, status in ScoreSend.objects.filter(link__context=context).values_list(
        "link_id", "status"
    ):
        counts.setdefault(link_id, {}).setdefault(status, 0)
        counts[link_id][status] += 1
    links = LtiLink.objects.filter(context=context).select_related("prompt").order_by("title")
    return [
        {
            "link": link,
            "sent": counts.get(link.pk, {}).get(ScoreSendStatus.SENT, 0),
            "failed": counts.get(link.pk, {}).get(ScoreSendStatus.FAILED, 0),
            "waiting": waiting.get(link.pk, 0),
        }
        for link in links
    ]


@dataclass(frozen=True)
class ScoreState:
    """Where one student's score on one linked prompt stands with the platform: ``status``
    is a ``ScoreSendStatus`` value, or ``"unknown"`` for a student the platform has not sent
    (never launched, not in a synced roster), whose score cannot be sent; ``error`` is the
    platform's answer to a failed send."""

    status: str
    error: str = ""


UNKNOWN = "unknown"


def score_states(course, student_ids, now=None):
    """``{(prompt_id, student_id): ScoreState}`` for the released grades of the given
    students on the course's prompts placed in its platform as graded items; empty for a
    course not linked to a platform (one query then, four otherwise). A grade changed since
    its last send is waiting again, as ``scores_to_send`` sends it again."""
    links = list(
        LtiLink.objects.filter(
            context__course=course, prompt__isnull=False, prompt__points_possible__gt=0
        ).values_list("pk", "prompt_id", "context__tool_id")
    )
    if not links:
        return {}
    link_of = {prompt_id: pk for pk, prompt_id, _tool in links}
    grades = list(
        Grade.objects.released(now)
        .filter(prompt_id__in=link_of, student_id__in=student_ids)
        .values_list("pk", "prompt_id", "student_id", "version")
    )
    sends = {
        (grade_id, link_id): (status, version, error)
        for grade_id, link_id, status, version, error in ScoreSend.objects.filter(
            grade_id__in=[pk for pk, *_ in grades], link_id__in=link_of.values()
        ).values_list("grade_id", "link_id", "status", "grade_version", "error")
    }
    known = set(
        LtiUser.objects.filter(
            tool_id__in={tool for *_, tool in links}, user_id__in=student_ids
        ).values_list("user_id", flat=True)
    )
    states = {}
    for pk, prompt_id, student_id, version in grades:
        status, sent_version, error = sends.get((pk, link_of[prompt_id]), (None, None, ""))
        if status == ScoreSendStatus.FAILED:
            state = ScoreState(ScoreSendStatus.FAILED, error)
        elif status == ScoreSendStatus.SENT and sent_version == version:
            state = ScoreState(ScoreSendStatus.SENT)
        elif student_id in known:
            state = ScoreState(ScoreSendStatus.WAITING)
        else:
            state = ScoreState(UNKNOWN)
        states[(prompt_id, student_id)] = state
    return states


def is_linked(course):
    """Whether the course is a platform's course (one query)."""
    return LtiContext.objects.filter(course=course).exists()
