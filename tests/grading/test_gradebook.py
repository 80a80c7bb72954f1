"""The gradebook page, its Canvas-style CSV and the import of scores from it."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions.grading.models import Grade, GradeChange
from tests.factories import MembershipFactory, PromptFactory, UserFactory, make_post
from tests.grading.steps import grade_form, grader_url
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _url(name, course, **extra):
    return reverse(f"grading:{name}", kwargs={"course": course.slug, **extra})


def _grade(client, prompt, student, **form):
    response = client.post(grader_url(prompt, student), grade_form(**form))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_gradebook_shows_students_by_prompts_with_totals_and_markers(
    client, ada, course, cleo, dora, graded, posts
):
    second = PromptFactory(course=course, title="The Hungarian revolt", points_possible=5)
    client.force_login(ada)
    _grade(client, graded, cleo, score="8")
    _grade(client, second, cleo, status="excused", score="")
    _grade(client, graded, dora, status="missing", score="")
    page = client.get(_url("gradebook", course)).content.decode()
    assert "Was 1956 a turning point?" in page and "The Hungarian revolt" in page
    assert ">EX<" in page and 'title="missing"' in page
    assert "8 / 10" in page  # excused prompts leave the total's points possible
    assert "0 / 10" in page  # missing counts as 0
    assert grader_url(second, dora) in page  # every cell opens the grader at that student


# Slugs holding the numbers a link builder might stand in for ids, or the ids themselves.
@pytest.mark.parametrize("slug", ["x-2147483647", "x-2147483646-2147483647", "x-1000000000"])
def test_every_gradebook_cell_links_to_its_grader_whatever_the_course_slug(
    client, ada, course, cleo, dora, graded, posts, slug
):
    course.slug = slug
    course.save(update_fields=["slug"])
    client.force_login(ada)
    page = client.get(_url("gradebook", course))
    assert page.status_code == 200
    links = set(re.findall(r'<td><a href="([^"]*)"', page.content.decode()))
    assert links == {grader_url(graded, cleo), grader_url(graded, dora)}
    assert all(link.startswith(f"/courses/{slug}/") for link in links)


def test_gradebook_filters_by_grader_and_by_removed_students(
    client, ada, ben, course, cleo, dora, graded, posts
):
    client.force_login(ben)
    _grade(client, graded, cleo)
    client.force_login(ada)
    _grade(client, graded, dora)
    by_ben = client.get(_url("gradebook", course) + f"?grader={ben.pk}").content.decode()
    assert ">Cleo<" in by_ben and ">Dora<" not in by_ben
    dora.memberships.update(removed_at="2026-01-01T00:00Z")
    removed = client.get(_url("gradebook", course) + "?students=removed").content.decode()
    assert "<bdi>Dora</bdi> (removed)" in removed and ">Cleo<" not in removed
    nonsense = client.get(_url("gradebook", course) + "?students=%00&grader=x")
    assert nonsense.status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(queries)


def test_gradebook_and_csv_use_a_fixed_number_of_queries(client, ada, course, graded, posts):
    client.force_login(ada)
    client.get(_url("gradebook", course))  # the session settles on the first request
    small = (
        _queries(client, _url("gradebook", course)),
        _queries(client, _url("gradebook-csv", course)),
    )
    for _ in range(3):
        PromptFactory(course=course, points_possible=4)
    for n in range(30):
        student = UserFactory(display_name=f"Student {n:02d}")
        MembershipFactory(course=course, user=student)
        make_post(graded, student, f"Response {n}.")
        _grade(client, graded, student)
    large = (
        _queries(client, _url("gradebook", course)),
        _queries(client, _url("gradebook-csv", course)),
    )
    assert large == small


def test_the_gradebook_shows_a_page_of_students_at_a_cost_that_ignores_the_roster(
    client, ada, course, cleo, dora, graded, posts, monkeypatch
):
    from discussions.grading import gradebook_selectors

    monkeypatch.setattr(gradebook_selectors, "PER_PAGE", 10)
    client.force_login(ada)

    def enrol(names):
        for name in names:
            MembershipFactory(course=course, user=UserFactory(display_name=name))

    enrol(f"Student {n:03d}" for n in range(10))  # 12 with Cleo and Dora
    url = _url("gradebook", course)
    client.get(url)  # the session settles on the first request
    queries, first = _queries(client, url), page_text(client.get(url))
    assert "Students 1–10 of 12" in first and ">Cleo<" in first
    assert first.count('<th scope="row"') == 10
    enrol(f"Student {n:03d}" for n in range(10, 200))
    assert _queries(client, url) == queries
    last = page_text(client.get(url, {"page": "21"}))
    assert "Students 201–202 of 202" in last and "Student 199" in last and 'rel="next"' not in last
    assert last.count('<th scope="row"') == 2
    # A page that is not a number is the first; past the end, the last.
    assert "Students 1–10 of 202" in page_text(client.get(url, {"page": "x\x00"}))
    assert "Students 201–202 of 202" in page_text(client.get(url, {"page": "9999"}))
    second = page_text(client.get(url, {"page": "2", "students": "all"}))
    assert (
        'href="?page=3&amp;students=all"' in second and 'href="?page=1&amp;students=all"' in second
    )


def _csv(client, course):
    response = client.get(_url("gradebook-csv", course))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="hist-274-grades.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_csv_export_follows_the_canvas_gradebook(client, ada, course, cleo, dora, graded, posts):
    dora.display_name = "=HYPERLINK(evil)"
    dora.save()
    cleo.display_name = "Cleo Martin"
    cleo.save()
    client.force_login(ada)
    _grade(client, graded, cleo, score="8.5")
    _grade(client, graded, dora, status="excused", score="")
    rows = _csv(client, course)
    column = f"Was 1956 a turning point? ({graded.pk})"
    assert rows[0][:6] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]
    # Canvas's hidden-grades row: the Student cell empty, "Manual Posting" over the prompt.
    assert rows[1][:6] == ["", "", "", "", "", "Manual Posting"]
    assert rows[2][0] == "    Points Possible" and rows[2][5] == "10.00"
    students = {row[0]: row for row in rows[3:]}
    # "Section": the course's one section, named after it as Canvas names a default section.
    assert students["Martin, Cleo"][1:6] == [
        str(cleo.pk), "", "cleo@example.edu", course.title, "8.50",
    ]  # fmt: skip
    # Formula injection is neutralised; excused is EX.
    assert students["'=HYPERLINK(evil)"][5] == "EX"


def test_released_prompts_have_no_manual_posting_marker(client, ada, course, cleo, graded, posts):
    client.force_login(ada)
    client.post(_url("release", course, pk=graded.pk), {"scope": "everyone"})
    rows = _csv(client, course)
    assert rows[1][0] == "    Points Possible"


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Confirm a previewed import; the worker applies it once the request commits."""

    def post(course, preview):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                _url("gradebook-import", course),
                {
                    "data": preview.context["data"],
                    "digest": preview.context["digest"],
                    "confirm": "1",
                },
            )

    return post


def _upload(client, course, content, name="grades.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        _url("gradebook-import", course), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def _filled(client, course, score_by_name):
    rows = _csv(client, course)
    for row in rows[3:]:
        if row[0] in score_by_name:
            row[5] = score_by_name[row[0]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_import_previews_then_saves_all_changes_once_confirmed(
    client, confirm, ada, course, cleo, dora, graded, posts
):
    client.force_login(ada)
    content = _filled(client, course, {"Cleo": "9", "Dora": "EX"})
    preview = _upload(client, course, content)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 changes" in page and "Save 2 changes" in page
    assert not Grade.objects.exists()  # nothing saved before confirming
    response = confirm(course, preview)
    assert response.status_code == 302
    assert Grade.objects.get(student=cleo).score == 9
    assert Grade.objects.get(student=dora).status == "excused"
    assert set(GradeChange.objects.values_list("source", flat=True)) == {"import"}


def test_import_refuses_a_stale_preview(client, ada, course, cleo, graded, posts):
    client.force_login(ada)
    preview = _upload(client, course, _filled(client, course, {"Cleo": "9"}))
    _grade(client, graded, cleo, score="3")  # someone grades meanwhile
    response = client.post(
        _url("gradebook-import", course),
        {"data": preview.context["data"], "digest": preview.context["digest"], "confirm": "1"},
    )
    assert response.status_code == 200
    assert "Grades changed since the preview" in response.content.decode()
    assert Grade.objects.get(student=cleo).score == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Name,Score\nCleo,3\n", "Student"),
        ("", "empty"),
        ("Student,ID,Nope (999999)\n", "999999"),
        ("Student,ID\n\x00\n", "NUL"),
    ],
)
def test_import_refuses_unusable_files(client, ada, course, graded, posts, content, message):
    client.force_login(ada)
    response = _upload(client, course, content)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not Grade.objects.exists()


def test_import_lists_each_bad_row_and_saves_nothing(
    client, ada, course, cleo, dora, graded, posts
):
    client.force_login(ada)
    column = f"Was 1956 a turning point? ({graded.pk})"
    content = (
        f"Student,ID,{column}\n"
        f"Cleo,{cleo.pk},9\n"
        f"Dora,{dora.pk},eleven\n"
        f"Nobody,99999,5\n"
        f"Cleo again,{cleo.pk},4\n"
        f"Dora,{dora.pk},11\n"
    )
    response = _upload(client, course, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Row 3" in page and "Row 4" in page and "Row 5" in page and "Row 6" in page
    assert "Save" not in page.split("Upload another file")[0].split("changes-title")[1]
    assert not Grade.objects.exists()


def test_import_refuses_large_and_non_utf8_files(client, ada, course, graded, posts):
    client.force_login(ada)
    big = _upload(client, course, b"Student,ID\n" + b"x" * (2 * 1024 * 1024))
    assert big.status_code == 400 and "at most 1.5 MB" in big.content.decode()
    # Far larger is refused from its length alone, before the upload is read.
    huge = _upload(client, course, b"Student,ID\n" + b"x" * (50 * 1024 * 1024))
    assert huge.status_code == 413 and "accepts at most" in huge.content.decode()
    latin = _upload(client, course, "Student,ID\nZoë,1\n".encode("latin-1"))
    assert latin.status_code == 400 and "UTF-8" in latin.content.decode()
    damaged = client.post(_url("gradebook-import", course), {"data": "!!!", "confirm": "1"})
    assert damaged.status_code == 400
    assert not Grade.objects.exists()


def test_students_cannot_see_the_gradebook_or_its_csv(client, cleo, course, graded):
    client.force_login(cleo)
    for name in ("gradebook", "gradebook-csv", "gradebook-import"):
        assert client.get(_url(name, course)).status_code == 403


def test_gradebook_marks_late_work_and_missing_work_past_due(client, ada, course, cleo, dora):
    from datetime import timedelta

    from django.utils import timezone

    due = timezone.now() - timedelta(days=2)
    prompt = PromptFactory(course=course, points_possible=5, required_replies=0, due_at=due)
    make_post(prompt, cleo, "Late, but here.", now=due + timedelta(hours=5))
    client.force_login(ada)
    page = client.get(_url("gradebook", course)).content.decode()
    assert 'aria-label="Cleo, ' + prompt.title + ': not graded, late"' in page
    assert 'aria-label="Dora, ' + prompt.title + ': not graded, missing"' in page
    # An extension past today means Dora is not missing yet.
    from discussions.services import grant_extension

    grant_extension(
        prompt=prompt,
        student=dora,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=None,
        granted_by=ada,
    )
    page = client.get(_url("gradebook", course)).content.decode()
    assert 'aria-label="Dora, ' + prompt.title + ': not graded"' in page


def test_a_file_near_the_limit_can_still_be_confirmed(
    client, confirm, ada, course, cleo, graded, posts
):
    client.force_login(ada)
    column = f"Was 1956 a turning point? ({graded.pk})"
    # Twenty note columns of 70 kB (a CSV field holds at most 128 kB).
    names = ",".join(f"Notes {n}" for n in range(20))
    notes = ",".join("n" * 70_000 for _ in range(20))
    content = f"Student,ID,{column},{names}\nCleo,{cleo.pk},9,{notes}\n"
    preview = _upload(client, course, content)
    assert preview.status_code == 200
    assert confirm(course, preview).status_code == 302
    assert Grade.objects.get(student=cleo).score == 9


def test_an_imported_score_is_final_even_for_late_work(client, confirm, ada, course, cleo):
    from datetime import timedelta

    from django.utils import timezone

    from discussions.grading.models import GradingPolicy

    due = timezone.now() - timedelta(days=2)
    prompt = PromptFactory(course=course, points_possible=10, required_replies=0, due_at=due)
    GradingPolicy.objects.create(prompt=prompt, late_percent_per_day=10)
    make_post(prompt, cleo, "Late.", now=due + timedelta(hours=30))
    client.force_login(ada)
    content = f"Student,ID,{prompt.title} ({prompt.pk})\nCleo,{cleo.pk},9\n"
    confirm(course, _upload(client, course, content))
    grade = Grade.objects.get(student=cleo)
    assert (grade.score, grade.late_deduction) == (9, 0)


def test_an_import_the_grades_overtook_saves_nothing_and_says_so(
    client, ada, course, cleo, graded, posts
):
    from discussions.grading import imports
    from discussions.grading.models import ScoreImport

    client.force_login(ada)
    preview = _upload(client, course, _filled(client, course, {"Cleo": "9"}))
    client.post(
        _url("gradebook-import", course),
        {"data": preview.context["data"], "digest": preview.context["digest"], "confirm": "1"},
    )  # queued; the worker has not run yet
    job = ScoreImport.objects.get()
    assert job.status == "queued"
    _grade(client, graded, cleo, score="3")  # a colleague grades before the worker runs
    imports.apply_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "upload the file again" in job.message
    assert Grade.objects.get(student=cleo).score == 3
    page = client.get(_url("gradebook", course)).content.decode()
    assert "not saved" in page and "upload the file again" in page
    assert imports.apply_import(job.pk) is None  # a retried task changes nothing


def test_an_import_that_breaks_ends_marked_failed(client, ada, course, cleo, graded, posts):
    from unittest import mock

    from discussions.grading import imports
    from discussions.grading.models import ScoreImport

    client.force_login(ada)
    preview = _upload(client, course, _filled(client, course, {"Cleo": "9"}))
    client.post(
        _url("gradebook-import", course),
        {"data": preview.context["data"], "digest": preview.context["digest"], "confirm": "1"},
    )
    job = ScoreImport.objects.get()
    with mock.patch.object(imports.services, "import_scores", side_effect=RuntimeError("bug")):
        imports.apply_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was saved" in job.message
    assert not Grade.objects.exists()
