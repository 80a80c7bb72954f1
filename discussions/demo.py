"""The demo course's first discussion: the seed blog post, word for word, with its six
responses by the demo students named as in the seed, in the seed's order."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from destalin import times
from destalin.models import Role, User
from discussions.models import Prompt, RevealMode
from discussions.post_services import post_reply
from discussions.services import save_prompt
from readings.models import Reading

SEED = Path(settings.BASE_DIR) / "fixtures" / "discussions" / "secret-speech.json"
READINGS = ["dilemmas-of-de-stalinisation", "destalinization"]


@transaction.atomic
def ensure_demo_discussion(course):
    """Create the seed prompt and its responses unless the course already has it."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    if course.prompts.filter(title=seed["title"]).exists():
        return course.prompts.get(title=seed["title"])
    now = timezone.now()
    zone = times.course_zone(course)
    prompt = save_prompt(
        prompt=Prompt(
            course=course,
            title=seed["title"],
            body=seed["body_markdown"],
            opens_at=now - timedelta(days=3),
            # 11:59 PM on the course's wall clock, a week from today there.
            due_at=times.end_of_day(times.local_date(now, zone) + timedelta(days=7), zone),
            points_possible=10,
            reveal_mode=RevealMode.AFTER_POST,
            required_responses=1,
            required_replies=1,
            is_published=True,
        ),
        readings=Reading.objects.filter(slug__in=READINGS),
    )
    authors = {u.display_name: u for u in User.objects.filter(memberships__course=course)}
    for n, response in enumerate(seed["responses"]):
        post_reply(
            prompt=prompt,
            author=authors[response["author"]],
            role=Role.STUDENT,
            body=response["body_markdown"],
            now=now - timedelta(days=2) + timedelta(hours=3 * n),
        )
    return prompt
