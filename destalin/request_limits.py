"""How large a request body each view accepts, refused before anything reads it.

Django parses a body when something first asks for ``request.POST`` (the CSRF check does, for
every POST), and a multipart body's files go to disk whatever their size. The middleware here
answers 413 from the declared Content-Length before that, with each view's own ceiling
(``accepts_body``) or ``settings.REQUEST_BODY_LIMIT``. A body sent without a length is read by
Django as empty, so it cannot slip past."""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve


def accepts_body(max_bytes):
    """Decorator: the view accepts request bodies of up to ``max_bytes`` bytes (instead of
    ``settings.REQUEST_BODY_LIMIT``)."""

    def decorate(view):
        view.max_body_bytes = max_bytes
        return view

    return decorate


def body_limit(path):
    """The ceiling in bytes for a request body sent to ``path``."""
    try:
        view = resolve(path).func
    except Resolver404:
        return settings.REQUEST_BODY_LIMIT
    return getattr(view, "max_body_bytes", settings.REQUEST_BODY_LIMIT)


class RequestBodyLimitMiddleware:
    """413 for a body longer than its view accepts, before sessions, CSRF or the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > 0:
            limit = body_limit(request.path_info)
            if length > limit:
                return render(request, "413.html", {"limit_kb": limit // 1024}, status=413)
        return self.get_response(request)
