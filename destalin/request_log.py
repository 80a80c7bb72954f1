"""One structured log line per request: what was asked, how it went, how long it took, who
asked and in which course. Never a query string, a post, an email address or a password:
only the route, ids and the course's slug."""

import json
import logging
import time

log = logging.getLogger("destalin.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        log.info(
            json.dumps(
                {
                    "event": "request",
                    "method": request.method,
                    "route": match.view_name if match else None,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "course": match.kwargs.get("course") if match else None,
                },
                separators=(",", ":"),
            )
        )
        return response
