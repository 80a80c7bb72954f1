"""Background work of grading: telling students their grades are out."""

from django_tasks import task

from discussions.grading import notifications


@task()
def notify_released_grades(prompt_id):
    """Mail each student whose grade in the prompt is now visible and who was not told yet;
    a release undone or moved later in the meantime sends nothing."""
    notifications.grades_released(prompt_id)
