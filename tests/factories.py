import factory
from allauth.account.models import EmailAddress

from destalin.models import Course, Membership, Role, User
from discussions.models import Prompt, RevealMode
from discussions.post_services import post_reply
from readings.models import Assignment, Reading, Section
from readings.services import render_reading

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.edu")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = "The Soviet Union after Stalin"
    code = factory.Sequence(lambda n: f"HIST {200 + n}")
    term = "Fall 2026"
    slug = factory.Sequence(lambda n: f"hist-{200 + n}-fall-2026")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    role = Role.STUDENT


class ReadingFactory(factory.django.DjangoModelFactory):
    """A reading rendered as saving it would: sections, HTML and numbered paragraphs."""

    class Meta:
        model = Reading
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"reading-{n}")
    title = factory.Sequence(lambda n: f"Reading {n}")
    author = "Denis Kozlov"
    kind = "article"

    @factory.post_generation
    def sections(reading, create, extracted, **kwargs):
        bodies = extracted or [("Part one", "First paragraph.\n\nSecond paragraph.")]
        Section.objects.bulk_create(
            Section(reading=reading, position=n, title=title, body=body)
            for n, (title, body) in enumerate(bodies, start=1)
        )
        render_reading(reading=reading)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    reading = factory.SubFactory(ReadingFactory)
    position = factory.Sequence(lambda n: n + 1)


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prompt

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Was the Secret Speech a turning point? ({n})")
    body = "Argue it from the readings."
    body_html = "<p>Argue it from the readings.</p>"
    reveal_mode = RevealMode.OPEN
    is_published = True
    position = factory.Sequence(lambda n: n + 1)


def make_post(prompt, author, body=None, parent=None, **kwargs):
    """A post made the way people make them, through the service, so paths and participation are
    right. The author's role comes from their membership."""
    membership = Membership.objects.get(user=author, course=prompt.course)
    make_post.counter += 1
    return post_reply(
        prompt=prompt,
        author=author,
        role=membership.role,
        body=body or f"Post number {make_post.counter} about the Thaw.",
        parent=parent,
        **kwargs,
    )


make_post.counter = 0
