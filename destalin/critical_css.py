"""The style sheet of the first paint (``static/destalin/critical.css``), inlined in every
page's ``<head>`` so that no request blocks rendering; ``site.css`` follows at the end of
``<body>``, preloaded from the head, and print.css after it.

The Content Security Policy allows no inline style but this one, by its hash (``csp_source``,
read by settings), so the policy stays strict and works without JavaScript, unlike the
``media="print" onload=…`` pattern, whose handler is inline script.
"""

import base64
import functools
import hashlib
from pathlib import Path

PATH = Path(__file__).parent / "static" / "destalin" / "critical.css"


@functools.cache
def text() -> str:
    """The style sheet's text, exactly as it is hashed and inlined."""
    return PATH.read_text(encoding="utf-8")


def csp_source() -> str:
    """The CSP source that allows the inlined sheet: ``'sha256-…'`` of its UTF-8 text."""
    digest = hashlib.sha256(text().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
