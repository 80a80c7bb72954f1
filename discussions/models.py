"""Discussions: prompts modeled on a class blog's discussion question, threaded posts, the
versions of each post, quotes of readings, and per-student participation. Flags and the
audit log are in ``moderation_models``, re-exported here."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from destalin import times
from destalin.models import Membership, Role
from destalin.permissions import TEACHING_ROLES

# Flags and the audit log are defined apart and registered with the app through this module.
from discussions.moderation_models import (  # noqa: F401
    AuditAction,
    AuditEntry,
    Flag,
    FlagReason,
    Resolution,
)
from readings.anchors import Passage

PATH_WIDTH = 10  # digits per level of the materialized path: f"{pk:010d}"
MAX_DEPTH = 150  # keeps the path inside its column and any index


class AuthorRole(models.TextChoices):
    """Who wrote a post, as its badge says: the author's role in the course, or site staff
    writing in a course they are not a member of."""

    INSTRUCTOR = Role.INSTRUCTOR.value, Role.INSTRUCTOR.label
    TA = Role.TA.value, Role.TA.label
    STUDENT = Role.STUDENT.value, Role.STUDENT.label
    STAFF = "staff", "Staff"


class PromptKind(models.TextChoices):
    """A discussion answers a question in a thread; an annotation prompt is a reading's
    margin in one course, where each response is a note anchored to words of the text
    (Perusall's and Hypothesis's annotations), graded and moderated as posts are."""

    DISCUSSION = "discussion", "Discussion"
    ANNOTATION = "annotation", "Annotation"


class Visibility(models.TextChoices):
    """Who reads a note in the margin, as Perusall and Hypothesis offer: the course, only its
    author ("Only me"), or its author and the course's teachers. Discussion posts are always
    for the course. Replies take their note's visibility."""

    COURSE = "course", "The course"
    PRIVATE = "private", "Only me"
    TEACHERS = "teachers", "Me and the teachers"


# What a hidden post's placeholder and notice say, by the role of whoever hid it
# (``Post.hidden_by_role``); "" is a post hidden before the role was recorded.
HIDDEN_BY = {
    AuthorRole.INSTRUCTOR: "Hidden by the instructor",
    AuthorRole.TA: "Hidden by a TA",
    AuthorRole.STAFF: "Hidden by staff",
    "": "Hidden by a moderator",
}


class RevealMode(models.TextChoices):
    OPEN = "open", "Open: everyone sees every post"
    AFTER_POST = "after_post", "After the student's own response"
    AFTER_DUE = "after_due", "After the due date"


class PromptQuerySet(models.QuerySet):
    def visible_to(self, user, *, teaching):
        """Teachers see drafts; everyone else only published prompts."""
        return self if teaching else self.filter(is_published=True)


class Prompt(models.Model):
    course = models.ForeignKey("destalin.Course", on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(
        max_length=12, choices=PromptKind.choices, default=PromptKind.DISCUSSION
    )
    # An annotation prompt's reading: its notes are anchored to this text.
    reading = models.ForeignKey(
        "readings.Reading",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="annotation_prompts",
    )
    title = models.CharField(max_length=300)
    body = models.TextField("prompt", max_length=20_000, blank=True, help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    readings = models.ManyToManyField("readings.Reading", blank=True, related_name="prompts")
    opens_at = models.DateTimeField("opens", null=True, blank=True)
    due_at = models.DateTimeField(
        "due", null=True, blank=True, help_text="Soft: later posts are marked late."
    )
    cutoff_at = models.DateTimeField(
        "closes", null=True, blank=True, help_text="Hard: no posting after it."
    )
    points_possible = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text="0 for an ungraded discussion.",
    )
    reveal_mode = models.CharField(
        "who sees classmates' posts",
        max_length=12,
        choices=RevealMode.choices,
        default=RevealMode.AFTER_POST,
    )
    min_words = models.PositiveIntegerField("minimum words per response", default=0)
    required_responses = models.PositiveSmallIntegerField("responses required", default=1)
    required_replies = models.PositiveSmallIntegerField("replies to classmates required", default=0)
    # Annotation assignments: qualifying notes spread over at least this many sections.
    required_sections = models.PositiveSmallIntegerField("sections annotated required", default=0)
    is_published = models.BooleanField("published", default=False)
    hold_posts = models.BooleanField(
        "hold new posts for review",
        default=False,
        help_text="Students' posts show to classmates only once approved (the course may "
        "hold every prompt's).",
    )
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(required_replies__lte=10), name="prompt_replies_at_most_10"
            ),
            models.CheckConstraint(
                condition=models.Q(points_possible__gte=0), name="prompt_points_not_negative"
            ),
            # A course has one margin per reading.
            models.UniqueConstraint(
                fields=["course", "reading"],
                condition=models.Q(kind="annotation"),
                name="prompt_one_margin_per_reading",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="discussion", reading__isnull=True)
                | models.Q(kind="annotation", reading__isnull=False),
                name="prompt_annotation_has_reading",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:prompt", kwargs={"course": self.course.slug, "pk": self.pk})

    @property
    def is_annotation(self):
        return self.kind == PromptKind.ANNOTATION

    @property
    def is_graded(self):
        return self.points_possible > 0

    def is_open_at(self, moment):
        return self.opens_at is None or self.opens_at <= moment


class PostQuerySet(models.QuerySet):
    def visible_to(self, user, now=None):
        """Posts the user may read: the single place where drafts, reveal modes and deleted
        posts are decided, for permalinks, search, counts, quotes and mail alike (the thread
        page applies the same rule in Python: ``discussions.thread.posts.PromptReader``)."""
        return self.filter(readable_by(user, now or timezone.now()))


def readable_by(user, now):
    """The rule, as a ``Q`` over posts.

    Teachers (instructors and TAs of the course) and staff read everything, deleted, hidden
    and held posts included, but for others' private notes (``Visibility.PRIVATE``, read by
    their author alone). A student reads, in published prompts of their current courses,
    posts that are not deleted and are either their own (hidden or held too), or neither
    hidden nor held and a teacher's framing response or reply to them, or revealed by the
    prompt's mode: open; after the due date (their own, if extended); after the student's own
    qualifying response (``Participation.unlocked_at``); notes only for their author and
    the teachers (``Visibility.TEACHERS``) are read, replies included, by the note's author
    and the teachers only, whatever the mode. The thread page's ``PromptReader``
    (``discussions.thread.posts``) is the same rule for one prompt, in Python.
    """
    published = models.Q(hidden_at__isnull=True, held_at__isnull=True)
    if not user.is_authenticated:
        return models.Q(pk__in=[])
    if user.is_staff:
        # Everything but others' private notes.
        return ~models.Q(visibility=Visibility.PRIVATE) | models.Q(author=user)
    memberships = Membership.objects.current().filter(user=user)
    teaching = memberships.filter(role__in=TEACHING_ROLES).values("course_id")
    participations = Participation.objects.filter(user=user)
    unlocked = participations.filter(unlocked_at__isnull=False).values("prompt_id")
    # A student whose extension runs past the due date still writes before seeing others.
    extended = participations.filter(extended_due_at__gt=now).values("prompt_id")
    revealed = (
        models.Q(prompt__reveal_mode=RevealMode.OPEN)
        | (
            models.Q(prompt__reveal_mode=RevealMode.AFTER_DUE)
            & (models.Q(prompt__due_at__isnull=True) | models.Q(prompt__due_at__lte=now))
            & ~models.Q(prompt_id__in=extended)
        )
        | models.Q(prompt__reveal_mode=RevealMode.AFTER_POST, prompt_id__in=unlocked)
        # Teachers' framing responses, and their answers to the student, are always shown.
        | (
            models.Q(author_role__in=TEACHING_ROLES)
            & (models.Q(depth=0) | models.Q(parent__author=user))
        )
    )
    # A note for its author and the teachers is read, with its replies, by those two only;
    # a private note ("Only me") by its author alone, teachers and staff included.
    for_the_course = models.Q(visibility=Visibility.COURSE)
    not_private = ~models.Q(visibility=Visibility.PRIVATE) | models.Q(author=user)
    as_student = models.Q(
        prompt__course_id__in=memberships.values("course_id"),
        prompt__is_published=True,
        deleted_at__isnull=True,
    ) & (
        models.Q(author=user)
        | (published & revealed & for_the_course)
        | (published & models.Q(visibility=Visibility.TEACHERS, root__author=user))
    )
    return (models.Q(prompt__course_id__in=teaching) & not_private) | as_student


def classmates_revealed(prompt, participation, now):
    if prompt.reveal_mode == RevealMode.OPEN:
        return True
    if prompt.reveal_mode == RevealMode.AFTER_DUE:
        extended = (
            participation is not None
            and participation.extended_due_at is not None
            and participation.extended_due_at > now
        )
        return (prompt.due_at is None or prompt.due_at <= now) and not extended
    return participation is not None and participation.unlocked_at is not None


class Post(models.Model):
    """A response to the prompt (no parent) or a reply to another post, at any depth.

    ``path`` is the materialized path of fixed-width ids from the response down, so one
    ``ORDER BY path`` gives the whole thread in reading order. Posts never move and deletion is
    soft, so the path never changes.
    """

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    author_role = models.CharField(max_length=12, choices=AuthorRole.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=2000, db_index=True, default="")
    body = models.TextField(max_length=20_000)
    body_html = models.TextField(default="")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.COURSE
    )
    # A note asked as a question (Perusall's "question"): counted apart for the instructor.
    is_question = models.BooleanField(default=False)
    word_count = models.PositiveIntegerField(default=0)
    # The prompt's minimum when this was posted: rules changed mid-discussion apply to new
    # posts, so raising the minimum never takes back what a response already unlocked.
    min_words_at_posting = models.PositiveIntegerField(default=0)
    is_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # When classmates could first see it: its creation, or its approval if it was held.
    # "New since your last visit" counts from here.
    published_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Moderation. Hidden: classmates see a placeholder, the author the reason. Held: shown to
    # its author and moderators only, until approved.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    # The hider's role in the course when they hid it, which the thread names ("Hidden by a
    # TA"); the person is in the audit log. Held posts are held by the course's rules, no one.
    hidden_by_role = models.CharField(max_length=12, choices=AuthorRole.choices, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_reason = models.CharField(max_length=200, blank=True)
    edited_by_moderator = models.BooleanField(default=False)
    # A student's edit waiting for review while the course or prompt holds posts: classmates
    # keep reading the approved text (``body``) until a moderator approves this one.
    pending_body = models.TextField(max_length=20_000, blank=True)
    pending_at = models.DateTimeField(null=True, blank=True)
    pending_reason = models.CharField(max_length=200, blank=True)
    endorsed_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    # On a response: its thread takes no new replies.
    locked_at = models.DateTimeField(null=True, blank=True)
    # When a grade given for this post is released to its author (maybe later: a scheduled
    # release); from then on they may not delete it. Kept by the grading app, which builds on
    # this one, whenever a grade's posts or its release change.
    grade_released_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["prompt", "path"]),
            models.Index(fields=["prompt", "author", "created_at"]),
            # "New since your last visit" on the course page, read from the visit onwards.
            models.Index(fields=["prompt", "published_at"], name="post_prompt_published"),
            models.Index(
                fields=["held_at"], name="post_held", condition=models.Q(held_at__isnull=False)
            ),
            models.Index(
                fields=["pending_at"],
                name="post_pending",
                condition=models.Q(pending_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.author} on {self.prompt}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def anchor(self):
        return f"post-{self.pk}"


class PostRevision(models.Model):
    """The text of a post before an edit: every version is kept."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["post", "created_at"]

    def __str__(self):
        return f"Post {self.post_id} as of {times.datetime_attr(self.created_at)}"


class AnchoredPassage(models.Model):
    """Words of a reading as a post points at them, anchored as the W3C Web Annotation model
    does (``readings.anchors``): the block's key, the exact words with a little context on
    each side, and their offsets in the block, so they are found again after the reading
    changes or said plainly to have changed. ``paragraph_number`` is the "¶ n" a caption
    names (the block's number when the words were chosen). Quotes in posts and notes in the
    margin are both anchored passages, found by one function (``readings.anchors.locate``)."""

    paragraph_number = models.PositiveIntegerField()
    block_key = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def of_passage(cls, passage, **fields):
        """An unsaved row of ``passage`` (a ``readings.anchors.Passage``), with ``fields``
        (``post``, ``reading``, ``paragraph_number``)."""
        return cls(
            block_key=passage.block,
            exact=passage.exact,
            prefix=passage.prefix,
            suffix=passage.suffix,
            start=passage.start,
            end=passage.end,
            **fields,
        )

    @property
    def passage(self):
        """The stored anchor as ``readings.anchors.Passage``."""
        return Passage(
            block=self.block_key,
            exact=self.exact,
            prefix=self.prefix,
            suffix=self.suffix,
            start=self.start,
            end=self.end,
        )


class Quote(AnchoredPassage):
    """A passage of a reading quoted in a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes")
    reading = models.ForeignKey("readings.Reading", on_delete=models.CASCADE, related_name="quotes")

    class Meta:
        indexes = [models.Index(fields=["reading", "block_key"])]

    def __str__(self):
        return f"{self.reading} ¶ {self.paragraph_number} in post {self.post_id}"


class NoteTarget(AnchoredPassage):
    """The words a note in a reading's margin is about (the annotation's target): one per
    note; replies are about their note."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="target")
    reading = models.ForeignKey(
        "readings.Reading", on_delete=models.CASCADE, related_name="note_targets"
    )

    class Meta:
        indexes = [models.Index(fields=["reading", "block_key"])]

    def __str__(self):
        return f"{self.reading} ¶ {self.paragraph_number}: note {self.post_id}"


class Participation(models.Model):
    """One person's participation in one prompt: their counts and the moments requirements were
    met (recomputed whenever their posts change), their last visit, and any extension. What
    the checklist, the course page and the reveal rule read."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    responses = models.PositiveIntegerField(default=0)
    qualifying_responses = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    classmates_replied_to = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    # Annotation assignments: sections of the reading with a qualifying note.
    sections_annotated = models.PositiveSmallIntegerField(default=0)
    response_words = models.PositiveIntegerField(default=0)
    response_met_at = models.DateTimeField(null=True, blank=True)
    response_met_by = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replies_met_at = models.DateTimeField(null=True, blank=True)
    replies_met_by = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    met_at = models.DateTimeField(null=True, blank=True)
    was_met_at = models.DateTimeField(
        null=True, blank=True, help_text="When the requirements were last met, if no longer."
    )
    unlocked_at = models.DateTimeField(
        null=True, blank=True, help_text="Since when classmates' posts are revealed (after-post)."
    )
    last_posted_at = models.DateTimeField(null=True, blank=True)
    # "New since your last visit" counts from here.
    last_visited_at = models.DateTimeField(null=True, blank=True)
    # An extension: a later due date and cut-off for this student only.
    extended_due_at = models.DateTimeField("extended due date", null=True, blank=True)
    extended_cutoff_at = models.DateTimeField("extended cut-off", null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "user"], name="participation_once"),
        ]

    def __str__(self):
        return f"{self.user} in {self.prompt}"

    def meets(self, prompt):
        """Whether every requirement of the prompt is met now."""
        return (
            self.qualifying_responses >= prompt.required_responses
            and self.sections_annotated >= prompt.required_sections
            and self.classmates_replied_to >= prompt.required_replies
        )
