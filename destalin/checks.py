"""Start-up checks for production (``manage.py check --deploy``, which ``make serve`` runs
before it starts): mail must name the real site and a real sender, and sign-up must not tell
who has an account.

A trial on this machine (every name in ALLOWED_HOSTS is local) may keep local addresses:
links to 127.0.0.1 are right there, and no one else can follow them."""

from email.utils import parseaddr
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host

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


def _served_to_others():
    return any(not _is_local(host.lstrip(".").strip("[]")) for host in settings.ALLOWED_HOSTS)


@checks.register(checks.Tags.security, deploy=True)
def check_mail_identity(app_configs=None, **kwargs):
    """``destalin.E001``: SITE_URL is an https address others can reach, on a host the site
    answers to (every link in mail is built from it); ``destalin.E002``: DEFAULT_FROM_EMAIL is
    an address on a real domain (mail from localhost is refused or filed as spam)."""
    errors = []
    site = urlsplit(settings.SITE_URL)
    others = _served_to_others()
    if (
        (others and (site.scheme != "https" or _is_local(site.hostname)))
        or not site.hostname
        or not validate_host(site.hostname, settings.ALLOWED_HOSTS)
    ):
        errors.append(
            checks.Error(
                f"SITE_URL is {settings.SITE_URL!r}: every link in mail would point there.",
                hint="Set SITE_URL to the https address people reach the site at (a name in "
                "ALLOWED_HOSTS), e.g. https://destalin.example.edu",
                id="destalin.E001",
            )
        )
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2] if "@" in sender else ""
    if (others and _is_local(domain)) or not domain:
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


@checks.register(checks.Tags.security, deploy=True)
def check_signup_tells_nothing(app_configs=None, **kwargs):
    """``destalin.E003``: email verification is mandatory, without which allauth's sign-up
    answers "already registered" and anyone can test addresses (its enumeration prevention
    needs the owner to be mailed instead)."""
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory":
        return []
    return [
        checks.Error(
            f"ACCOUNT_EMAIL_VERIFICATION is {settings.ACCOUNT_EMAIL_VERIFICATION!r}: sign-up "
            "would tell anyone which addresses have an account.",
            hint="Leave ACCOUNT_EMAIL_VERIFICATION unset (mandatory).",
            id="destalin.E003",
        )
    ]
