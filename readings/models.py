"""Readings: texts in ordered sections, their numbered paragraphs, their place on syllabi."""

import math
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from readings import anchors
from readings.intake.formats import Format

WORDS_PER_MINUTE = 230
NAME_WORDS = 6  # of an untitled section's text, to name it
BIBLIOGRAPHY_TITLES = {
    "bibliography", "references", "works cited", "sources", "primary sources",
    "secondary sources", "further reading", "literature",
}  # fmt: skip
# Markdown that is not words: images, footnote marks, page markers, link targets, list and
# heading markers, table bars, emphasis.
_MARKUP = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|\[\^[^\]]*\]|<!--.*?-->|\]\([^)]*\)|^\s*(?:[-+*]|\d+[.)])\s+|[*_`>#|\[\]]",
    re.MULTILINE,
)


class Kind(models.TextChoices):
    NOTES = "notes", "Notes"
    BLOG_POST = "blog_post", "Blog post"
    ARTICLE = "article", "Article"
    ESSAY = "essay", "Essay"
    ENCYCLOPEDIA = "encyclopedia", "Encyclopedia entry"
    PRIMARY_SOURCE = "primary_source", "Primary source"
    OTHER = "other", "Other"


class ReadingQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def visible_to(self, user):
        """Readings the user may open: those assigned to their current courses; the whole
        library for those who choose what to assign (instructors, TAs, staff)."""
        from destalin.selectors import teaches_anywhere
        from readings.permissions import can_browse_library

        if not user.is_authenticated:
            return self.none()
        if can_browse_library(user, teaches=teaches_anywhere(user)):
            return self.all()
        return self.filter(
            assignments__course__memberships__user=user,
            assignments__course__memberships__removed_at__isnull=True,
        ).distinct()


class Reading(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, default="unknown")
    source = models.CharField(max_length=200, blank=True, help_text="Site or publication.")
    source_url = models.URLField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    is_excerpt = models.BooleanField("excerpt", default=False)
    excerpt_note = models.CharField(max_length=500, blank=True)
    citation = models.CharField(max_length=500, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The highest block key ever given (readings.anchors): a removed block's key is never
    # given again, so an old link cannot land on new words.
    last_block_key = models.PositiveIntegerField(default=0, editable=False)
    # Blocks removed by edits, as {"key", "number", "text"} (their last number and words), so
    # that a link to one says plainly what it pointed to.
    retired_blocks = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    @property
    def byline(self):
        return "Author unknown" if self.author.strip().lower() in {"", "unknown"} else self.author

    @property
    def minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def get_library_url(self):
        return reverse("readings:library-detail", kwargs={"reading": self.slug})


class SectionManager(models.Manager):
    def get_by_natural_key(self, reading_slug, position):
        return self.get(reading__slug=reading_slug, position=position)


class Section(models.Model):
    """A part of a reading (a card, a titled part, a run of paragraphs), in Markdown."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown. Use ### for headings inside the section.")
    body_html = models.TextField(editable=False, default="")
    first_paragraph = models.PositiveIntegerField(default=1, editable=False)

    objects = SectionManager()

    class Meta:
        ordering = ["reading", "position"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "position"], name="section_position"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The title, or for an untitled section its opening heading or first words
        ("Destalinization, a term of Western origin…"), so a contents list and a pager name
        what is there."""
        if self.title:
            return self.title
        # Its first paragraph (or the heading it opens with).
        first = self.body.strip().split("\n\n", 1)[0]
        words = _MARKUP.sub(
            " ", first.split("\n", 1)[0] if first.startswith("#") else first
        ).split()
        if not words:
            return f"Part {self.position}"
        head = " ".join(words[:NAME_WORDS]).rstrip(",;:—-")
        return f"{head}…" if len(words) > NAME_WORDS else head

    @property
    def is_bibliography(self):
        """A bibliography is set as one (hanging indent, smaller), recognised by its title."""
        return self.title.strip().lower() in BIBLIOGRAPHY_TITLES

    def natural_key(self):
        return (*self.reading.natural_key(), self.position)

    natural_key.dependencies = ["readings.reading"]

    @property
    def anchor(self):
        return f"s-{self.position}"


class ParagraphManager(models.Manager):
    def get_by_natural_key(self, reading_slug, number):
        return self.get(reading__slug=reading_slug, number=number)


class Paragraph(models.Model):
    """One numbered block of the reading's current version: what a citation "¶ n", a search
    hit or a quote points to. ``number`` is its place now ("¶ 12"); ``key`` is its identity,
    kept across edits (``readings.anchors``) and used in links (``#p-<key>``). Rebuilt from
    the sections whenever the reading is saved."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField()
    key = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)
    text = models.TextField()

    objects = ParagraphManager()

    class Meta:
        ordering = ["reading", "number"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "number"], name="paragraph_number"),
            models.UniqueConstraint(fields=["reading", "key"], name="paragraph_key"),
        ]

    def __str__(self):
        return f"{self.reading} ¶ {self.number}"

    def natural_key(self):
        return (*self.reading.natural_key(), self.number)

    natural_key.dependencies = ["readings.reading", "readings.section"]

    @property
    def anchor(self):
        return anchors.anchor(self.key)


class ReadingVersion(models.Model):
    """One saved state of a reading's text: every edit keeps the one before. ``block_keys``
    are the keys of its numbered blocks in order (``block_keys[n - 1]`` was "¶ n" then)."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    block_keys = models.JSONField(default=list)

    class Meta:
        ordering = ["reading", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "number"], name="reading_version_once"),
        ]

    def __str__(self):
        return f"{self.reading}, version {self.number}"


class SectionVersion(models.Model):
    """A section as it was in one version of its reading."""

    version = models.ForeignKey(ReadingVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="section_version_position"
            ),
        ]

    def __str__(self):
        return f"{self.version}: {self.title or self.position}"


class Assignment(models.Model):
    """A reading on a course's syllabus, in order, with an optional due date."""

    course = models.ForeignKey(
        "destalin.Course", on_delete=models.CASCADE, related_name="assignments"
    )
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField("due", null=True, blank=True)
    instructions = models.TextField(blank=True, max_length=5000)
    # Assigning part of a reading, as Perusall does: the reader shows the course only these
    # sections. None chosen means the whole reading.
    sections = models.ManyToManyField(
        Section, blank=True, related_name="+", help_text="Leave empty for the whole reading."
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "reading"], name="assignment_once"),
        ]

    def __str__(self):
        return f"{self.reading} in {self.course.code}"

    def get_absolute_url(self):
        return reverse(
            "reading-detail", kwargs={"course": self.course.slug, "reading": self.reading.slug}
        )


class Progress(models.Model):
    """When a person first opened a reading, and whether they marked it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_progress"
    )
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="progress")
    opened_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "reading"], name="progress_once"),
        ]
        verbose_name_plural = "progress"

    def __str__(self):
        return f"{self.user}: {self.reading}"


def original_path(upload, filename):
    """Where an original is stored: a name of our own (the person's file name may hold
    anything), under its course, with the file's extension."""
    return f"readings/originals/{upload.course_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the converter"
    CONVERTING = "converting", "Converting"
    READY = "ready", "Ready to check"
    FAILED = "failed", "Could not be converted"
    PUBLISHED = "published", "Published"


class Upload(models.Model):
    """A file or a pasted text on its way to becoming a reading of a course: converted in
    the task worker (``done`` of ``total`` steps), checked and corrected by its instructor
    (``document``: metadata and sections, as ``readings.uploads`` stores a
    ``ConvertedDocument``), then published as ``reading``. The original file stays in the
    storage API for the course's members to download."""

    course = models.ForeignKey("destalin.Course", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=original_path, blank=True, max_length=300)
    name = models.CharField("file name", max_length=255)
    file_format = models.CharField("format", max_length=10, choices=Format.choices)
    size = models.PositiveBigIntegerField("size in bytes", default=0)
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=1000, blank=True)
    document = models.JSONField(default=dict, blank=True)
    reading = models.OneToOneField(
        Reading, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("readings:upload", kwargs={"course": self.course.slug, "upload": self.pk})

    @property
    def is_working(self):
        return self.status in {UploadStatus.QUEUED, UploadStatus.CONVERTING}

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
