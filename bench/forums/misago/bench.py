"""Misago: 30 users and one thread of 1,000 posts in the category Misago's migrations create.

Posts go through Misago's markup pipeline (common_flavour, as its posting API parses a reply)
and get the search document, search vector, checksum and read marker that its reply middleware
gives them; thread and category totals come from their own synchronize(). The posting API
itself is not used: its flood protection and notifications would only slow the seeding.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import forumbench
from forumbench import POSTS, USERS, post_text


def seed():
    from django.contrib.auth import get_user_model
    from django.test import Client, RequestFactory
    from django.utils import timezone
    from misago.categories.models import Category
    from misago.conf.cache import clear_settings_cache
    from misago.conf.models import Setting
    from misago.conf.shortcuts import get_dynamic_settings
    from misago.markup import common_flavour
    from misago.readtracker.poststracker import save_read
    from misago.threads.checksums import update_post_checksum
    from misago.threads.models import Post, Thread
    from misago.users.setupnewuser import setup_new_user

    users = []
    for n in range(USERS):
        # As Misago's registration API does: default options, and an avatar drawn for each.
        user = get_user_model().objects.create_user(f"student{n:02d}", f"s{n}@example.edu", "x")
        setup_new_user(get_dynamic_settings(), user)
        users.append(user)
    category = Category.objects.get(slug="first-category")
    start = timezone.now() - timedelta(days=1)
    thread = Thread(category=category, started_on=start, last_post_on=start)
    thread.set_title("The Thaw")
    thread.starter_name = thread.last_poster_name = users[0].username
    thread.starter_slug = thread.last_poster_slug = users[0].slug
    thread.save()
    request = RequestFactory().post("/")
    for n in range(1, POSTS + 1):
        user = users[(n - 1) % USERS]
        request.user = user
        parsed = common_flavour(request, user, post_text(n))
        # Distinct, increasing times: the page orders by id, but "posted on" shows them.
        when = start + timedelta(seconds=n)
        post = Post(category=category, thread=thread, poster=user, poster_name=user.username)
        post.original, post.parsed = parsed["original_text"], parsed["parsed_text"]
        post.posted_on = post.updated_on = when
        post.set_search_document(thread.title if n == 1 else None)
        post.save()
        post.update_search_vector()
        update_post_checksum(post)
        post.save(update_fields=["checksum", "search_vector"])
        save_read(user, post)
        if n == 1:
            thread.set_first_post(post)
    thread.synchronize()
    thread.save()
    category.synchronize()
    category.save()
    for user in users:
        user.posts = user.post_set.count()
        user.save(update_fields=["posts"])

    # Misago has no upper bound here (its admin form only asks for at least 5).
    Setting.objects.change_setting("posts_per_page", wet_value=POSTS)
    clear_settings_cache()

    client = Client()
    client.force_login(users[1])
    pages = [(thread.get_absolute_url(), forumbench.last_needles(POSTS)[0])]
    return client, [(POSTS, lambda: pages, "")]


if __name__ == "__main__":
    from importlib.metadata import version

    forumbench.run("misago", version("misago"), seed)
