"""Mail that tells students their grade is out. The mail holds a link, never the score:
the grade stays behind the student's sign-in."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from discussions.grading.models import Grade
from discussions.notifications import unsubscribe_token

log = logging.getLogger(__name__)


def grades_released(prompt_id):
    now = timezone.now()
    with transaction.atomic():
        grades = list(
            Grade.objects.released(now)
            .select_for_update(of=("self",))
            .filter(
                prompt_id=prompt_id,
                notified_at__isnull=True,
                student__is_active=True,
                student__notify_grades=True,
            )
            .select_related("student", "prompt__course")
        )
        Grade.objects.filter(pk__in=[g.pk for g in grades]).update(notified_at=now)
    for grade in grades:
        _send(grade)


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
