import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_real_responses(client, cleo, course, signed_in):
    if signed_in:
        client.force_login(cleo)
    for url in (reverse("dashboard"), reverse("account_login"), course.get_absolute_url()):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).parents[2] / "templates"
    # Mail is not a page: no CSP reaches it, and mail clients read only inline styles.
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if path.parent != root / "emails"
        and any(
            marker in path.read_text() for marker in ("<script>", "<style", " style=", "onclick=")
        )
    ]
    assert offenders == []


def test_the_first_paint_style_is_inline_allowed_by_its_hash_and_nothing_else(client, cleo):
    import base64
    import hashlib
    import re

    from destalin import critical_css

    client.force_login(cleo)
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    head = page.split("</head>")[0]
    [inline] = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert inline == critical_css.PATH.read_text() and "<style>" in head
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    style_src = next(
        d for d in response["Content-Security-Policy"].split(";") if "style-src" in d
    ).split()
    assert style_src == ["style-src", "'self'", f"'sha256-{digest}'"]


def test_site_css_is_preloaded_and_applied_after_the_page_then_print_css(client, cleo):
    import re

    client.force_login(cleo)
    page = client.get(reverse("dashboard")).content.decode()
    head, body = page.split("</head>")
    site = re.search(r'href="(/static/destalin/site\.css)"', page).group(1)
    # Fetched at once from the head, blocking no paint there...
    assert f'<link rel="preload" href="{site}" as="style">' in head
    assert 'rel="stylesheet"' not in head
    # ...applied after the page's content, and print.css after it, so print rules still win.
    after_main = body.split("</main>")[1]
    screen = after_main.index(f'<link rel="stylesheet" href="{site}">')
    printed = after_main.index('<link rel="stylesheet" href="/static/destalin/print.css"')
    assert screen < printed
    assert 'print.css" media="print">' in after_main
