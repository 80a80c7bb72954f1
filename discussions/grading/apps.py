from django.apps import AppConfig


class GradingConfig(AppConfig):
    """Grades, rubrics, release and the gradebook: an app of its own inside discussions
    (it has many models and views, and depends on discussions, never the reverse)."""

    name = "discussions.grading"
    label = "grading"
    verbose_name = "Grading"
