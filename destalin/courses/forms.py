"""Forms of the course-wide pages."""

from django import forms

from destalin.models import Role


class RoleForm(forms.Form):
    """A member's new role, from the class list."""

    role = forms.ChoiceField(choices=Role.choices)
