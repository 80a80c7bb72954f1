"""What Destalin remembers of the LTI platforms it is launched from.

The platform registration itself (issuer, client id, deployment ids, the platform's OIDC,
token and JWKS URLs) and the tool's signing keys are pylti1p3's own models
(``pylti1p3.contrib.django.lti1p3_tool_config``: ``LtiTool`` and ``LtiToolKey``), edited in
the admin. This module adds what the launches map to: people, courses, placed links, used
nonces and the scores sent back (LTI 1.3 Core, LTI Advantage AGS and NRPS, IMS 2019).
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def origin_of(url):
    """``https://school.instructure.com`` of any URL on that host; '' for anything else."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


class PlatformPolicy(models.Model):
    """What this site trusts a registered platform with, beyond the registration itself."""

    tool = models.OneToOneField(
        "lti1p3_tool_config.LtiTool", on_delete=models.CASCADE, related_name="policy"
    )
    frame_origins = models.TextField(
        blank=True,
        help_text="Origins that may show Destalin in a frame, one per line (for example "
        "https://school.instructure.com). The origins of the issuer and the OIDC URL are "
        "always allowed.",
    )
    link_verified_emails = models.BooleanField(
        "link accounts by verified email",
        default=False,
        help_text="Let a launch sign in to an existing account whose verified address matches "
        "the email the platform sends. Leave off unless the platform verifies addresses: "
        "otherwise it could take over any account by claiming its address.",
    )

    class Meta:
        verbose_name = "platform policy"
        verbose_name_plural = "platform policies"

    def __str__(self):
        return f"Policy of {self.tool.title}"

    def origins(self):
        """Every origin that may frame the site for this platform: the ones listed, and those
        of its issuer and OIDC login URL."""
        listed = [origin_of(line.strip()) for line in self.frame_origins.splitlines()]
        derived = [origin_of(self.tool.issuer), origin_of(self.tool.auth_login_url)]
        return sorted({origin for origin in listed + derived if origin})


class LtiUser(models.Model):
    """A platform's person (``iss`` + ``sub``) as one Destalin user."""

    tool = models.ForeignKey(
        "lti1p3_tool_config.LtiTool", on_delete=models.CASCADE, related_name="+"
    )
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "LTI person"
        constraints = [models.UniqueConstraint(fields=["tool", "sub"], name="lti_user_once")]

    def __str__(self):
        return f"{self.sub} at {self.tool.issuer}"


class LtiContext(models.Model):
    """A platform's course (its LTI context) as one Destalin course, with the service URLs
    the platform gave for it."""

    tool = models.ForeignKey(
        "lti1p3_tool_config.LtiTool", on_delete=models.CASCADE, related_name="+"
    )
    deployment_id = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255)
    course = models.OneToOneField(
        "destalin.Course", on_delete=models.CASCADE, related_name="lti_context"
    )
    title = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=255, blank=True)
    lineitems_url = models.URLField(max_length=1024, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    memberships_url = models.URLField(max_length=1024, blank=True)
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    # When the worker next syncs this course with the platform (roster and scores).
    next_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "LTI course"
        constraints = [
            models.UniqueConstraint(fields=["tool", "context_id"], name="lti_context_once")
        ]

    def __str__(self):
        return f"{self.title or self.context_id} at {self.tool.issuer}"


class LtiLink(models.Model):
    """A link placed in the platform's course (a resource link), and the prompt it opens;
    a graded prompt's link has the platform's line item that its scores go to."""

    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE, related_name="links")
    resource_link_id = models.CharField(max_length=255)
    prompt = models.ForeignKey(
        "discussions.Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lineitem_url = models.URLField(max_length=1024, blank=True)
    title = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "LTI link"
        constraints = [
            models.UniqueConstraint(fields=["context", "resource_link_id"], name="lti_link_once")
        ]

    def __str__(self):
        return self.title or self.resource_link_id


class UsedNonce(models.Model):
    """Every launch's nonce, so that no id_token is accepted twice (LTI 1.3 Core 5.1.3)."""

    nonce = models.CharField(max_length=255, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.nonce


class ScoreSendStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ScoreSend(models.Model):
    """The last score sent (or being sent) to the platform for one grade on one link.
    ``grade_version`` is the grade's version it carries: a grade saved again after release
    has a newer version, and is sent again."""

    grade = models.ForeignKey("grading.Grade", on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(LtiLink, on_delete=models.CASCADE, related_name="sends")
    grade_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=ScoreSendStatus.choices, default=ScoreSendStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grade", "link"], name="lti_score_send_once")
        ]

    def __str__(self):
        return f"{self.grade} → {self.link}: {self.get_status_display()}"


def _registration_token():
    return secrets.token_urlsafe(24)


def _in_a_week():
    return timezone.now() + timedelta(days=7)


class RegistrationStatus(models.TextChoices):
    NEW = "new", "Not used yet"
    QUEUED = "queued", "Registering"
    DONE = "done", "Registered"
    FAILED = "failed", "Failed"


class RegistrationLink(models.Model):
    """A one-time address an admin pastes into a platform for LTI Dynamic Registration
    (LTI Dynamic Registration 1.0): whoever holds it may register one platform, until it is
    used or a week has passed."""

    token = models.CharField(max_length=64, unique=True, default=_registration_token)
    note = models.CharField(
        max_length=200, blank=True, help_text="Which platform it is for, to find it later."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_in_a_week)
    status = models.CharField(
        max_length=8, choices=RegistrationStatus.choices, default=RegistrationStatus.NEW
    )
    error = models.TextField(blank=True)
    openid_configuration = models.URLField(max_length=1024, blank=True)
    registration_token = models.TextField(blank=True)
    tool = models.ForeignKey(
        "lti1p3_tool_config.LtiTool",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "dynamic registration link"

    def __str__(self):
        return self.note or f"Registration link of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("lti:register", kwargs={"token": self.token})
