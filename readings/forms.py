from django import forms

from destalin.forms import CourseTimeField, take_course_times
from readings.models import Assignment, Reading


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
