"""Every CSV export opens in Excel with Cyrillic intact (UTF-8 with a byte-order mark), has a
plain option for tools that dislike the mark, and carries no bidi controls."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discussions.moderation.services import hide_post
from tests.factories import make_post

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def exports(course, ada, cleo, prompt):
    cleo.display_name = f"Клео {RLO}Смирнова"
    cleo.save(update_fields=["display_name"])
    post = make_post(prompt, cleo, "Хрущёв и оттепель.")
    hide_post(post=post, by=ada, reason="Проверка")
    prompt.points_possible = 10
    prompt.save(update_fields=["points_possible"])
    slug = course.slug
    return {
        "gradebook": reverse("grading:gradebook-csv", kwargs={"course": slug}),
        "posts": reverse("grading:export", kwargs={"course": slug, "pk": prompt.pk, "fmt": "csv"}),
        "audit log": reverse("discussions:audit-log-csv", kwargs={"course": slug}),
    }


def _body(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


def test_exports_start_with_the_utf8_bom_and_keep_cyrillic(client_for, ada, exports):
    client = client_for(ada)
    for label, url in exports.items():
        body = _body(client.get(url))
        assert body.startswith(b"\xef\xbb\xbf"), label
        text = body.decode("utf-8-sig")
        assert "Смирнова" in text, label
        assert RLO not in text, label


def test_the_plain_option_has_no_bom(client_for, ada, exports):
    client = client_for(ada)
    for label, url in exports.items():
        body = _body(client.get(url, {"bom": "0"}))
        assert not body.startswith(b"\xef\xbb\xbf"), label
        assert "Смирнова" in body.decode("utf-8"), label


def test_an_exported_gradebook_with_its_bom_imports_back(client_for, ada, cleo, exports):
    client = client_for(ada)
    body = _body(client.get(exports["gradebook"]))
    upload = reverse("grading:gradebook-import", kwargs={"course": "hist-274"})
    response = client.post(upload, {"file": SimpleUploadedFile("grades.csv", body)})
    assert response.status_code == 200
    preview = response.context["preview"]
    # The header was found behind the BOM: no error, nothing to change (nobody is graded).
    assert (preview.changes, preview.errors, preview.unchanged) == ((), (), 0)
