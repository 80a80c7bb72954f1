"""A course exported as one archive and imported elsewhere: everything comes back, as a new
course, and a damaged archive saves nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from destalin.models import Course, User
from discussions import post_services as discussion_post_services
from discussions.grading import services as grading
from discussions.grading.models import Grade, GradingPolicy, Rubric
from discussions.models import Post, PostRevision, Prompt
from discussions.moderation import services as moderation
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(course, ada, ben, cleo, dora, thaw, tmp_path):
    rubric = Rubric.objects.create(course=course, title="Discussion rubric")
    criterion = rubric.criteria.create(title="Argument", position=1)
    strong = criterion.levels.create(title="Strong", points=6, position=1)
    prompt = PromptFactory(course=course, title="The Thaw", points_possible=10)
    prompt.readings.set([thaw])
    GradingPolicy.objects.create(prompt=prompt, rubric=rubric)
    response = make_post(prompt, cleo, "Cleo's *response*.")
    reply = make_post(prompt, dora, "Dora answers.", parent=response)
    make_post(prompt, cleo, "Cleo again.", parent=reply)
    discussion_post_services.edit_post(post=response, editor=cleo, body="Cleo's *edited* response.")
    moderation.hide_post(post=reply, by=ben, reason="Too sharp")
    grading.save_grade(
        prompt=prompt,
        student=cleo,
        grader=ada,
        status="graded",
        levels={criterion.pk: strong},
        feedback="Good.",
        expected_version=0,
    )
    path = tmp_path / "course.json"
    call_command("export_course", course.slug, str(path), verbosity=0)
    return path


def test_an_exported_course_comes_back_whole_as_a_new_course(archived, course, cleo):
    call_command("import_course", str(archived), slug="restored", verbosity=0)
    new = Course.objects.get(slug="restored")
    assert (new.title, new.code, new.term) == (course.title, course.code, course.term)
    assert sorted(new.memberships.values_list("user__email", "role")) == sorted(
        course.memberships.values_list("user__email", "role")
    )
    prompt = Prompt.objects.get(course=new)
    assert list(prompt.readings.values_list("slug", flat=True)) == ["the-thaw"]
    old = list(Post.objects.filter(prompt__course=course).order_by("path"))
    posts = list(Post.objects.filter(prompt=prompt).order_by("path"))
    assert [(p.body, p.depth, p.author_id) for p in posts] == [
        (p.body, p.depth, p.author_id) for p in old
    ]
    assert posts[1].parent == posts[0] and posts[2].root == posts[0]
    assert posts[0].body_html.strip() == "<p>Cleo's <em>edited</em> response.</p>"
    assert posts[1].hidden_reason == "Too sharp" and posts[1].hidden_by_role == "ta"
    assert PostRevision.objects.get(post=posts[0]).body == "Cleo's *response*."
    assert prompt.post_count == 3
    grade = Grade.objects.get(prompt=prompt)
    # The rubric's top level (6 of 6) scaled to the prompt's 10 points.
    assert (grade.student, grade.score, grade.feedback) == (cleo, 10, "Good.")
    level = grade.rubric.criteria.get().levels.get(
        pk=grade.rubric_levels[str(grade.rubric.criteria.get().pk)]
    )
    assert level.title == "Strong" and grade.rubric.course == new
    assert grade.graded_versions == {str(posts[0].pk): 1, str(posts[2].pk): 0}
    assert cleo.participations.get(prompt=prompt).responses == 1


def test_importing_elsewhere_creates_missing_people_without_passwords(archived, course):
    data = json.loads(archived.read_text())
    data["people"].append(
        {
            "email": "new@example.edu",
            "display_name": "New",
            "role": "student",
            "joined_at": None,
            "removed_at": None,
        }
    )
    archived.write_text(json.dumps(data))
    call_command("import_course", str(archived), verbosity=0)
    newcomer = User.objects.get(email="new@example.edu")
    assert not newcomer.has_usable_password()


def test_unsafe_html_in_an_archive_is_rendered_away(archived):
    data = json.loads(archived.read_text())
    data["posts"][0]["body"] = "<script>alert(1)</script> **bold**"
    archived.write_text(json.dumps(data))
    call_command("import_course", str(archived), slug="safe", verbosity=0)
    post = Post.objects.filter(prompt__course__slug="safe").order_by("path").first()
    assert "<script>" not in post.body_html and "<strong>bold</strong>" in post.body_html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a Destalin course archive"),
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d["posts"][1].update(parent=123456), "incomplete or damaged"),
        (lambda d: d.pop("grades"), "incomplete or damaged"),
        (lambda d: d["prompts"][0].update(due_at="yesterday"), "incomplete or damaged"),
    ],
)
def test_a_damaged_archive_saves_nothing(archived, change, message):
    data = json.loads(archived.read_text())
    change(data)
    archived.write_text(json.dumps(data))
    before = (Course.objects.count(), Post.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match=message):
        call_command("import_course", str(archived), verbosity=0)
    assert (Course.objects.count(), Post.objects.count(), User.objects.count()) == before


def test_unreadable_files_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_course", str(bad), verbosity=0)
    with pytest.raises(CommandError, match="No course"):
        call_command("export_course", "nope", str(tmp_path / "x.json"), verbosity=0)


def test_an_edit_waiting_for_review_comes_back_waiting(
    course, ada, cleo, dora, client_for, tmp_path
):
    course.hold_posts = True
    course.save()
    prompt = PromptFactory(course=course, title="Held edits")
    post = make_post(prompt, cleo, "Approved text.")
    Post.objects.filter(pk=post.pk).update(held_at=None)  # a moderator approved it
    post.refresh_from_db()
    discussion_post_services.edit_post(post=post, editor=cleo, body="The *edited* text.")
    post.refresh_from_db()
    assert post.pending_at is not None
    path = tmp_path / "course.json"
    call_command("export_course", course.slug, str(path), verbosity=0)
    call_command("import_course", str(path), slug="restored", verbosity=0)

    copy = Post.objects.get(prompt__course__slug="restored")
    assert (copy.body, copy.pending_body, copy.pending_at, copy.pending_reason) == (
        "Approved text.", "The *edited* text.", post.pending_at, post.pending_reason
    )  # fmt: skip
    # Classmates still read the approved text; the edit is in the new course's queue...
    thread = reverse("discussions:prompt", args=["restored", copy.prompt_id])
    page = client_for(dora).get(thread).content.decode()
    assert "Approved text." in page and "edited" not in page
    queue = client_for(ada).get(reverse("discussions:review-queue", args=["restored"]))
    assert "Edit awaiting review" in queue.content.decode()
    assert "The <em>edited</em> text." in queue.content.decode()
    # ...and approving it there publishes it.
    moderate = reverse("discussions:post-moderate", args=["restored", copy.pk])
    assert client_for(ada).post(moderate, {"action": "approve"}).status_code == 302
    copy.refresh_from_db()
    assert copy.body == "The *edited* text." and copy.pending_at is None


def test_an_archive_made_before_pending_edits_were_carried_still_imports(archived):
    data = json.loads(archived.read_text())
    for post in data["posts"]:
        for field in ("pending_body", "pending_at", "pending_reason"):
            del post[field]
    archived.write_text(json.dumps(data))
    call_command("import_course", str(archived), slug="older", verbosity=0)
    posts = Post.objects.filter(prompt__course__slug="older")
    assert posts.count() == 3 and not posts.filter(pending_at__isnull=False).exists()
