"""What moderation keeps about posts: readers' flags and the course's audit log (which
grading writes to as well). Models of the discussions app, registered through
``discussions.models``; moderation has no models of its own."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from destalin import times


class FlagReason(models.TextChoices):
    OFFENSIVE = "offensive", "Offensive or hateful"
    HARASSMENT = "harassment", "Harassment or a personal attack"
    PRIVATE = "private", "Shares someone's private information"
    SPAM = "spam", "Spam or advertising"
    OTHER = "other", "Something else"


class Resolution(models.TextChoices):
    KEPT = "kept", "Kept"
    HIDDEN = "hidden", "Hidden"
    DELETED = "deleted", "Deleted"


class Flag(models.Model):
    """A member's report of a post; the author is never told who made it. ``course`` is the
    post's (posts never change course), kept so the review queue reads a course's open flags
    through an index of its own, however many flags wait elsewhere on the site."""

    post = models.ForeignKey("discussions.Post", on_delete=models.CASCADE, related_name="flags")
    # Read only through ``flag_open_course`` (open flags); a course's deletion, rare, may scan.
    course = models.ForeignKey(
        "destalin.Course", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=12, choices=FlagReason.choices)
    details = models.CharField("more about it", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=8, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "flagged_by"], name="flag_once_per_person"),
        ]
        indexes = [
            models.Index(
                fields=["post"], name="flag_open", condition=models.Q(resolved_at__isnull=True)
            ),
            models.Index(
                fields=["course"],
                name="flag_open_course",
                condition=models.Q(resolved_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"Flag on post {self.post_id}: {self.get_reason_display()}"


class AuditAction(models.TextChoices):
    HIDE = "hide", "Hid a post"
    UNHIDE = "unhide", "Showed a hidden post again"
    DELETE = "delete", "Deleted a post"
    RESTORE = "restore", "Restored a post"
    EDIT = "edit", "Edited a post"
    LOCK = "lock", "Locked"
    UNLOCK = "unlock", "Unlocked"
    PIN = "pin", "Pinned a post"
    UNPIN = "unpin", "Unpinned a post"
    ENDORSE = "endorse", "Endorsed a post"
    UNENDORSE = "unendorse", "Withdrew an endorsement"
    APPROVE = "approve", "Approved a held post or edit"
    DECLINE = "decline", "Declined a held edit"
    KEEP = "keep", "Kept a flagged post"
    SETTINGS = "settings", "Changed moderation settings"
    PROMPT_RULES = "prompt_rules", "Changed a prompt's rules"
    EXTENSION = "extension", "Granted or changed an extension"
    RUBRIC = "rubric", "Changed a rubric"
    GRADING_POLICY = "grading", "Changed a grading policy"
    COURSE_SETTINGS = "course", "Changed course settings"
    MEMBER_ROLE = "role", "Changed a member's role"
    MEMBER_REMOVE = "removal", "Removed a member"
    MEMBER_RESTORE = "readmission", "Brought back a removed member"
    GRADE = "grade", "Graded"
    RELEASE = "release", "Released grades"
    HIDE_GRADES = "hide_grades", "Hid grades"
    IMPORT = "import", "Imported grades"
    SCORE_SENT = "score_sent", "Sent a score to the learning platform"
    SCORE_FAILED = "score_failed", "A score did not reach the learning platform"


class AuditEntry(models.Model):
    """One moderation or grading action: who, what, on which post or student, when, why,
    and the text before and after an edit. Never changed once written."""

    course = models.ForeignKey("destalin.Course", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=AuditAction.choices)
    prompt = models.ForeignKey(
        "discussions.Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "discussions.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["course", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return (
            f"{self.actor} · {self.get_action_display()} · {times.datetime_attr(self.created_at)}"
        )
