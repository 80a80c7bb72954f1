"""The tool's signing keys and the configuration platforms read.

Keys are pylti1p3's ``LtiToolKey`` rows. A rotation (``manage.py rotate_lti_key``) makes a new
key the one every registration signs with and keeps the old one published until it is
retired, so a platform holding the old key in its cache still verifies what was signed
before (IMS Security Framework 6.3, key rotation).
"""

import json

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey
from pylti1p3.dynamic_registration import generate_key_pair

# RSA key size: what Canvas and Moodle use for their own LTI keys, and enough for RS256.
KEY_BITS = 2048
# Canvas's placement for a tool chosen from the course's Modules and Assignments.
CANVAS_PLACEMENTS = ["link_selection", "assignment_selection"]
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


def public_jwks():
    """Every key's public half as a JWKS (RFC 7517): ``{"keys": [{kid, kty, n, e, ...}]}``."""
    keys = [
        json.loads(key.public_jwk) for key in LtiToolKey.objects.order_by("pk") if key.public_jwk
    ]
    return {"keys": keys}


@transaction.atomic
def rotate(*, name=None):
    """Create a new key and make every registration sign with it; the old keys stay
    published. Returns the new ``LtiToolKey``."""
    private, public = generate_key_pair(KEY_BITS)
    key = LtiToolKey.objects.create(
        name=name or f"destalin-{timezone.now():%Y%m%dT%H%M%S%f}",
        private_key=private,
        public_key=public,
    )
    LtiTool.objects.update(tool_key=key)
    return key


def current_key():
    """The newest key, made on first use."""
    return LtiToolKey.objects.order_by("-pk").first() or rotate()


@transaction.atomic
def retire_unused():
    """Stop publishing keys no registration signs with. Returns how many were retired."""
    unused = LtiToolKey.objects.filter(lti_tools__isnull=True).exclude(pk=current_key().pk)
    count = unused.count()
    unused.delete()
    return count


def canvas_configuration(request):
    """The LTI 1.3 JSON Canvas takes for a developer key (Canvas docs, "Configuring LTI
    Advantage Tools"); URLs are absolute, from SITE_URL when set."""
    base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/")[:-1]

    def url(name):
        return base.rstrip("/") + reverse(name)

    domain = base.split("://", 1)[-1].split("/", 1)[0]
    return {
        "title": "Destalin",
        "description": "Readings and discussions for the history classroom.",
        "oidc_initiation_url": url("lti:login"),
        "target_link_uri": url("lti:launch"),
        "public_jwk_url": url("lti:jwks"),
        "scopes": SCOPES,
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "domain": domain,
                "privacy_level": "public",
                "settings": {
                    "placements": [
                        {
                            "placement": placement,
                            "message_type": "LtiDeepLinkingRequest",
                            "target_link_uri": url("lti:launch"),
                        }
                        for placement in CANVAS_PLACEMENTS
                    ]
                },
            }
        ],
        "custom_fields": {},
    }
