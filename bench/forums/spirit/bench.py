"""Spirit: one category, 30 users, one topic of 1,000 comments, made by Spirit's own forms.

Spirit keeps comments per page in djconfig: its admin's "comments per page", at most 100, and
djconfig validates the stored value against that form on every load, so 100 is a real cap. It is
measured twice: the ten pages of 100 that Spirit allows, added up, and the whole thread on one
page through djconfig's test override (what djconfig.utils.override_djconfig does).
"""

import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import forumbench
from forumbench import POSTS, USERS, post_text

CAP = 100  # spirit.admin.forms.BasicConfigForm: comments_per_page max_value=100


def set_comments_per_page(value):
    """Store it as djconfig's ConfigForm.save() does; past the cap, override it in memory."""
    from django.utils import timezone
    from djconfig import conf
    from djconfig.models import Config

    stored = str(min(value, CAP))
    Config.objects.update_or_create(key="comments_per_page", defaults={"value": stored})
    Config.objects.update_or_create(key="_updated_at", defaults={"value": str(timezone.now())})
    conf.config._reload()
    # The middleware reloads only when _updated_at changes, so this lasts for the measurement.
    conf.config._set("comments_per_page", value)


def seed():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from spirit.category.models import Category
    from spirit.comment.forms import CommentForm
    from spirit.comment.utils import comment_posted
    from spirit.topic.forms import TopicForm

    users = [
        get_user_model().objects.create_user(f"student{n:02d}", f"s{n}@example.edu", "x")
        for n in range(USERS)
    ]
    category = Category.objects.create(title="Bench", description="One long thread")
    form = TopicForm(users[0], data={"title": "The Thaw", "category": category.pk})
    assert form.is_valid(), form.errors
    topic = form.save()
    # The first comment is the topic's body, as when Spirit publishes a topic.
    for n in range(1, POSTS + 1):
        form = CommentForm(user=users[(n - 1) % USERS], topic=topic, data={"comment": post_text(n)})
        assert form.is_valid(), form.errors
        comment = form.save()
        comment_posted(comment=comment, mentions=form.mentions)

    client = Client()
    client.force_login(users[1])
    url = topic.get_absolute_url()
    needles = forumbench.last_needles(POSTS)

    def whole():
        set_comments_per_page(POSTS)
        return [(url, needles[0])]

    def capped():
        set_comments_per_page(CAP)
        return [(f"{url}?page={k}", n) for k, n in enumerate(forumbench.last_needles(CAP), 1)]

    return client, [
        (CAP, capped, "capped at 100 per page: pages added up"),
        (POSTS, whole, "one page past the cap, by djconfig's test override"),
    ]


if __name__ == "__main__":
    from importlib.metadata import version

    forumbench.run("spirit", version("django-spirit"), seed)
