"""Which new posts wait for a moderator: all students' posts where the course or the prompt
says so, and any containing a word or phrase of the course's list. Matching ignores case and
accents and looks for whole words (so "ass" never holds "class")."""

import re
import unicodedata

from destalin.permissions import TEACHING_ROLES


def hold_reason(*, prompt, role, body):
    """Why a new post waits for a moderator, or "" to publish it. Teachers' posts never wait."""
    if role in TEACHING_ROLES:
        return ""
    if matches(prompt.course.word_list, body):
        return "It contains a word or phrase on the course's list."
    if prompt.hold_posts or prompt.course.hold_posts:
        return "Posts in this discussion are approved by the instructor before others see them."
    return ""


def fold(text):
    """Text without case or accents: "Ústí" and "usti" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def entries(word_list):
    return [" ".join(fold(line).split()) for line in word_list.splitlines() if line.strip()]


def matches(word_list, text):
    """The first listed word or phrase the text contains, or None."""
    folded = " ".join(fold(text).split())
    for entry in entries(word_list):
        if re.search(rf"(?<!\w){re.escape(entry)}(?!\w)", folded):
            return entry
    return None
