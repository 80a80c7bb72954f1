from django.apps import AppConfig
from pylti1p3.contrib.django.lti1p3_tool_config.apps import PyLTI1p3ToolConfig


class LtiConfig(AppConfig):
    """LTI 1.3 Advantage: launches from Canvas, Moodle and other platforms, deep linking,
    grades back to the platform (AGS) and roster sync (NRPS)."""

    name = "destalin.lti"
    label = "lti"
    verbose_name = "LTI"
    default_auto_field = "django.db.models.BigAutoField"


class ToolConfigConfig(PyLTI1p3ToolConfig):
    """pylti1p3's registration and key models, with the integer ids its own migrations made:
    without this, the project's BigAutoField default asks for a migration inside the
    installed package, which a fresh install would not have."""

    default_auto_field = "django.db.models.AutoField"
