"""The admin serves admins: every model they must see or repair has a page with search and
filters, and history (versions, grade changes, the audit log, imports, tasks) is read-only."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from discussions.grading import services as grading
from discussions.grading.models import Grade
from discussions.models import AuditEntry, Flag, Post, PostRevision
from tests.factories import make_post

pytestmark = pytest.mark.django_db

PAGES = [
    "discussions.prompt",
    "discussions.post",
    "discussions.postrevision",
    "discussions.flag",
    "discussions.auditentry",
    "discussions.participation",
    "grading.grade",
    "grading.gradechange",
    "grading.rubric",
    "grading.gradingpolicy",
    "grading.scoreimport",
    "django_tasks_database.dbtaskresult",
]
HISTORY = [name for name in PAGES if name != "discussions.prompt"]


def _admin_url(label, view="changelist", *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.fixture
def graded(ada, cleo, dora, prompt):
    prompt.points_possible = 10
    prompt.save()
    post = make_post(prompt, cleo, "My first response.")
    make_post(prompt, dora, "A reply.", parent=post)
    Flag.objects.create(
        post=post, course=prompt.course, flagged_by=dora, reason="other", details="off topic"
    )
    for score in (7, 8):
        grading.save_grade(
            prompt=prompt,
            student=cleo,
            grader=ada,
            status="graded",
            entered=score,
            expected_version=score - 7,
        )
    return post


@pytest.mark.parametrize("label", PAGES)
def test_every_page_an_admin_needs_lists_searches_and_filters(client_for, sam, graded, label):
    model_admin = admin.site._registry[_model(label)]
    assert model_admin.search_fields and model_admin.list_filter
    client = client_for(sam)
    listed = client.get(_admin_url(label))
    assert listed.status_code == 200
    searched = client.get(_admin_url(label), {"q": "cleo"})
    assert searched.status_code == 200 and "Search" in searched.content.decode()


def _model(label):
    return apps.get_model(label)


@pytest.mark.parametrize("label", HISTORY)
def test_history_can_be_read_but_never_added_changed_or_deleted(client_for, sam, graded, label):
    model = _model(label)
    model_admin = admin.site._registry[model]
    request = type("Request", (), {"user": sam})()
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    client = client_for(sam)
    assert client.get(_admin_url(label, "add")).status_code == 403
    row = model.objects.first()
    if row is not None:
        before = model.objects.count()
        client.post(_admin_url(label, "delete", row.pk), {"post": "yes"})
        assert model.objects.count() == before


def test_a_post_shows_its_versions_and_flags(client_for, sam, cleo, graded):
    client_for(cleo).post(
        reverse("discussions:post-edit", args=[graded.prompt.course.slug, graded.pk]),
        {"body": "My second thoughts."},
    )
    assert PostRevision.objects.filter(post=graded).exists()
    page = client_for(sam).get(_admin_url("discussions.post", "change", graded.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "My first response." in text and "My second thoughts." in text
    assert "off topic" in text


def test_a_grade_shows_every_change(client_for, sam, graded):
    grade = Grade.objects.get()
    page = client_for(sam).get(_admin_url("grading.grade", "change", grade.pk)).content.decode()
    assert "7.00" in page and "8.00" in page


def test_the_post_list_takes_a_fixed_number_of_queries(
    client_for, sam, cleo, prompt, django_assert_max_num_queries
):
    for n in range(30):
        make_post(prompt, cleo, f"Response number {n}.")
    client = client_for(sam)
    client.get(_admin_url("discussions.post"))
    with django_assert_max_num_queries(12):
        page = client.get(_admin_url("discussions.post"))
    assert "Response number 29." not in page.content.decode()  # bodies are not listed
    assert Post.objects.count() == 30 and page.status_code == 200


def test_the_audit_log_is_searchable_by_person(client_for, sam, ada, graded):
    assert AuditEntry.objects.filter(actor=ada).exists()
    page = client_for(sam).get(_admin_url("discussions.auditentry"), {"q": "ada@example.edu"})
    assert "Graded" in page.content.decode()
