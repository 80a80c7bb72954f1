from django.apps import AppConfig


class DestalinConfig(AppConfig):
    name = "destalin"
    verbose_name = "Classroom"

    def ready(self):
        from destalin import checks  # noqa: F401  (registers the deploy checks)
