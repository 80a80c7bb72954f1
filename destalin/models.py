"""The classroom core: people, courses and who holds which role in them."""

import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

# 32 symbols without the look-alikes 0/O and 1/I: 8 of them carry 40 bits.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def is_join_code(code):
    """Whether normalized text has the shape of a join code (and so may reach a query)."""
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


def normalize_join_code(raw):
    """What a person typed, in the stored form: upper case, without spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def default_time_zone():
    """A new course's zone: the site's (settings.TIME_ZONE), until its instructor picks one."""
    return settings.TIME_ZONE


def normalize_display_name(raw):
    return " ".join(unicodedata.normalize("NFKC", raw).split())


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_instructor=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; the display name is what classmates see."""

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=80, help_text="Shown on your posts and in class lists."
    )
    is_instructor = models.BooleanField(
        "may create courses",
        default=False,
        help_text="Set by staff. Used when course creation is limited to instructors.",
    )
    notify_replies = models.BooleanField("email me when someone replies to my post", default=True)
    notify_new_responses = models.BooleanField(
        "email me about every new response in courses I teach", default=False
    )
    notify_grades = models.BooleanField("email me when a grade of mine is released", default=True)
    # WCAG 2.1.4: single-key shortcuts can be turned off, for speech input and stray keys.
    keyboard_shortcuts = models.BooleanField(
        "single-key shortcuts",
        default=True,
        help_text="In the grader, j and k move to the next and previous student.",
    )
    time_zone = models.CharField(
        "my time zone",
        max_length=64,
        blank=True,
        help_text="Times are shown in it, with the course's beside them when they differ. "
        "Leave empty to see each course's own.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Unset to suspend the account instead of deleting it."
    )
    is_staff = models.BooleanField(default=False, help_text="Can log into the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        self.display_name = normalize_display_name(self.display_name)

    def save(self, *args, **kwargs):
        self.display_name = normalize_display_name(self.display_name)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


class GradeRelease(models.TextChoices):
    MANUAL = "manual", "Manually, when the instructor releases them"
    AUTOMATIC = "automatic", "Automatically, as each grade is saved"


class Course(models.Model):
    title = models.CharField(max_length=200)
    code = models.CharField(
        "short code", max_length=30, help_text="As in the catalogue, e.g. HIST 274."
    )
    term = models.CharField(max_length=60, help_text="e.g. Fall 2026.")
    description = models.TextField(blank=True, max_length=5000)
    slug = models.SlugField(max_length=120, unique=True)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    is_joining_open = models.BooleanField(
        "joining open", default=True, help_text="Let new students join with the code or link."
    )
    is_archived = models.BooleanField(default=False)
    grade_release = models.CharField(
        "release grades",
        max_length=10,
        choices=GradeRelease.choices,
        default=GradeRelease.MANUAL,
        help_text="Each prompt can override this.",
    )
    hold_posts = models.BooleanField(
        "hold new posts for review",
        default=False,
        help_text="Students' new posts are shown to classmates only once a moderator approves.",
    )
    require_two_factor = models.BooleanField(
        "teachers must use two-factor sign-in",
        default=False,
        help_text="Instructors and TAs of this course sign in with a code from an app or a "
        "passkey as well as their password.",
    )
    word_list = models.TextField(
        blank=True,
        max_length=5000,
        help_text="One word or phrase per line. Posts containing one (whole words, ignoring "
        "case and accents) are held for review.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        help_text="Due dates, late days and the dates in exports follow this zone's calendar.",
    )
    # What TAs may do beyond grading and moderating, as Canvas's course roles allow by
    # default (both on); the instructor may take either away.
    tas_may_hold_posts = models.BooleanField(
        "TAs may set a discussion's holding of posts",
        default=True,
        help_text="Whether TAs may turn a prompt's “hold new posts for review” on or off.",
    )
    tas_may_assign_readings = models.BooleanField(
        "TAs may assign readings",
        default=True,
        help_text="Whether TAs may assign, reorder and unassign readings and set their dates.",
    )
    tas_may_add_readings = models.BooleanField(
        "TAs may add readings",
        default=True,
        help_text="Whether TAs may upload files or paste texts as new readings for the course.",
    )
    # Uploaded originals are often chapters copied under a course's fair-use allowance; an
    # instructor whose licence covers only reading on the site turns downloading off.
    originals_downloadable = models.BooleanField(
        "members may download original files",
        default=True,
        help_text="Whether the course's members may download the file a reading was made from "
        "(turn off when its copyright allows reading on this site only).",
    )
    created_by = models.ForeignKey(
        "destalin.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "code"]

    def __str__(self):
        return f"{self.code}: {self.title} ({self.term})"

    def get_absolute_url(self):
        return reverse("course-detail", kwargs={"course": self.slug})

    def get_join_url(self):
        return reverse("join-link", kwargs={"code": self.join_code})


class Role(models.TextChoices):
    INSTRUCTOR = "instructor", "Instructor"
    TA = "ta", "TA"
    STUDENT = "student", "Student"


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Membership(models.Model):
    """A user's one role in one course. Removal is soft: a removed student's work stays."""

    user = models.ForeignKey("destalin.User", on_delete=models.CASCADE, related_name="memberships")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="membership_one_per_course"),
        ]
        indexes = [models.Index(fields=["course", "role"])]

    def __str__(self):
        return f"{self.user}, {self.get_role_display()} in {self.course.code}"
