"""axe-core on every page the access matrix says each role may open (tests/security), as
that role, at a desktop's 1280 px, a phone's 360 px and 320 px (400 % zoom of 1280), each with
WCAG 1.4.12's text spacing applied: zero WCAG 2.2 A and AA violations, and no page that
scrolls sideways as a whole (1.4.10 reflow)."""

import pytest

from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 360, 320]

# WCAG 1.4.12 (text spacing): the least a reader may set without losing content or function.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# How much wider than the window the document is (null: no sideways scrolling), and the
# element sticking out furthest outside any scroll box of its own, to say where to look.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const scrolls = (e) => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX);
  let culprit = "?", right = width;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= right || box.width === 0) continue;
    let parent = element.parentElement;
    while (parent && !scrolls(parent)) parent = parent.parentElement;
    if (parent) continue;
    right = box.right;
    culprit = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
      (element.className ? "." + String(element.className).trim().split(/\\s+/).join(".") : "");
  }
  return `${root.scrollWidth} px wide (${culprit} ends at ${Math.round(right)} px)`;
}"""


def _sign_in(page, live_server, user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("role", ["anonymous", "cleo", "ben", "ada", "sam"])
def test_every_page_has_no_violations_at_any_width_with_text_spacing(
    new_page, axe_violations, live_server, people, course, thaw, world, role
):
    page = new_page(viewport={"width": WIDTHS[0], "height": 900})
    if role != "anonymous":
        _sign_in(page, live_server, people[role])
    index = ROLES.index(role)
    problems, visited = [], 0
    for name, (kwargs, query, on_get, _) in MATRIX.items():
        if on_get[index] != 200 or name in DOWNLOADS:
            continue
        response = page.goto(_url(name, kwargs, query, people, course, thaw, world))
        assert response.status == 200, name
        # A constructed style sheet: the site's CSP (rightly) refuses an inline <style>.
        page.evaluate(
            "css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
            " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
            TEXT_SPACING,
        )
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                problems.append(f"{name} at {width} px: scrolls sideways, {overflow}")
            problems += [f"{name} at {width} px: {v}" for v in axe_violations(page)]
        visited += 1
    assert visited >= (2 if role == "anonymous" else 15)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
