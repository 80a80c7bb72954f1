from django.apps import AppConfig


class LtiConfig(AppConfig):
    """LTI 1.3 Advantage: launches from Canvas, Moodle and other platforms, deep linking,
    grades back to the platform (AGS) and roster sync (NRPS)."""

    name = "destalin.lti"
    label = "lti"
    verbose_name = "LTI"
    default_auto_field = "django.db.models.BigAutoField"
