from django import forms
from django.conf import settings

from destalin.forms import CourseTimeField, VisibleTextMixin, take_course_times
from readings.intake.document import ConversionError
from readings.intake.formats import ACCEPT, identify
from readings.intake.sections import block_starts
from readings.models import Assignment, Kind, Reading
from readings.sources import MAX_BYTES, parse_source

# Pasted text: a long chapter (about 30,000 words) fits, and its form stays inside Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE even URL-encoded.
PASTE_MAX_CHARACTERS = 200_000


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


class UploadReadingForm(forms.Form):
    """A file to make a reading of. Its bytes must agree with its name's format and, for a
    ZIP container, be safe to unpack; ``file_format`` is then in ``cleaned_data``."""

    file = forms.FileField(
        label="File",
        help_text="PDF, Word (.docx), OpenDocument (.odt), EPUB, a saved web page (.html), "
        "Markdown (.md) or plain text (.txt).",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.READING_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is too large ({file.size // (1024 * 1024)} MB); the limit is "
                f"{settings.READING_UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
                code="too_large",
            )
        try:
            self.cleaned_data["file_format"] = identify(file, file.name)
        except ConversionError as error:
            raise forms.ValidationError(str(error), code=error.code) from error
        return file


class PasteReadingForm(forms.Form):
    """A text pasted in, with the title it will have (or one found in it)."""

    title = forms.CharField(
        max_length=300,
        required=False,
        help_text="Optional when the text names itself (a Markdown title or front matter); "
        "you can change it before publishing.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=PASTE_MAX_CHARACTERS,
        help_text="Paragraphs are separated by an empty line.",
    )
    is_markdown = forms.TypedChoiceField(
        label="The text is",
        choices=[("0", "Plain text: shown as written"), ("1", "Markdown: ## starts a section")],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )


class SectionsForm(forms.Form):
    """Corrections to a converted document's sections: for each, its title, whether it is
    front matter to skip, whether it joins the one before, and where to split it."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for number, section in enumerate(sections, start=1):
            names = [f"{key}_{number}" for key in ("title", "skip", "join", "split")]
            self.fields[names[0]] = forms.CharField(
                label=f"Title of section {number}",
                max_length=300,
                required=False,
                initial=section["title"],
            )
            self.fields[names[1]] = forms.BooleanField(
                label="Skip (front matter)", required=False, initial=section["skip"]
            )
            if number > 1:
                self.fields[names[2]] = forms.BooleanField(
                    label="Join to the section before", required=False
                )
            self.fields[names[3]] = forms.TypedChoiceField(
                label="Split before",
                choices=[("", "Do not split"), *block_starts(section["body"])],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.rows.append([self[name] for name in names if name in self.fields])

    def changes(self):
        """One dict per section for ``uploads.edit_sections``."""
        data = self.cleaned_data
        return [
            {
                "title": data[f"title_{n}"],
                "skip": data[f"skip_{n}"],
                "join": data.get(f"join_{n}", False),
                "split_at": data[f"split_{n}"],
            }
            for n in range(1, len(self.rows) + 1)
        ]


class PublishForm(VisibleTextMixin, AssignmentForm):
    """The reading's details, filled from the document's metadata, and its assignment: the
    due date, instructions and which sections (``part``; none chosen is all of them)."""

    title = forms.CharField(max_length=300)
    author = forms.CharField(max_length=200, required=False, help_text="Empty if unknown.")
    source = forms.CharField(
        max_length=200, required=False, help_text="The book, journal or site it comes from."
    )
    citation = forms.CharField(
        max_length=500, required=False, help_text="How students should cite it."
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.ARTICLE)
    part = forms.TypedMultipleChoiceField(
        label="Assign only these sections",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to assign the whole reading.",
    )

    class Meta(AssignmentForm.Meta):
        fields = ["title", "author", "source", "citation", "kind", "due_at", "instructions",
                  "part"]  # fmt: skip

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [
            (n, section["title"] or f"Section {n} (untitled)")
            for n, section in enumerate(sections, start=1)
        ]
