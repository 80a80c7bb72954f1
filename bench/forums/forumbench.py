"""What every engine's bench measures the same way; each <engine>/bench.py imports this.

It mirrors the project's own thread benchmark (bench/timing.py, bench/thread.py): Django's test
databases (in-memory SQLite, or a fresh test_<NAME> on PostgreSQL, dropped afterwards), the test
client through the engine's whole middleware stack, the median of ROUNDS after one warm-up, and
the query count of one more request. Runs inside the engine's venv, so any Django from 4.2 on.
"""

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from urllib.parse import unquote, urlsplit

POSTS = int(os.environ.get("FORUMBENCH_POSTS", "1000"))
USERS = 30
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
# About forty words of plain prose: no markup, so every engine's renderer yields one paragraph.
FILLER = (
    "was posted in the thread about the Thaw and its limits, weighing the secret speech against "
    "what followed in Hungary, the release of prisoners from the camps, the return of censorship "
    "after Pasternak, and what ordinary readers could say aloud in nineteen fifty six"
)


def post_text(n):
    """Post n's body (1-based). The zero-padded marker is unique: 'marker0100' is not in 1000."""
    return f"Reply marker{n:04d} {FILLER}."


# Settings every engine's project shares (each settings.py imports them by name).
DEBUG = False
SECRET_KEY = "forumbench-only-not-secret"
ALLOWED_HOSTS = ["testserver"]
ROOT_URLCONF = "urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"


def scratch_dir(engine):
    """A directory for the engine's uploads, avatars and search index, gone at exit."""
    path = tempfile.mkdtemp(prefix=f"forumbench-{engine}-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def databases(engine):
    """SQLite unless DATABASE_URL is set. The test runner creates test_forumbench_<engine>."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"forumbench: only PostgreSQL URLs are supported, not {parts.scheme}")
    # Our own name whatever the URL's database is: the runner drops and recreates test_<NAME>,
    # and must never touch the URL's database or its test_ twin.
    return {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": f"forumbench_{engine}",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    }


def run(engine, version, seed):
    """Set up Django and a fresh test database, seed it, measure, print the JSON line.

    seed() returns (client, variants); a variant is (per_page, pages, note), pages a callable
    that applies the variant's settings and returns [(url, needle)], one per page of the thread,
    needle being the whole text of that page's last post.
    """
    import django
    from django.test.runner import DiscoverRunner

    django.setup()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        start = time.perf_counter()
        client, variants = seed()
        seconds = time.perf_counter() - start
        print(f"{engine}: seeded {POSTS} posts in {seconds:.0f} s", file=sys.stderr)
        for per_page, make_pages, note in variants:
            pages = make_pages()
            result = measure(client, pages)
            row = {"engine": engine, "version": version, "django": django.get_version()}
            row |= {"database": _vendor(), "posts": POSTS, **result}
            row |= {"per_page": per_page, "pages": len(pages)}
            if note:
                row["note"] = note
            print(json.dumps(row), flush=True)
    finally:
        runner.teardown_databases(old)


def measure(client, pages):
    """Thread time = the sum of each page's median; queries and size add up the same way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    total_ms = queries = size = 0
    for url, needle in pages:

        def get(url=url, needle=needle):
            response = client.get(url)
            # A page that errors, redirects or stops short would look fast: refuse to time it.
            assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
            assert needle.encode() in response.content, f"{url}: {needle[:17]!r}... missing"
            return response

        get()
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            get()
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            size += len(get().content)
        total_ms += statistics.median(timings)
        queries += len(captured)
    return {"median_ms": round(total_ms, 1), "queries": queries, "kb": round(size / 1024)}


def last_needles(per_page):
    """Each page's needle: the text of its last post, which plain prose renders verbatim."""
    ends = range(per_page, POSTS + per_page, per_page)
    return [post_text(min(end, POSTS)) for end in ends]


def _vendor():
    from django.db import connection

    return connection.vendor
