"""Copying a course into a new term, and backing up and restoring the whole site."""

import io
import json
import os
import subprocess
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from destalin.models import Course, Membership, Role
from discussions.grading.models import Grade, GradingPolicy, Rubric
from discussions.models import Post, Prompt
from readings.models import Assignment
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(course, ada, cleo, thaw):
    due = timezone.now() + timedelta(days=7)
    Assignment.objects.filter(course=course).update(due_at=due)
    rubric = Rubric.objects.create(course=course, title="Discussion rubric")
    criterion = rubric.criteria.create(title="Argument", position=1)
    criterion.levels.create(title="Strong", points=6, position=1)
    prompt = PromptFactory(course=course, title="The Thaw", points_possible=10, due_at=due)
    prompt.readings.set([thaw])
    GradingPolicy.objects.create(prompt=prompt, rubric=rubric, late_percent_per_day=10)
    make_post(prompt, cleo, "Cleo's work stays in this term.")
    return prompt


def _wall(moment, course):
    local = moment.astimezone(ZoneInfo(course.time_zone))
    return local.date(), local.time()


def test_copying_a_course_keeps_its_plan_and_leaves_its_people_and_work(ada, course, term):
    out = io.StringIO()
    call_command(
        "copy_course",
        course.slug,
        term="Spring 2027",
        instructor="ADA@example.edu",
        shift_days=140,
        stdout=out,
    )
    new = Course.objects.exclude(pk=course.pk).get()
    assert new.term == "Spring 2027" and new.title == course.title
    assert list(Membership.objects.filter(course=new).values_list("user", "role")) == [
        (ada.pk, Role.INSTRUCTOR)
    ]
    old_assignment = Assignment.objects.get(course=course)
    new_assignment = Assignment.objects.get(course=new)
    assert new_assignment.reading_id == old_assignment.reading_id
    # 140 calendar days later on the course's wall clock (a change of daylight saving between
    # the two makes it 139 days and 23 hours of absolute time, which is right).
    assert _wall(new_assignment.due_at, new) == (
        _wall(old_assignment.due_at, course)[0] + timedelta(days=140),
        _wall(old_assignment.due_at, course)[1],
    )
    prompt = Prompt.objects.get(course=new)
    assert prompt.title == "The Thaw" and not prompt.is_published
    assert _wall(prompt.due_at, new)[1] == _wall(term.due_at, course)[1]
    assert _wall(prompt.due_at, new)[0] - _wall(term.due_at, course)[0] == timedelta(days=140)
    assert list(prompt.readings.values_list("slug", flat=True)) == ["the-thaw"]
    policy = GradingPolicy.objects.get(prompt=prompt)
    assert policy.rubric.course == new and policy.late_percent_per_day == 10
    assert policy.rubric.criteria.get().levels.get().points == 6
    assert not Post.objects.filter(prompt__course=new).exists()
    assert not Grade.objects.filter(prompt__course=new).exists()
    assert new.slug in out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"instructor": "nobody@example.edu"}, "No user"),
        ({"shift_days": 99999}, "at most ten years"),
        ({"slug": "no-such-course"}, "No course"),
    ],
)
def test_copying_refuses_bad_input(ada, course, term, options, message):
    arguments = {"slug": course.slug, "term": "Later", "instructor": ada.email, "shift_days": 7}
    arguments.update(options)
    slug = arguments.pop("slug")
    with pytest.raises(CommandError, match=message):
        call_command("copy_course", slug, **arguments)
    assert Course.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # flush and load for real, as a restore does
def test_dumpdata_and_loaddata_restore_the_site(ada, course, term, tmp_path):
    backup = tmp_path / "site.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        output=str(backup),
        verbosity=0,
    )
    counts = {m: m.objects.count() for m in (Course, Post, Prompt, GradingPolicy, Rubric)}
    call_command("flush", interactive=False, verbosity=0)
    assert Post.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
    assert {m: m.objects.count() for m in counts} == counts
    assert Post.objects.get().body == "Cleo's work stays in this term."
    assert json.loads(backup.read_text())  # a readable archive


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_restore_the_site(course, term):
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    source, target = settings["NAME"], f"{settings['NAME']}_restored"
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    dump = subprocess.run(
        ["pg_dump", "--format=custom", f"{url}/{source}"],
        env=env,
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["dropdb", "--if-exists", "-h", settings["HOST"], "-U", settings["USER"], target],
        env=env,
        check=True,
    )
    subprocess.run(
        ["createdb", "-h", settings["HOST"], "-U", settings["USER"], target], env=env, check=True
    )
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", f"{url}/{target}"],
            input=dump.stdout,
            env=env,
            check=True,
        )
        count = subprocess.run(
            ["psql", f"{url}/{target}", "-tAc", "SELECT count(*) FROM discussions_post"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert count.stdout.strip() == str(Post.objects.count())
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "-h", settings["HOST"], "-U", settings["USER"], target],
            env=env,
            check=True,
        )
