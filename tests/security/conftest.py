"""The world every access test runs in: HIST 274 with its people (tests/conftest.py), the
reading "The Thaw", and a prompt where Cleo's post quotes it."""

import pytest

from discussions.models import Quote
from discussions.notifications import unsubscribe_token
from tests.factories import make_post


@pytest.fixture
def world(people, course, thaw, prompt_with_post):
    return prompt_with_post


@pytest.fixture
def prompt_with_post(course, thaw, cleo, dora):
    from discussions.selectors import quote_markdown
    from readings.models import Paragraph
    from tests.factories import PromptFactory

    prompt = PromptFactory(course=course)
    paragraph = Paragraph.objects.select_related("reading", "section").get(reading=thaw, number=1)
    body = quote_markdown(course=course, paragraph=paragraph, text=paragraph.text) + "Mine."
    post = make_post(prompt, cleo, body)
    return {
        "prompt": prompt.pk,
        "post": post.pk,
        "quote": Quote.objects.get(post=post).pk,
        "token": unsubscribe_token(cleo, "replies"),
    }
