import pytest

from discussions.models import RevealMode
from tests.factories import PromptFactory


@pytest.fixture
def prompt(course):
    """A published, open-reveal prompt in HIST 274 with one response and one reply required."""
    return PromptFactory(course=course, required_responses=1, required_replies=1)


@pytest.fixture
def guarded(course):
    """A prompt whose classmates' posts appear only after one's own 10-word response."""
    return PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=10)
