"""Health checks for load balancers and orchestrators: cheap, unauthenticated, JSON.

``/healthz`` says the process answers (no database). ``/readyz`` says it can serve: the
database answers, the cache stores and reads back, and no migration is waiting.
"""

import logging
import time

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)
# Migrations only change with a deploy, which restarts the process: once none is pending,
# the (costly) check is not repeated.
_migrated = False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database(), "cache": _cache(), "migrations": _migrations()}
    ready = all(check == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)  # fmt: skip


def _database():
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("Readiness: the database does not answer")
        return "unavailable"
    return "ok"


def _cache():
    key, value = "destalin:readyz", str(time.monotonic())
    try:
        cache.set(key, value, 10)
        return "ok" if cache.get(key) == value else "unavailable"
    except Exception:
        log.exception("Readiness: the cache does not answer")
        return "unavailable"


def _migrations():
    global _migrated
    if _migrated:
        return "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        log.exception("Readiness: migrations could not be checked")
        return "unavailable"
    _migrated = not pending
    return "ok" if _migrated else "pending"
