from django import forms

from destalin.forms import CourseTimeField, VisibleTextMixin, take_course_times
from destalin.models import User
from discussions.models import Post, Prompt, RevealMode, Visibility
from readings.forms import DateTimeInput
from readings.models import Reading

MAX_POST = Post._meta.get_field("body").max_length


RULE_FIELDS = ("min_words", "required_responses", "required_replies", "required_sections", "due_at")


class PromptForm(VisibleTextMixin, forms.ModelForm):
    readings = forms.ModelMultipleChoiceField(
        queryset=Reading.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Links to them appear on the prompt.",
    )

    class Meta:
        model = Prompt
        fields = [
            "title", "body", "readings", "opens_at", "due_at", "cutoff_at", "points_possible",
            "reveal_mode", "min_words", "required_responses", "required_replies",
            "required_sections", "hold_posts", "is_published",
        ]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "opens_at": DateTimeInput(),
            "due_at": DateTimeInput(),
            "cutoff_at": DateTimeInput(),
            "reveal_mode": forms.RadioSelect,
        }
        field_classes = {"opens_at": CourseTimeField, "due_at": CourseTimeField,
                         "cutoff_at": CourseTimeField}  # fmt: skip
        help_texts = {"body": "Markdown: *emphasis*, lists, > quotes, [links](https://…)."}

    def rules_changed(self):
        """Whether the rules students are measured by (minimum words, required posts, due
        date) were changed."""
        return any(name in self.changed_data for name in RULE_FIELDS)

    def __init__(self, *args, course, can_set_hold=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readings"].queryset = Reading.objects.filter(assignments__course=course)
        take_course_times(self, course)
        if not can_set_hold:
            # Shown but fixed: a posted value is ignored and the stored one kept.
            self.fields["hold_posts"].disabled = True
            self.fields["hold_posts"].help_text = "Only the instructor changes this in this course."
        self.fields["required_replies"].validators.append(_at_most(10))
        self.fields["required_responses"].validators.append(_at_most(10))
        if self.instance.is_annotation:
            # The margin of one reading: its notes point into that reading already.
            del self.fields["readings"]
            # The reading is the prompt: instructions are welcome, not required (the model
            # allows a blank body for this; a discussion's form requires one).
            self.fields["required_sections"].validators.append(_at_most(50))
            for name, label in ANNOTATION_LABELS.items():
                self.fields[name].label = label
        else:
            self.fields["body"].required = True
            del self.fields["required_sections"]

    def clean(self):
        cleaned = super().clean()
        opens, due, cutoff = (cleaned.get(k) for k in ("opens_at", "due_at", "cutoff_at"))
        if opens and due and due < opens:
            self.add_error("due_at", "The due date must come after the opening.")
        if due and cutoff and cutoff < due:
            self.add_error("cutoff_at", "The cut-off cannot come before the due date.")
        if opens and cutoff and cutoff <= opens:
            self.add_error("cutoff_at", "The cut-off must come after the opening.")
        if cleaned.get("reveal_mode") == RevealMode.AFTER_DUE and not due:
            self.add_error("due_at", "Revealing posts after the due date needs a due date.")
        return cleaned


# An annotation assignment's requirements in Perusall's words: notes, not responses.
ANNOTATION_LABELS = {
    "body": "Instructions",
    "min_words": "Minimum words per note",
    "required_responses": "Notes required",
    "required_replies": "Replies to classmates' notes required",
    "required_sections": "Sections with a note required",
    "reveal_mode": "Who sees classmates' notes",
}


def _at_most(limit):
    def check(value):
        if value > limit:
            raise forms.ValidationError(f"At most {limit}.")

    return check


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your post",
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Markdown: *emphasis*, **strong**, lists, > block quotes, [links](https://…). "
            "No images or HTML."
        ),
        error_messages={
            "required": "Write something before posting.",
            "max_length": "Posts can be at most %(limit_value)d characters (this one has "
            "%(show_value)d). Shorten it; your text is still here.",
        },
    )


class ExtensionForm(forms.Form):
    student = forms.ModelChoiceField(queryset=User.objects.none())
    due_at = CourseTimeField(label="New due date", required=False, widget=DateTimeInput())
    cutoff_at = CourseTimeField(label="New cut-off", required=False, widget=DateTimeInput())

    def __init__(self, *args, students, course, **kwargs):
        super().__init__(*args, **kwargs)
        take_course_times(self, course)
        self.fields["student"].queryset = User.objects.filter(pk__in=[s.pk for s in students])

    def clean(self):
        cleaned = super().clean()
        due, cutoff = cleaned.get("due_at"), cleaned.get("cutoff_at")
        if due and cutoff and cutoff < due:
            self.add_error("cutoff_at", "The cut-off cannot come before the due date.")
        return cleaned


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notify_replies", "notify_new_responses", "notify_grades"]


class NoteForm(PostForm):
    """A note in a reading's margin: the words it is about, the note, who reads it, and
    whether it asks a question (Perusall's and Hypothesis's choices)."""

    exact = forms.CharField(
        label="The words you are writing about",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Copy them from the paragraph above, or leave this empty to write about the "
        "whole paragraph.",
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=Visibility.choices,
        initial=Visibility.COURSE,
        widget=forms.RadioSelect,
    )
    is_question = forms.BooleanField(
        label="This is a question",
        required=False,
        help_text="Questions are counted apart, so the instructor sees where the class is unsure.",
    )

    field_order = ["exact", "body", "visibility", "is_question"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Your note"
