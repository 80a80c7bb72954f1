"""Which new posts wait for a moderator: all students' posts where the course or the prompt
says so, and any containing a word or phrase of the course's list. Matching ignores case and
accents and looks for whole words (so "ass" never holds "class")."""

import html
import re

from django.utils.html import strip_tags

from destalin.markdown import render_text
from destalin.permissions import TEACHING_ROLES
from destalin.text import fold

WORD_LIST_REASON = "It contains a word or phrase on the course's list."


def hold_reason(*, prompt, role, body, private=False):
    """Why a post or an edit waits for a moderator, or "" to publish it: a listed word, or a
    course or prompt that holds posts (edits included: holding that an edit could undo would
    hold nothing). Teachers' posts never wait, nor a private note in a reading's margin
    (``private``): no one but its author reads it, so no moderator may either."""
    if role in TEACHING_ROLES or private:
        return ""
    if word_listed(prompt.course.word_list, body):
        return WORD_LIST_REASON
    if prompt.hold_posts or prompt.course.hold_posts:
        return "Posts in this discussion are approved by the instructor before others see them."
    return ""


def word_listed(word_list, body):
    """The listed entry a post contains, in its Markdown or as readers see it rendered
    (entities decoded, emphasis inside a word joined), or None."""
    if not word_list.strip():
        return None
    shown = html.unescape(strip_tags(render_text(body)))
    return matches(word_list, body) or matches(word_list, shown)


def entries(word_list):
    return [" ".join(fold(line).split()) for line in word_list.splitlines() if line.strip()]


def matches(word_list, text):
    """The first listed word or phrase the text contains, or None."""
    folded = " ".join(fold(text).split())
    for entry in entries(word_list):
        if re.search(rf"(?<!\w){re.escape(entry)}(?!\w)", folded):
            return entry
    return None
