"""The template filter for people's text where ``<bdi>`` cannot go: ``<title>``, ``<option>``
labels, attribute values (``aria-label``, ``title``, ``content``).

Such text is plain, so nothing can close a bidi control a name or title opens: a U+202E in a
display name would reverse the rest of the tab's title or of a screen reader's label.
``{{ text|stripbidi }}`` drops the controls (``destalin.text.strip_bidi_controls``); letters
keep their own direction. ``base.html`` runs it over the whole ``<title>`` and the meta
description, and Django's option templates (``templates/django/forms/widgets/``) over every
option label, so those need nothing in the page's template.
"""

from django import template

from destalin.text import strip_bidi_controls

register = template.Library()


@register.filter(is_safe=True)
def stripbidi(text):
    """``text`` without bidi control characters (already escaped text stays safe)."""
    return strip_bidi_controls(str(text))
