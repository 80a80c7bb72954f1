"""Background work of grading: telling students their grades are out, applying imports."""

from django_tasks import task

from discussions.grading import imports, notifications
from discussions.tasks import retry_later


@task()
def notify_released_grades(prompt_id, attempt=1):
    """Mail each student whose grade in the prompt is now visible and who was not told yet;
    a release undone or moved later in the meantime sends nothing; refused mail is tried
    again later, a few times."""
    if notifications.grades_released(prompt_id):
        retry_later(notify_released_grades, attempt, prompt_id)


@task()
def apply_score_import(job_id):
    """Apply a confirmed gradebook import (all of it or none)."""
    imports.apply_import(job_id)
