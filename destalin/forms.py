from django import forms
from django.utils import timezone

from destalin import times
from destalin.models import Course, User, default_time_zone, normalize_display_name
from destalin.text import has_visible_character

INVISIBLE = "This shows nothing: use at least one visible letter, digit or sign."


def require_visible(value):
    """Validator for names and titles: text made only of spaces, zero-width or bidi
    characters would leave a post with no visible author or a link with no words."""
    if value and not has_visible_character(value):
        raise forms.ValidationError(INVISIBLE, code="invisible")


class VisibleTextMixin:
    """A form whose ``visible_fields`` (names, titles) must each show something."""

    visible_fields = ("title",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.visible_fields:
            if name in self.fields:
                self.fields[name].validators.append(require_visible)


def as_id(raw):
    """A database id from text a person could have typed, or 0 (matches nothing). Only
    ASCII digits: "²".isdigit() is true, and int() of it fails."""
    if raw and len(raw) < 12 and raw.isascii() and raw.isdigit():
        return int(raw)
    return 0


def is_slug(raw):
    """Whether text could be a slug; anything else (NUL included) never reaches a query."""
    return (
        bool(raw)
        and len(raw) <= 120
        and raw.isascii()
        and all(ch.isalnum() or ch in "-_" for ch in raw)
    )


def status_of(form):
    """400 for a submitted form with errors, so clients and tests see the failure."""
    return 400 if form.is_bound and form.errors else 200


def posted(request):
    """The submitted data for a form, or None on GET. (``request.POST or None`` would treat
    an empty POST as no submission at all and answer it like a GET.)"""
    return request.POST if request.method == "POST" else None


class TimeZoneField(forms.TypedChoiceField):
    """An IANA zone name, from the list this system knows."""

    def __init__(self, *, blank_label=None, **kwargs):
        choices = times.zone_choices()
        if blank_label:
            choices = (("", blank_label), *choices)
        super().__init__(choices=choices, **kwargs)


class CourseTimeField(forms.DateTimeField):
    """A date and time typed on the course's wall clock (``zone``, set by
    ``take_course_times``), whoever types it. A time that does not exist there (skipped by
    spring forward) or exists twice (the repeated hour in the fall) is refused with a message,
    as Django refuses it in its current zone."""

    zone = None

    def to_python(self, value):
        with timezone.override(self.zone or times.zone()):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone or times.zone()):
            return super().prepare_value(value)


def take_course_times(form, course):
    """Make every ``CourseTimeField`` of ``form`` read and show times in ``course``'s zone, and
    say so under the field."""
    zone = times.course_zone(course)
    for field in form.fields.values():
        if isinstance(field, CourseTimeField):
            field.zone = zone
            note = f"In the course's time zone ({zone.key.replace('_', ' ')})."
            field.help_text = f"{field.help_text} {note}".strip()
    return form


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds: the name classmates will see."""

    display_name = forms.CharField(
        max_length=80,
        label="Display name",
        help_text="Shown on your posts, e.g. your first name and last initial.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="My time zone",
        required=False,
        blank_label="Each course's own",
        help_text=User._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "keyboard_shortcuts"]

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])


def clean_display_name(raw):
    name = normalize_display_name(raw)
    if not name:
        raise forms.ValidationError("Enter the name your classmates will see.")
    require_visible(name)
    return name


def _course_time_zone():
    # Not required: a form sent without it (a script, an older page) keeps the zone it had.
    return TimeZoneField(
        label="Time zone",
        required=False,
        initial=default_time_zone,
        help_text=Course._meta.get_field("time_zone").help_text,
    )


class CourseTimeZoneMixin:
    def clean_time_zone(self):
        return self.cleaned_data["time_zone"] or self.instance.time_zone or default_time_zone()


class CourseForm(CourseTimeZoneMixin, VisibleTextMixin, forms.ModelForm):
    visible_fields = ("title", "code", "term")
    time_zone = _course_time_zone()

    class Meta:
        model = Course
        fields = ["title", "code", "term", "description", "time_zone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class CourseSettingsForm(CourseTimeZoneMixin, VisibleTextMixin, forms.ModelForm):
    visible_fields = ("title", "code", "term")
    time_zone = _course_time_zone()

    class Meta:
        model = Course
        fields = [
            "title", "code", "term", "description", "is_joining_open", "is_archived",
            "grade_release", "require_two_factor", "time_zone",
            "tas_may_hold_posts", "tas_may_assign_readings", "tas_may_add_readings",
            "originals_downloadable",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=32,
        help_text="Eight letters and digits, from your instructor.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
