from django import forms

from destalin.models import Course
from discussions.models import AuditAction, Flag
from discussions.moderation.services import MAX_REASON


class ActionForm(forms.Form):
    action = forms.ChoiceField()
    reason = forms.CharField(
        required=False,
        max_length=MAX_REASON,
        error_messages={"max_length": "Keep the reason under %(limit_value)d characters."},
    )

    def __init__(self, *args, post, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["action"].choices = [(a, a) for a in actions]

    def clean_action(self):
        action = self.cleaned_data["action"]
        if self.post.is_deleted and action != "delete":
            raise forms.ValidationError("This post was deleted. Restore it first.")
        if action == "approve" and self.post.held_at is None and self.post.pending_at is None:
            raise forms.ValidationError("This post is not waiting for review.")
        if action == "decline" and self.post.pending_at is None:
            raise forms.ValidationError("This post has no edit waiting for review.")
        return action


class FlagForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ["reason", "details"]
        widgets = {"reason": forms.RadioSelect}
        labels = {"reason": "What is wrong with it?"}
        help_texts = {"details": "Optional. The author is never told who flagged the post."}


class ModerationSettingsForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["hold_posts", "word_list"]
        widgets = {"word_list": forms.Textarea(attrs={"rows": 8})}


class LogFilterForm(forms.Form):
    actor = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *AuditAction.choices]
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Anyone"), *((p.pk, p.display_name) for p in people)]
