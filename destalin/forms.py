from django import forms

from destalin.models import Course, Role, User, normalize_display_name


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


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds: the name classmates will see."""

    display_name = forms.CharField(
        max_length=80,
        label="Display name",
        help_text="Shown on your posts, e.g. your first name and last initial.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        name = normalize_display_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Enter the name your classmates will see.")
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    def clean_display_name(self):
        name = normalize_display_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Enter the name your classmates will see.")
        return name


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "code", "term", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class CourseSettingsForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title", "code", "term", "description", "is_joining_open", "is_archived",
            "grade_release", "tas_may_hold_posts", "tas_may_assign_readings",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=32,
        help_text="Eight letters and digits, from your instructor.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
