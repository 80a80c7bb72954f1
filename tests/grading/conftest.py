"""A graded discussion in HIST 274: ten points, one response and one reply to a classmate
required. Cleo responds and replies to Dora; Dora responds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PromptFactory, make_post


@pytest.fixture
def graded(course, ada, ben, cleo, dora):
    return PromptFactory(
        course=course,
        title="Was 1956 a turning point?",
        points_possible=10,
        required_responses=1,
        required_replies=1,
        due_at=timezone.now() + timedelta(days=3),
    )


@pytest.fixture
def posts(graded, cleo, dora):
    dora_response = make_post(graded, dora, "Dora argues that 1956 changed little in the camps.")
    cleo_response = make_post(graded, cleo, "Cleo argues the speech broke the spell of Stalin.")
    cleo_reply = make_post(graded, cleo, "But the camps emptied, Dora.", parent=dora_response)
    dora_answer = make_post(graded, dora, "Only partly, Cleo.", parent=cleo_reply)
    return {
        "dora_response": dora_response,
        "cleo_response": cleo_response,
        "cleo_reply": cleo_reply,
        "dora_answer": dora_answer,
    }
