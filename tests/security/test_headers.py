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
