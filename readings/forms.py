from django import forms

from destalin.forms import CourseTimeField, take_course_times
from readings.models import Assignment, Reading
from readings.sources import MAX_BYTES, parse_source


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["due_at", "instructions"]
        widgets = {"due_at": DateTimeInput(), "instructions": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"due_at": CourseTimeField}
        help_texts = {"due_at": "Optional."}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        take_course_times(self, course)


class AssignReadingForm(AssignmentForm):
    reading = forms.ModelChoiceField(
        queryset=Reading.objects.none(), empty_label="Choose a reading", label="Reading"
    )

    class Meta(AssignmentForm.Meta):
        fields = ["reading", "due_at", "instructions"]

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["reading"].queryset = Reading.objects.exclude(assignments__course=course)


class ReadingTextForm(forms.Form):
    """A reading's whole text in Markdown, ``## Title`` lines starting its sections; ``base``
    is the version it was opened at, so a save over someone else's newer edit is refused."""

    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        strip=False,
        help_text=(
            "Markdown. A line “## Title” starts a section (a bare “##” an untitled one); use "
            "### for headings inside a section. Footnotes are [^1] with a “[^1]: …” line; "
            # Help text is shown as HTML: the marker must be escaped to be seen.
            "“&lt;!-- page: 42 --&gt;” on its own line marks where page 42 of the original "
            "begins."
        ),
    )
    note = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="Optional; shown in the list of versions.",
    )
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, latest, **kwargs):
        super().__init__(*args, **kwargs)
        self.latest = latest

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if len(text.encode()) > MAX_BYTES:
            raise forms.ValidationError(
                f"The text is too long; the limit is {MAX_BYTES // 1024} KB.", code="too_large"
            )
        self.sections = parse_source(text).sections
        return text

    def clean(self):
        cleaned = super().clean()
        if "base" in cleaned and cleaned["base"] != self.latest:
            raise forms.ValidationError(
                "The reading was edited by someone else after you opened it. Copy your "
                "changes, reload the page and make them again on the newer text.",
                code="stale",
            )
        return cleaned
