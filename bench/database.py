"""The database a benchmark runs on: a fresh one of its own, made and dropped without a
question. Django's test runner asks before deleting a stale test database (one an interrupted
run left behind), and a benchmark run from `make bench` has no one to answer: it crashed with
EOFError. Each benchmark names its own database, so it never meets the test suite's
``test_<NAME>`` or another benchmark's."""

from contextlib import contextmanager


@contextmanager
def fresh_database(name):
    """Run the block on a new empty database, migrated: ``test_bench_<name>_<database>`` on
    PostgreSQL, ``<database>`` being DATABASE_URL's, so benchmarks run from clones on different
    databases of one server never drop each other's (a stale one of that name is dropped
    first, without asking); in memory on SQLite. It is dropped on the way out, whatever the
    block raised."""
    from django.db import connections
    from django.test.runner import DiscoverRunner

    settings = connections["default"].settings_dict
    settings["TEST"]["NAME"] = (
        None
        if connections["default"].vendor == "sqlite"
        else f"test_bench_{name}_{settings['NAME']}"
    )
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old)
