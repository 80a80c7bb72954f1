from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Course-wide pages and work: the course home, search, the reader in its course frame,
    the course navigation, and copying, exporting and archiving a course. The top layer: it
    composes the classroom core, readings, discussions, grading and moderation, and nothing
    imports it but the project's URLs. No models of its own."""

    name = "destalin.courses"
    label = "courses"
    verbose_name = "Course pages"
