"""Mail that tells students their grade is out. The mail holds a link, never the score:
the grade stays behind the student's sign-in."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from destalin.tasks import retry_later
from discussions.grading.models import Grade
from discussions.notifications import unsubscribe_token

log = logging.getLogger(__name__)


def grades_released(prompt_id):
    """Tell each student whose grade is visible and who was not told yet; a grade is marked
    told only once its mail left, so a retry reaches exactly those the mail server refused.
    Each grade is claimed in its own short transaction (a grade another worker is mailing is
    skipped), so graders saving other students never wait for the mail server. Returns how
    many failed."""
    now = timezone.now()
    waiting = list(
        Grade.objects.released(now)
        .filter(
            prompt_id=prompt_id,
            notified_at__isnull=True,
            student__is_active=True,
            student__notify_grades=True,
        )
        .values_list("pk", flat=True)
    )
    failed = 0
    for pk in waiting:
        with transaction.atomic():
            grade = (
                Grade.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, notified_at__isnull=True)
                .select_related("student", "prompt__course")
                .first()
            )
            if grade is None:
                continue
            if _send(grade):
                Grade.objects.filter(pk=pk).update(notified_at=now)
            else:
                failed += 1
    return failed


def _send(grade):
    prompt = grade.prompt
    base = settings.SITE_URL.rstrip("/")
    url = base + reverse("grading:my-grades", kwargs={"course": prompt.course.slug})
    unsubscribe = base + reverse(
        "discussions:unsubscribe", kwargs={"token": unsubscribe_token(grade.student, "grades")}
    )
    try:
        send_mail(
            subject=f"[{prompt.course.code}] Your grade for “{prompt.title}” is available",
            message=render_to_string(
                "emails/grade_released.txt",
                {
                    "user": grade.student,
                    "prompt": prompt,
                    "url": url,
                    "unsubscribe_url": unsubscribe,
                },
            ),
            from_email=None,
            recipient_list=[grade.student.email],
        )
    except Exception:
        log.exception("Could not send the grade notification for grade %s", grade.pk)
        return False
    return True


@task()
def notify_released_grades(prompt_id, attempt=1):
    """Mail each student whose grade in the prompt is now visible and who was not told yet;
    a release undone or moved later in the meantime sends nothing; refused mail is tried
    again later, a few times."""
    if grades_released(prompt_id):
        retry_later(notify_released_grades, attempt, prompt_id)
