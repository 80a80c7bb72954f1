"""Start-up checks for production (``manage.py check --deploy``, which ``make serve`` runs
before it starts): mail must name the real site and a real sender."""

from email.utils import parseaddr
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "example.com", "example.org", "testserver"}


def _is_local(host):
    """True for a host name no one else can reach: empty, loopback, a private address or a
    name reserved for examples and this machine."""
    if not host:
        return True
    host = host.lower().rstrip(".")
    if host in _LOCAL_NAMES or host.endswith((".localhost", ".local", ".invalid", ".test")):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return "." not in host
    return address.is_loopback or address.is_private or address.is_unspecified


@checks.register(checks.Tags.security, deploy=True)
def check_mail_identity(app_configs=None, **kwargs):
    """``destalin.E001``: SITE_URL is an https address others can reach (every link in mail
    is built from it); ``destalin.E002``: DEFAULT_FROM_EMAIL is an address on a real domain
    (mail from localhost is refused or filed as spam)."""
    errors = []
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or _is_local(site.hostname):
        errors.append(
            checks.Error(
                f"SITE_URL is {settings.SITE_URL!r}: every link in mail would point there.",
                hint="Set SITE_URL to the https address people reach the site at, e.g. "
                "https://destalin.example.edu",
                id="destalin.E001",
            )
        )
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2] if "@" in sender else ""
    if _is_local(domain):
        errors.append(
            checks.Error(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail would come "
                "from a domain no mail server accepts.",
                hint="Set DEFAULT_FROM_EMAIL to an address on the school's domain, e.g. "
                "'Destalin <destalin@example.edu>'",
                id="destalin.E002",
            )
        )
    return errors
