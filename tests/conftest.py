"""Named people make tests read like stories: in the course HIST 274, ``ada`` teaches, ``ben``
is her TA, ``cleo`` and ``dora`` are students; ``eve`` studies in another course; ``sam`` is
site staff; ``otto`` has an account and no course."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from destalin.models import Role
from discussions.grading.models import Rubric
from discussions.models import Quote, RevealMode
from discussions.notifications import unsubscribe_token
from readings.models import Reading
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    MembershipFactory,
    PromptFactory,
    ReadingFactory,
    UserFactory,
    make_post,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; no test may inherit another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(db):
    return CourseFactory(code="HIST 274", slug="hist-274", title="The Soviet Union after Stalin")


@pytest.fixture
def other_course(db):
    return CourseFactory(code="HIST 101", slug="hist-101", title="Europe since 1945")


def _member(course, role, **user):
    return MembershipFactory(course=course, role=role, user=UserFactory(**user)).user


@pytest.fixture
def ada(course):
    return _member(
        course, Role.INSTRUCTOR, display_name="Ada", email="ada@example.edu", is_instructor=True
    )


@pytest.fixture
def ben(course):
    return _member(course, Role.TA, display_name="Ben", email="ben@example.edu")


@pytest.fixture
def cleo(course):
    return _member(course, Role.STUDENT, display_name="Cleo", email="cleo@example.edu")


@pytest.fixture
def dora(course):
    return _member(course, Role.STUDENT, display_name="Dora", email="dora@example.edu")


@pytest.fixture
def eve(other_course):
    return _member(other_course, Role.STUDENT, display_name="Eve", email="eve@example.edu")


@pytest.fixture
def sam(db):
    return UserFactory(
        display_name="Sam", email="sam@example.edu", is_staff=True, is_superuser=True
    )


@pytest.fixture
def otto(db):
    return UserFactory(display_name="Otto", email="otto@example.edu")


@pytest.fixture
def people(ada, ben, cleo, dora, eve, sam, otto):
    return {
        "ada": ada,
        "ben": ben,
        "cleo": cleo,
        "dora": dora,
        "eve": eve,
        "sam": sam,
        "otto": otto,
    }


@pytest.fixture
def client_for(client):
    """A client signed in as the given user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def seed_readings(course):
    """The four seed readings from the fixture, all assigned in HIST 274."""
    call_command("loaddata", "readings", verbosity=0)
    for position, reading in enumerate(Reading.objects.order_by("slug"), start=1):
        AssignmentFactory(course=course, reading=reading, position=position)
    return {r.slug: r for r in Reading.objects.all()}


@pytest.fixture
def thaw(course):
    """A short reading assigned in HIST 274, in three sections."""
    reading = ReadingFactory(
        slug="the-thaw",
        title="The Thaw",
        sections=[
            (
                "Origins",
                "Ehrenburg's novel gave the era its name.\n\n- Releases\n- Rehabilitations",
            ),
            ("", "An untitled part.\n\n> A quoted line."),
            ("Limits", "| Year | Event |\n| --- | --- |\n| 1956 | Hungary |"),
        ],
    )
    AssignmentFactory(course=course, reading=reading, position=1)
    return reading


@pytest.fixture
def prompt(course):
    """A published, open-reveal prompt in HIST 274 with one response and one reply required."""
    return PromptFactory(course=course, required_responses=1, required_replies=1)


@pytest.fixture
def guarded(course):
    """A prompt whose classmates' posts appear only after one's own 10-word response."""
    return PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=10)


# The world the access, CSRF and page-wide tests run in: HIST 274 with its people, the reading
# "The Thaw", and a prompt where Cleo's post quotes it.
@pytest.fixture
def world(people, course, thaw, prompt_with_post, uploads):
    return {**prompt_with_post, **uploads}


@pytest.fixture
def uploads(course, thaw, ada):
    """A pasted text waiting to be checked, and the file ``thaw`` was made from."""
    from django.core.files.base import ContentFile

    from readings.models import Upload, UploadStatus
    from readings.uploads import start_paste

    ready = start_paste(
        course=course, by=ada, title="Speech", text="It was read aloud.", is_markdown=False
    )
    original = Upload(
        course=course, uploaded_by=ada, name="thaw.md", file_format="markdown", size=9,
        status=UploadStatus.PUBLISHED, reading=thaw,
    )  # fmt: skip
    original.file.save("thaw.md", ContentFile(b"## Origins"), save=True)
    return {"upload": ready.pk}


@pytest.fixture
def prompt_with_post(course, thaw, cleo, dora):
    from discussions.note_services import post_note
    from discussions.selectors import quote_markdown
    from readings.models import Paragraph
    from tests.factories import PromptFactory

    prompt = PromptFactory(course=course, points_possible=10)
    paragraph = Paragraph.objects.select_related("reading", "section").get(reading=thaw, number=1)
    body = quote_markdown(course=course, paragraph=paragraph, text=paragraph.text) + "Mine."
    post = make_post(prompt, cleo, body)
    # A note in the reading's margin: every page-wide test meets one.
    note = post_note(
        course=course,
        author=dora,
        role=Role.STUDENT,
        paragraph=paragraph,
        exact="gave the era its name",
        body="Dora notes where the name came from.",
        visibility="course",
    )
    return {
        "note": note.pk,
        "prompt": prompt.pk,
        "post": post.pk,
        "quote": Quote.objects.get(post=post).pk,
        "token": unsubscribe_token(cleo, "replies"),
        "student": cleo.pk,
        "rubric": Rubric.objects.create(course=course, title="Discussion rubric").pk,
    }


@pytest.fixture
def smtp(settings):
    """Mail goes out over SMTP to a real local server; ``smtp.messages`` is what it accepted,
    ``smtp.refused`` the addresses it answers 550 for."""
    from tests import mailserver

    controller, recorder = mailserver.start()
    for name, value in mailserver.smtp_settings(controller.port).items():
        setattr(settings, name, value)
    yield recorder
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Mail goes out over SMTP to a port where no server listens."""
    from tests import mailserver

    for name, value in mailserver.smtp_settings(mailserver.free_port()).items():
        setattr(settings, name, value)
