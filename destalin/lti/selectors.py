"""Reads for LTI pages and tasks."""

from django.db.models import Exists, OuterRef

from destalin.lti.models import LtiLink, ScoreSend, ScoreSendStatus
from discussions.grading.models import Grade


def scores_to_send(context, now=None):
    """``(link, grade)`` pairs whose score the platform should have and does not: released
    grades of the context's linked graded prompts, of students the platform knows, never
    sent, changed since sending (a newer version), or failed. Unreleased grades never
    appear."""
    links = LtiLink.objects.filter(context=context, prompt__isnull=False).select_related(
        "prompt", "context__tool"
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
            .select_related("prompt")
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
