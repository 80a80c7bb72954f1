"""Release: grades are private until released (to everyone or to those graded, now or at a
time), can be hidden again, or are released as entered; students are told by mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from destalin.models import GradeRelease
from discussions.grading import services
from discussions.grading.models import Grade, GradingPolicy
from tests.grading.steps import grade_form, grader_url
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _my_grades(client, user, prompt, status=200):
    """The student's grades page as text, after asserting it loaded and lists ``prompt``."""
    client.force_login(user)
    response = client.get(reverse("grading:my-grades", kwargs={"course": prompt.course.slug}))
    page = page_text(response, status)
    if status == 200:
        assert prompt.title in page
    return page


@pytest.fixture
def grade_as(client, django_capture_on_commit_callbacks):
    """Grade through the grader, running what follows the commit (the mail) as it would."""

    def grade(teacher, prompt, student, score="8", feedback="Secret feedback."):
        client.force_login(teacher)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                grader_url(prompt, student), grade_form(score=score, feedback=feedback)
            )
        assert response.status_code == 302

    return grade


@pytest.fixture
def release_as(client, django_capture_on_commit_callbacks):
    def release(teacher, prompt, **data):
        client.force_login(teacher)
        url = reverse("grading:release", kwargs={"course": prompt.course.slug, "pk": prompt.pk})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"scope": "everyone", "notify": "on", **data})

    return release


def test_unreleased_grades_show_nothing_to_the_student(grade_as, client, ada, cleo, graded, posts):
    grade_as(ada, graded, cleo, score="7.5")
    page = _my_grades(client, cleo, graded)
    assert "Not released yet" in page
    assert "7.5" not in page and "Secret feedback" not in page
    assert mail.outbox == []


def test_release_to_everyone_shows_grades_and_mails_without_the_score(
    release_as, grade_as, client, ada, cleo, dora, graded, posts
):
    grade_as(ada, graded, cleo, score="7.5")
    response = release_as(ada, graded)
    assert response.status_code == 302
    page = _my_grades(client, cleo, graded)
    assert "7.5" in page and "Secret feedback." in page
    assert [m.to for m in mail.outbox] == [["cleo@example.edu"]]
    assert "7.5" not in mail.outbox[0].body and "/grades/" in mail.outbox[0].body
    # Grades entered later show at once (released to everyone), and are not mailed twice.
    grade_as(ada, graded, dora, score="6")
    assert "6</strong>" in _my_grades(client, dora, graded)
    release_as(ada, graded)
    assert sorted(m.to[0] for m in mail.outbox) == ["cleo@example.edu", "dora@example.edu"]


def test_release_to_graded_only_keeps_later_grades_hidden(
    release_as, grade_as, client, ada, cleo, dora, graded, posts
):
    grade_as(ada, graded, cleo)
    release_as(ada, graded, scope="graded")
    grade_as(ada, graded, dora, score="6.25")
    assert "Secret feedback." in _my_grades(client, cleo, graded)
    dora_page = _my_grades(client, dora, graded)
    assert "Not released yet" in dora_page and "6.25" not in dora_page


def test_release_can_be_undone(release_as, grade_as, client, ada, cleo, graded, posts):
    grade_as(ada, graded, cleo)
    release_as(ada, graded)
    client.post(reverse("grading:hide", kwargs={"course": graded.course.slug, "pk": graded.pk}))
    page = _my_grades(client, cleo, graded)
    assert "Not released yet" in page and "Secret feedback." not in page


def test_scheduled_release_shows_nothing_until_its_time(
    release_as, grade_as, client, ada, cleo, graded, posts
):
    grade_as(ada, graded, cleo)
    later = timezone.localtime() + timedelta(days=2)
    release_as(ada, graded, at=later.strftime("%Y-%m-%dT%H:%M"))
    page = _my_grades(client, cleo, graded)
    assert "Not released yet" in page and "Secret feedback." not in page
    # The mail queued now finds nothing released yet, so sends nothing.
    assert mail.outbox == []
    grade = Grade.objects.get(student=cleo)
    assert Grade.objects.released(now=later + timedelta(minutes=1)).filter(pk=grade.pk).exists()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_scheduled_release_queues_its_mail_for_that_time(
    django_capture_on_commit_callbacks, ada, cleo, graded, posts
):
    from django_tasks import default_task_backend

    default_task_backend.clear()
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.release_grades(prompt=graded, by=ada, everyone=True, at=later)
    queued = default_task_backend.results
    assert [r.task.run_after for r in queued] == [later]


def test_release_without_mail(release_as, grade_as, client, ada, cleo, graded, posts):
    grade_as(ada, graded, cleo)
    release_as(ada, graded, notify="")
    assert mail.outbox == []
    assert "Secret feedback." in _my_grades(client, cleo, graded)
    release_as(ada, graded, notify="on")  # already handled: no late mail
    assert mail.outbox == []


def test_automatic_release_shows_each_grade_as_saved(grade_as, client, ada, cleo, graded, posts):
    graded.course.grade_release = GradeRelease.AUTOMATIC
    graded.course.save()
    grade_as(ada, graded, cleo, score="9")
    assert "9</strong>" in _my_grades(client, cleo, graded)
    assert [m.to for m in mail.outbox] == [["cleo@example.edu"]]


def test_prompt_setting_overrides_the_course(grade_as, client, ada, cleo, graded, posts):
    graded.course.grade_release = GradeRelease.AUTOMATIC
    graded.course.save()
    GradingPolicy.objects.create(prompt=graded, release_mode=GradeRelease.MANUAL)
    grade_as(ada, graded, cleo, score="9")
    assert "Not released yet" in _my_grades(client, cleo, graded)


def test_one_students_grade_is_never_shown_to_another(
    release_as, grade_as, client, ada, cleo, dora, graded, posts
):
    grade_as(ada, graded, cleo, score="3.5", feedback="Only for Cleo.")
    release_as(ada, graded)
    page = _my_grades(client, dora, graded)
    assert "Only for Cleo." not in page and "3.5" not in page


def test_only_instructorsrelease_as(release_as, ben, cleo, graded, posts):
    assert release_as(ben, graded).status_code == 403
    assert release_as(cleo, graded).status_code == 403
    assert not GradingPolicy.objects.filter(released_at__isnull=False).exists()


def test_bad_release_time_is_a_clear_error(release_as, client, ada, graded, posts):
    response = release_as(ada, graded, at="tomorrow-ish")
    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()


def test_teachers_have_no_grades_page(client, ada, graded):
    assert "for the course&#x27;s students" in _my_grades(client, ada, graded, status=403)


def test_students_can_turn_off_grade_mail(client, grade_as, release_as, ada, cleo, graded, posts):
    from discussions.notifications import unsubscribe_token

    grade_as(ada, graded, cleo)
    token = unsubscribe_token(cleo, "grades")
    client.logout()
    client.post(reverse("discussions:unsubscribe", kwargs={"token": token}))
    cleo.refresh_from_db()
    assert cleo.notify_grades is False
    release_as(ada, graded)
    assert mail.outbox == []
    assert "Secret feedback." in _my_grades(client, cleo, graded)
