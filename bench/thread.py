"""Thread page benchmark: `make bench`. Not a test; it never fails because a machine is slow.

For 100, 1,000 and 5,000 posts it reports, measured in the same run on the same database:
the median server time of the thread page (through the whole middleware stack, test client),
the floor (a bare template looping over the same posts' pre-rendered HTML, no database), their
ratio, a minimal view through the same middleware, and the page's query count. The three are
timed in turn, round by round (``bench.timing.interleaved_medians_ms``), so the machine's
noise falls on all of them alike. With BENCH_JSON set it prints one JSON line per size, for
bench/forums/run.py.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import interleaved_medians_ms  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,5000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
# One JSON line per size instead of the table, for bench/forums/run.py.
AS_JSON = bool(os.environ.get("BENCH_JSON"))
FLOOR = Template(
    "{% for post in posts %}<article>{{ post.author.display_name }}"
    "{{ post.body_html|safe }}</article>{% endfor %}"
)


def build(size):
    from destalin.models import Course, Membership, Role, User
    from discussions.models import Post, Prompt, RevealMode

    course = Course.objects.create(title="Bench", code=f"B{size}", term="T", slug=f"bench-{size}")
    users = [
        User.objects.create_user(
            email=f"b{size}-{n}@example.edu", password="x", display_name=f"Student {n}"
        )
        for n in range(30)
    ]
    Membership.objects.bulk_create(
        Membership(user=u, course=course, role=Role.STUDENT) for u in users
    )
    prompt = Prompt.objects.create(
        course=course,
        title="Bench",
        body="b",
        body_html="<p>b</p>",
        reveal_mode=RevealMode.OPEN,
        is_published=True,
    )
    html = "<p>" + "A reply of about forty words on the Thaw and its limits. " * 4 + "</p>\n"
    responses = size // 4
    posts = Post.objects.bulk_create(
        Post(
            prompt=prompt,
            author=users[n % 30],
            author_role=Role.STUDENT,
            body="x",
            body_html=html,
            word_count=40,
        )
        for n in range(size)
    )
    # Three quarters are replies, spread over the responses, up to a few levels deep.
    for n, post in enumerate(posts):
        if n < responses:
            post.path, post.depth = f"{post.pk:010d}", 0
        else:
            parent = posts[(n * 7) % n if n % 3 else n % responses]
            post.parent_id = parent.pk
            post.root_id = parent.root_id or parent.pk
            post.depth = parent.depth + 1
            post.path = parent.path + f"{post.pk:010d}"
    Post.objects.bulk_update(posts, ["path", "depth", "parent_id", "root_id"], batch_size=500)
    if connection.vendor == "postgresql":
        # What autovacuum would soon do anyway, done before timing rather than during it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE discussions_post, destalin_user")
    return prompt, users[0]


def measure(size):
    from discussions.models import Post

    prompt, user = build(size)
    client = Client()
    client.force_login(user)
    url = prompt.get_absolute_url()
    assert client.get(url).status_code == 200
    posts = list(Post.objects.filter(prompt=prompt).select_related("author").order_by("path"))
    page, floor, minimal = interleaved_medians_ms(
        lambda: client.get(url),
        lambda: FLOOR.render(Context({"posts": posts})),
        lambda: client.get("/bench/minimal/"),
        rounds=ROUNDS,
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return page, floor, minimal, len(queries), len(response.content)


def _row(size, page, queries, size_bytes):
    """The page as bench/forums/run.py lists the forum engines beside it."""
    return {
        "engine": "destalin",
        "version": "this tree",
        "django": django.get_version(),
        "database": connection.vendor,
        "posts": size,
        "per_page": size,
        "pages": 1,
        "median_ms": round(page, 1),
        "queries": queries,
        "kb": size_bytes // 1024,
    }


def main():
    with fresh_database("thread"), override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        if not AS_JSON:
            print(f"\nThread page on {connection.vendor} (median of {ROUNDS}, milliseconds)")
            print(
                f"{'posts':>6} {'page':>9} {'floor':>9} {'ratio':>6} {'minimal':>9} {'queries':>8}"
            )
        for size in SIZES:
            page, floor, minimal, queries, size_bytes = measure(size)
            if AS_JSON:
                print(json.dumps(_row(size, page, queries, size_bytes)))
            else:
                print(
                    f"{size:>6} {page:>9.1f} {floor:>9.1f} {page / floor:>6.2f} "
                    f"{minimal:>9.1f} {queries:>8}"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
