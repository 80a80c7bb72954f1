"""django-machina: one forum, 30 users, one topic of 1,000 posts, made by machina's own forms.

Post.content is a MarkupTextField: saving a post renders its Markdown into _content_rendered,
which is what the topic page shows. The first post is the topic's own, as machina makes it.
"""

import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import forumbench
from forumbench import POSTS, USERS, post_text


def seed():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.forms import PostForm, TopicForm

    users = [
        get_user_model().objects.create_user(f"student{n:02d}", f"s{n}@example.edu", "x")
        for n in range(USERS)
    ]
    forum = Forum.objects.create(name="Bench", type=Forum.FORUM_POST)
    data = {"subject": "The Thaw", "content": post_text(1), "enable_signature": False}
    form = TopicForm(user=users[0], forum=forum, data=data)
    assert form.is_valid(), form.errors
    topic = form.save().topic
    for n in range(2, POSTS + 1):
        data = {"subject": "Re: The Thaw", "content": post_text(n), "enable_signature": False}
        form = PostForm(user=users[(n - 1) % USERS], forum=forum, topic=topic, data=data)
        assert form.is_valid(), form.errors
        form.save()

    client = Client()
    client.force_login(users[1])
    url = reverse("forum_conversation:topic", args=[forum.slug, forum.pk, topic.slug, topic.pk])
    pages = [(url, forumbench.last_needles(POSTS)[0])]
    return client, [(POSTS, lambda: pages, "")]


if __name__ == "__main__":
    from importlib.metadata import version

    forumbench.run("machina", version("django-machina"), seed)
