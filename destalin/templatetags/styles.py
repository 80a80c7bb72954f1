"""``{% critical_css %}``: the first paint's style sheet inline (``destalin.critical_css``)."""

from django import template
from django.utils.safestring import mark_safe

from destalin import critical_css as sheet

register = template.Library()


@register.simple_tag
def critical_css():
    """A ``<style>`` element holding critical.css exactly, as the CSP hash allows it. The text
    is ours, from a file: escaping it would change the hash, and it holds no ``</style>``."""
    return mark_safe(f"<style>{sheet.text()}</style>")
