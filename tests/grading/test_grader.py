"""The grader: a roster of students, each student's work in context beside the grading form,
previous and next, rubric, suggested score, late policy, and no silent overwrites."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussions import post_services as discussion_post_services
from discussions import selectors as discussion_selectors
from discussions.grading import services as grading_services
from discussions.grading.models import Grade, GradeChange, GradingPolicy, Rubric
from discussions.models import Participation, Post
from tests.factories import MembershipFactory, UserFactory, make_post
from tests.grading.steps import grade_form, grader_url
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_roster_shows_each_students_participation_and_sorts(client, ada, graded, posts, cleo, dora):
    client.force_login(ada)
    page = client.get(grader_url(graded)).content.decode()
    assert "Cleo" in page and "Dora" in page
    assert page.index("Cleo") < page.index("Dora")  # by name
    assert "Needs grading" in page
    client.post(grader_url(graded, dora), grade_form(score="9"))
    client.post(grader_url(graded, cleo), grade_form(score="6"))
    by_score = client.get(grader_url(graded) + "?sort=score").content.decode()
    assert by_score.index(">Dora<") < by_score.index(">Cleo<")
    by_submitted = client.get(grader_url(graded) + "?sort=submitted").content.decode()
    assert by_submitted.index(">Dora<") < by_submitted.index(">Cleo<")  # Dora posted first


def test_student_page_shows_posts_in_context_with_requirements(client, ben, graded, posts, cleo):
    client.force_login(ben)
    response = client.get(grader_url(graded, cleo))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cleo argues the speech broke the spell" in page
    # The reply comes with the post it answers, and the replies it received.
    assert "In reply to <bdi>Dora</bdi>" in page and "changed little in the camps" in page
    assert "Only partly, Cleo." in page
    assert "Replies to classmates" in page and "Met" in page
    assert "words" in page


def test_suggested_score_prefills_the_form_with_its_formula(client, ada, graded, posts, dora):
    client.force_login(ada)
    page = client.get(grader_url(graded, dora)).content.decode()
    # Dora responded but replied to nobody else's thread: one of two requirements.
    assert "10 × (1 of 1 response + 0 of 1 reply) ÷ 2 = 5" in page
    assert 'value="5"' in page
    assert not Grade.objects.exists()  # a suggestion is never saved by itself


def test_saving_a_grade_records_who_when_and_the_change(client, ada, ben, graded, posts, cleo):
    client.force_login(ben)
    response = client.post(grader_url(graded, cleo), grade_form(score="8.5", feedback="*Sharp*"))
    assert response.status_code == 302
    grade = Grade.objects.get(prompt=graded, student=cleo)
    assert grade.score == Decimal("8.5") and grade.graded_by == ben
    assert grade.feedback_html.strip() == "<p><em>Sharp</em></p>"
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert "Last saved by <bdi>Ben</bdi>" in page and "8.5" in page
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(score="9", version=grade.version))
    changes = list(GradeChange.objects.filter(grade=grade).order_by("changed_at", "id"))
    assert [(c.old_score, c.new_score, c.changed_by) for c in changes] == [
        (None, Decimal("8.5"), ben),
        (Decimal("8.5"), Decimal("9"), ada),
    ]


def test_excused_and_missing_are_distinct(client, ada, graded, posts, cleo, dora):
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(status="excused", score=""))
    client.post(grader_url(graded, dora), grade_form(status="missing", score=""))
    cleo_grade = Grade.objects.get(student=cleo)
    dora_grade = Grade.objects.get(student=dora)
    assert (cleo_grade.status, cleo_grade.score) == ("excused", None)
    assert (dora_grade.status, dora_grade.score) == ("missing", Decimal(0))


def test_previous_and_next_student_and_save_and_next(client, ada, graded, posts, cleo, dora):
    client.force_login(ada)
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert f'href="{grader_url(graded, dora)}" rel="next" data-shortcut="j"' in page
    assert "First student" in page
    response = client.post(grader_url(graded, cleo), grade_form(save_next="1"))
    assert response["Location"] == grader_url(graded, dora)
    last = client.get(grader_url(graded, dora)).content.decode()
    assert f'href="{grader_url(graded, cleo)}" rel="prev"' in last and "Last student" in last


def test_second_grader_is_refused_with_the_other_grade_shown(client, ada, ben, graded, posts, cleo):
    # Both opened the page before either saved (version 0).
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(score="9", version=0))
    client.force_login(ben)
    response = client.post(grader_url(graded, cleo), grade_form(score="4", version=0))
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "Someone else saved a grade" in page and "Saved by <bdi>Ada</bdi>" in page and "9" in page
    )
    assert Grade.objects.get(student=cleo).score == Decimal(9)


def test_graded_version_is_frozen_and_edits_after_grading_are_shown(
    client, ada, graded, posts, cleo
):
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(score="7"))
    discussion_post_services.edit_post(
        post=posts["cleo_response"], editor=cleo, body="Cleo now argues something else entirely."
    )
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert "Edited after grading" in page
    assert "<del>" in page and "<ins>" in page  # word by word: tests/grading/test_grader_reading
    assert "broke the spell of Stalin." in page and "something else entirely." in page
    grade = Grade.objects.get(student=cleo)
    assert grade.graded_versions[str(posts["cleo_response"].pk)] == 0
    # Grading again freezes the new version.
    client.post(grader_url(graded, cleo), grade_form(score="7", version=grade.version))
    regraded = page_text(client.get(grader_url(graded, cleo)))
    assert "Cleo now argues something else entirely." in regraded
    assert "Edited after grading" not in regraded


def _rubric(course):
    rubric = Rubric.objects.create(course=course, title="Discussion rubric")
    argument = rubric.criteria.create(title="Argument", position=1)
    evidence = rubric.criteria.create(title="Evidence", position=2)
    levels = {
        "strong": argument.levels.create(title="Strong", points=6, position=1),
        "weak": argument.levels.create(title="Weak", points=2, position=2),
        "cited": evidence.levels.create(title="Cited", points=4, position=1),
        "none": evidence.levels.create(title="None", points=0, position=2),
    }
    return rubric, argument, evidence, levels


def test_rubric_levels_sum_to_the_score_unless_overridden(client, ada, graded, posts, cleo, dora):
    rubric, argument, evidence, levels = _rubric(graded.course)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    form = grade_form(score="")
    form[f"criterion_{argument.pk}"] = levels["strong"].pk
    form[f"criterion_{evidence.pk}"] = levels["none"].pk
    assert client.post(grader_url(graded, cleo), form).status_code == 302
    grade = Grade.objects.get(student=cleo)
    assert (grade.score, grade.is_override) == (Decimal(6), False)
    form["score"] = "7"
    form["student"] = dora.pk
    client.post(grader_url(graded, dora), form)
    override = Grade.objects.get(student=dora)
    assert (override.score, override.rubric_total, override.is_override) == (7, 6, True)
    assert "overrides the rubric" in client.get(grader_url(graded, dora)).content.decode()


def test_incomplete_rubric_without_a_score_is_refused(client, ada, graded, posts, cleo):
    rubric, argument, _evidence, levels = _rubric(graded.course)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    form = grade_form(score="", **{f"criterion_{argument.pk}": levels["strong"].pk})
    response = client.post(grader_url(graded, cleo), form)
    assert response.status_code == 400
    assert "Choose a level for every criterion" in response.content.decode()
    assert not Grade.objects.exists()


def test_late_policy_deducts_per_day_rounding_up_never_below_the_floor(
    client, ada, course, cleo, dora
):
    from tests.factories import PromptFactory

    due = timezone.now() - timedelta(days=3)
    prompt = PromptFactory(course=course, points_possible=10, required_replies=0, due_at=due)
    GradingPolicy.objects.create(prompt=prompt, late_percent_per_day=10, late_floor_percent=60)
    # Cleo is a day and a half late (two days); Dora three days less an hour (three).
    make_post(prompt, cleo, "Late.", now=due + timedelta(hours=36))
    make_post(prompt, dora, "Later.", now=due + timedelta(days=3) - timedelta(hours=1))
    client.force_login(ada)
    client.post(grader_url(prompt, cleo), grade_form(score="9"))
    client.post(grader_url(prompt, dora), grade_form(score="8"))
    cleo_grade, dora_grade = (Grade.objects.get(student=s) for s in (cleo, dora))
    assert (cleo_grade.entered, cleo_grade.late_deduction, cleo_grade.score) == (9, 2, 7)
    # Three days would take 3 points; the floor (6 of 10) lets only 2 go.
    assert (dora_grade.late_deduction, dora_grade.score) == (2, 6)
    assert "after −2 for lateness" in client.get(grader_url(prompt, cleo)).content.decode()


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("abc", "is not a score"),
        ("-0", "cannot be negative"),
        ("-1", "cannot be negative"),
        ("10.01", "between 0 and 10"),
        ("1e3", "is not a score"),
        ("NaN", "is not a score"),
        ("8.555", "is not a score"),
        ("1,000", "is not a score"),
        ("", "Enter a score"),
    ],
)
def test_bad_scores_get_a_clear_message_and_save_nothing(
    client, ada, graded, posts, cleo, score, message
):
    client.force_login(ada)
    response = client.post(grader_url(graded, cleo), grade_form(score=score))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grade.objects.exists()


def test_a_missing_version_is_a_form_error(client, ada, graded, posts, cleo):
    client.force_login(ada)
    response = client.post(grader_url(graded, cleo), {"status": "graded", "score": "5"})
    assert response.status_code == 400
    assert not Grade.objects.exists()


def test_students_cannot_grade_and_non_members_cannot_be_graded(
    client, ada, cleo, dora, eve, graded, posts
):
    client.force_login(cleo)
    assert client.get(grader_url(graded)).status_code == 403
    assert client.post(grader_url(graded, dora), grade_form()).status_code == 403
    client.force_login(ada)
    assert client.post(grader_url(graded, eve), grade_form()).status_code == 404
    assert client.get(grader_url(graded, ada)).status_code == 404  # teachers are not graded
    assert not Grade.objects.exists()


def test_ungraded_prompts_have_no_grader(client, ada, prompt):
    client.force_login(ada)
    assert client.get(grader_url(prompt)).status_code == 404


def test_archived_courses_are_read_only(client, ada, graded, posts, cleo):
    graded.course.is_archived = True
    graded.course.save()
    client.force_login(ada)
    assert client.get(grader_url(graded, cleo)).status_code == 200
    assert client.post(grader_url(graded, cleo), grade_form()).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_grader_pages_use_a_fixed_number_of_queries(client, ada, graded, posts, cleo, course):
    rubric, *_ = _rubric(course)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form())
    small = (_queries(client, grader_url(graded)), _queries(client, grader_url(graded, cleo)))
    for n in range(25):
        student = UserFactory(display_name=f"Student {n:02d}")
        MembershipFactory(course=course, user=student)
        make_post(graded, student, f"Response {n}.")
        make_post(graded, student, f"Reply {n}.", parent=posts["cleo_response"])
        client.post(grader_url(graded, student), grade_form())
    large = (_queries(client, grader_url(graded)), _queries(client, grader_url(graded, cleo)))
    assert large == small
    # The roster's 11th query finds grades off the rubric's scale (the rescale notice).
    assert small[0] <= 11 and small[1] <= 22


def test_grader_links_from_the_prompt_page(client, ada, cleo, graded):
    client.force_login(ada)
    page = client.get(graded.get_absolute_url()).content.decode()
    assert grader_url(graded) in page
    client.force_login(cleo)
    student_view = page_text(client.get(graded.get_absolute_url()))
    assert graded.title in student_view and grader_url(graded) not in student_view
    assert (
        reverse("grading:my-grades", kwargs={"course": graded.course.slug})
        in client.get(graded.course.get_absolute_url()).content.decode()
    )


def test_a_post_behind_a_released_grade_cannot_be_deleted_by_its_author(
    client, ada, cleo, graded, posts
):
    delete = reverse(
        "discussions:post-delete",
        kwargs={"course": graded.course.slug, "pk": posts["cleo_response"].pk},
    )
    client.force_login(cleo)
    assert delete in client.get(graded.get_absolute_url()).content.decode()
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form())
    # Before release nothing hints at the grade (a deletion is soft: the grader keeps the text).
    client.force_login(cleo)
    assert delete in client.get(graded.get_absolute_url()).content.decode()
    client.force_login(ada)
    client.post(
        reverse("grading:release", kwargs={"course": graded.course.slug, "pk": graded.pk}),
        {"scope": "everyone"},
    )
    client.force_login(cleo)
    assert delete not in client.get(graded.get_absolute_url()).content.decode()
    response = client.post(delete)
    assert response.status_code == 403
    posts["cleo_response"].refresh_from_db()
    assert posts["cleo_response"].deleted_at is None
    # A post written after the grade was not graded: its author may still delete it.
    later = make_post(graded, cleo, "An afterthought.")
    later_delete = reverse(
        "discussions:post-delete", kwargs={"course": graded.course.slug, "pk": later.pk}
    )
    assert client.post(later_delete).status_code == 302


def test_hiding_released_grades_lets_the_author_delete_again(client, ada, cleo, graded, posts):
    delete = reverse(
        "discussions:post-delete",
        kwargs={"course": graded.course.slug, "pk": posts["cleo_response"].pk},
    )
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form())
    release = reverse("grading:release", kwargs={"course": graded.course.slug, "pk": graded.pk})
    client.post(release, {"scope": "everyone"})
    client.force_login(cleo)
    assert delete not in client.get(graded.get_absolute_url()).content.decode()

    grading_services.hide_grades(prompt=graded, by=ada)

    page = client.get(graded.get_absolute_url())
    assert page.status_code == 200
    assert delete in page.content.decode()
    assert client.post(delete).status_code == 302


def test_a_scheduled_release_keeps_posts_deletable_until_its_time(ada, cleo, graded, posts):
    grading_services.save_grade(
        prompt=graded,
        student=cleo,
        grader=ada,
        status="graded",
        entered=Decimal(8),
        expected_version=None,
    )
    later = timezone.now() + timedelta(days=2)
    grading_services.release_grades(prompt=graded, by=ada, everyone=True, at=later, notify=False)
    participation = Participation.objects.get(prompt=graded, user=cleo)

    before = discussion_selectors.graded_posts(
        prompt=graded, user=cleo, participation=participation
    )
    after = discussion_selectors.graded_posts(
        prompt=graded, user=cleo, participation=participation, now=later
    )

    assert before == frozenset()
    assert after == {posts["cleo_response"].pk, posts["cleo_reply"].pk}


class _AppsBeforeTheRename:
    """The models as that migration names them: GradingPolicy was PromptGrading until 0005."""

    def get_model(self, app_label, name):
        renamed = {"PromptGrading": "GradingPolicy"}
        return django_apps.get_model(app_label, renamed.get(name, name))


def test_posts_graded_before_the_mark_existed_are_marked_by_the_migration(ada, cleo, graded, posts):
    migration = importlib.import_module("discussions.grading.migrations.0004_freeze_graded_posts")
    grading_services.save_grade(
        prompt=graded,
        student=cleo,
        grader=ada,
        status="graded",
        entered=Decimal(8),
        expected_version=None,
    )
    grading_services.release_grades(prompt=graded, by=ada, everyone=True, notify=False)
    marked = dict(Post.objects.filter(prompt=graded).values_list("pk", "grade_released_at"))
    Post.objects.update(grade_released_at=None)  # as stored before the field existed

    migration.freeze(_AppsBeforeTheRename(), None)

    assert dict(Post.objects.filter(prompt=graded).values_list("pk", "grade_released_at")) == marked
    assert marked[posts["cleo_response"].pk] is not None
    assert marked[posts["dora_response"].pk] is None
