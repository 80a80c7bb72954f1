"""Background work with platforms: released grades sent as scores, rosters synced. Each run
reads what is due from the database, so a missed or failed run is caught up by the next."""

import logging
from datetime import timedelta

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend, task
from pylti1p3.exception import LtiException

from destalin.lti import platform_services, registration, services
from destalin.lti.models import (
    LtiContext,
    LtiUser,
    RegistrationLink,
    RegistrationStatus,
    ScoreSend,
    ScoreSendStatus,
)
from destalin.lti.selectors import scores_to_send
from destalin.tasks import retry_later
from discussions import audit
from discussions.models import AuditAction

log = logging.getLogger("destalin.lti")


@task()
def send_scores(context_id, attempt=1):
    """Send every released grade of the context's linked prompts that the platform does not
    have yet (new, changed since, or failed before); failures are retried later."""
    context = LtiContext.objects.select_related("tool", "course").filter(pk=context_id).first()
    if context is None:
        return
    failed = 0
    for link, grade in scores_to_send(context):
        identity = LtiUser.objects.filter(tool=context.tool, user=grade.student_id).first()
        if identity is None:
            continue
        try:
            url = platform_services.send_score(link, grade, identity.sub)
        except (LtiException, requests.RequestException) as error:
            failed += 1
            _record(link, grade, ScoreSendStatus.FAILED, str(error)[:2000])
            log.warning("LTI score for grade %s not sent: %s", grade.pk, error)
            continue
        if url != link.lineitem_url:
            link.lineitem_url = url
            link.save(update_fields=["lineitem_url"])
        _record(link, grade, ScoreSendStatus.SENT, "")
    if failed:
        retry_later(send_scores, attempt, context_id)


def _record(link, grade, status, error):
    """The send's outcome on its ScoreSend row and in the course's audit log (no actor: the
    worker sent it), together."""
    with transaction.atomic():
        send, _ = ScoreSend.objects.select_for_update().get_or_create(
            grade=grade, link=link, defaults={"grade_version": grade.version}
        )
        send.grade_version, send.status, send.error = grade.version, status, error
        send.attempts += 1
        send.updated_at = timezone.now()
        send.save()
        sent = status == ScoreSendStatus.SENT
        audit.record(
            course=link.context.course,
            actor=None,
            action=AuditAction.SCORE_SENT if sent else AuditAction.SCORE_FAILED,
            prompt=grade.prompt,
            student=grade.student,
            reason="" if sent else error[:500],
            after=f"{platform_services.described(grade)} to {link.lineitem_url or link}",
        )


@task()
def sync_roster(context_id):
    """Make the course's roster the platform's (NRPS)."""
    context = LtiContext.objects.select_related("tool", "course").filter(pk=context_id).first()
    if context is None or not context.memberships_url:
        return None
    members = platform_services.roster(context)
    return services.apply_roster(context=context, members=members)


# Seconds between a course's syncs with its platform (roster, then scores).
SYNC_EVERY = 15 * 60


def schedule_sync(context_id, now=None):
    """Make sure the worker syncs the course with its platform within SYNC_EVERY seconds: a
    sync already due or planned is left alone, so launches and syncs never pile up. Does
    nothing on a queue that cannot wait (tasks run inline), where ``lti_sync`` from cron
    does the same."""
    if not default_task_backend.supports_defer:
        return False
    now = now or timezone.now()
    due = now + timedelta(seconds=SYNC_EVERY)
    planned = (
        LtiContext.objects.filter(pk=context_id)
        .filter(Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
        .update(next_sync_at=due)
    )
    if planned:
        sync_course.using(run_after=due).enqueue(context_id)
    return bool(planned)


@task()
def sync_course(context_id):
    """The course's scheduled sync: its roster, then its scores; then the next one."""
    LtiContext.objects.filter(pk=context_id).update(next_sync_at=None)
    try:
        sync_roster.call(context_id)
    except (LtiException, requests.RequestException) as error:
        log.warning("LTI roster sync of context %s failed: %s", context_id, error)
    send_scores.call(context_id)
    schedule_sync(context_id)


@task()
def register_platform(link_id):
    """Complete the dynamic registration the link was opened for; its outcome is on the
    link (the page the platform shows polls it)."""
    link = RegistrationLink.objects.filter(pk=link_id, status=RegistrationStatus.QUEUED).first()
    if link is None:
        return
    try:
        tool = registration.SiteRegistration(link).register()
    except (LtiException, requests.RequestException, AssertionError, KeyError, ValueError) as error:
        log.warning("LTI dynamic registration %s failed: %s", link.pk, error)
        link.status, link.error = RegistrationStatus.FAILED, str(error)[:2000]
        link.save(update_fields=["status", "error"])
        return
    link.status, link.tool, link.error = RegistrationStatus.DONE, tool, ""
    link.save(update_fields=["status", "tool", "error"])
