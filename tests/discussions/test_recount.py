from io import StringIO

import pytest
from django.core.management import call_command

from discussions.models import Participation, Prompt
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_recount_repairs_counters(cleo, dora, prompt):
    theirs = make_post(prompt, dora, "Dora responds.")
    make_post(prompt, cleo, "Cleo responds.")
    make_post(prompt, cleo, "Reply.", parent=theirs)
    Prompt.objects.filter(pk=prompt.pk).update(post_count=99)
    Participation.objects.filter(user=cleo).update(replies=0, classmates_replied_to=0, met_at=None)
    out = StringIO()
    call_command("recount_discussions", stdout=out)
    prompt.refresh_from_db()
    participation = Participation.objects.get(user=cleo, prompt=prompt)
    assert prompt.post_count == 3
    assert (participation.replies, participation.classmates_replied_to) == (1, 1)
    assert participation.met_at is not None
    assert "Post counts fixed on 1 prompts" in out.getvalue()
