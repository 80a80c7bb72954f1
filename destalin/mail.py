"""Every mail the site sends is finished here and sent by the task worker, never inside a
request: a plain-text part and an HTML part in the site's look, a Message-ID on the site's
own domain, and for mail a person subscribed to, one-click unsubscribe headers (RFC 8058).

Links in mail come from ``settings.SITE_URL`` alone, never from the Host of the request that
caused the mail (``site_url``)."""

import logging
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from destalin.tasks import retry_later
from destalin.text import strip_bidi_controls

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's mail templates call ``current_site``: the site's name and domain from
    settings, so mail names "Destalin" and its address, not the Host of a request."""

    name: str
    domain: str


def site() -> SiteIdentity:
    """The site as mail names it (``SITE_NAME``, and the host of ``SITE_URL``)."""
    return SiteIdentity(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).hostname)


def site_url(path: str) -> str:
    """The absolute address of ``path`` (starting with ``/``) on ``SITE_URL``."""
    return settings.SITE_URL.rstrip("/") + path


def compose(
    *, to: str, subject: str, text: str, unsubscribe_url: str | None = None
) -> EmailMultiAlternatives:
    """A finished mail to one address from the default sender: ``text`` is the plain part and
    the HTML part is made from it. ``unsubscribe_url`` (for mail a person subscribed to, not
    for their own account's mail) adds List-Unsubscribe and List-Unsubscribe-Post."""
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Plain text cannot isolate people's words (names, titles): their bidi controls go.
    message = EmailMultiAlternatives(
        strip_bidi_controls(subject), strip_bidi_controls(text), None, [to], headers=headers
    )
    return finish(message)


def finish(message: EmailMultiAlternatives) -> EmailMultiAlternatives:
    """Give ``message`` what every mail of the site carries: an HTML part made from its text
    (when it has none) and a Message-ID on the site's domain. Returns the same message."""
    if not any(mimetype == "text/html" for _, mimetype in message.alternatives):
        html = render_to_string(
            "emails/layout.html",
            {"subject": message.subject, "text": message.body, "site": site()},
        )
        message.attach_alternative(html, "text/html")
    message.extra_headers.setdefault("Message-ID", make_msgid(domain=site().domain))
    return message


def queue(message: EmailMultiAlternatives) -> None:
    """Send ``message`` from the task worker once the current transaction commits (at once
    outside one): the request never waits on the mail server, and a mail about something
    rolled back never leaves."""
    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
    }
    transaction.on_commit(lambda: send_message.enqueue(payload))


def rebuild(payload: dict) -> EmailMultiAlternatives:
    """The message ``queue`` stored, as Django sends it."""
    message = EmailMultiAlternatives(
        payload["subject"],
        payload["body"],
        payload["from_email"],
        payload["to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@task()
def send_message(payload, attempt=1):
    """Send one mail queued by ``queue``; if the mail server refuses or cannot be reached, try
    again later, a few times (with the same Message-ID each time)."""
    message = rebuild(payload)
    try:
        message.send()
    except Exception:
        log.exception("Could not send %r (attempt %s)", payload["subject"], attempt)
        retry_later(send_message, attempt, payload)
