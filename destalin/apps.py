from django.apps import AppConfig


class DestalinConfig(AppConfig):
    name = "destalin"
    verbose_name = "Classroom"
