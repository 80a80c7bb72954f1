"""Seed 001 ships in the demo course as the first prompt, word for word."""

import html
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from destalin.models import Course
from discussions.models import Post

SEED = Path(__file__).parents[1] / "readings" / "seed_texts" / "001_8351f68702ad0932.txt"
SKIP = json.loads((SEED.parent / "chrome.json").read_text(encoding="utf-8"))[SEED.name]

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("loaddata", "readings", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    return Course.objects.get(slug="hist-274-fall-2026")


def test_the_seed_prompt_and_its_six_responses_are_word_for_word(client, demo):
    prompt = demo.prompts.get()
    client.force_login(demo.memberships.get(role="instructor").user)
    page = re.sub(r"<[^>]+>", " ", client.get(prompt.get_absolute_url()).content.decode())

    text = re.sub(r"\s+", "", html.unescape(page))
    dropped = set(SKIP["chrome"]) | set(SKIP["metadata"])
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    sentences = [
        s
        for line in lines
        if line and line not in dropped
        for s in re.split(r"(?<=[.!?])\s+", line)
    ]
    assert len(sentences) > 30
    assert [s for s in sentences if re.sub(r"\s+", "", s) not in text] == []


def test_responses_are_by_the_named_students_in_the_seeds_order(demo):
    authors = list(
        Post.objects.filter(prompt__course=demo)
        .order_by("created_at")
        .values_list("author__display_name", flat=True)
    )
    assert authors == ["sowelld", "ianfries", "rodriver", "lernerm", "Chance Robbins", "Danielle"]


def test_seeding_twice_changes_nothing(demo, settings):
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    assert demo.prompts.count() == 1
    assert Post.objects.count() == 6
