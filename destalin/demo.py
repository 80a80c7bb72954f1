"""The demo course and its logins, for trying the product locally (`make run`)."""

from allauth.account.models import EmailAddress
from django.db import transaction

from destalin.models import Course, Membership, Role, User

DEMO_PASSWORD = "destalin-demo"
DEMO_COURSE = {
    "slug": "hist-274-fall-2026",
    "code": "HIST 274",
    "term": "Fall 2026",
    "title": "The Soviet Union after Stalin",
    "description": (
        "How did the Soviet Union leave Stalin behind, and how far? We read notes, "
        "articles and an encyclopedia entry on de-Stalinization, and argue about the Secret "
        "Speech and what followed it."
    ),
}
# The six students are named as the authors of the responses in the seed discussion.
DEMO_PEOPLE = [
    ("instructor@demo.destalin.test", "Prof. Ada Novak", Role.INSTRUCTOR),
    ("ta@demo.destalin.test", "Ben Okafor (TA)", Role.TA),
    ("sowelld@demo.destalin.test", "sowelld", Role.STUDENT),
    ("ianfries@demo.destalin.test", "ianfries", Role.STUDENT),
    ("rodriver@demo.destalin.test", "rodriver", Role.STUDENT),
    ("lernerm@demo.destalin.test", "lernerm", Role.STUDENT),
    ("chance@demo.destalin.test", "Chance Robbins", Role.STUDENT),
    ("danielle@demo.destalin.test", "Danielle", Role.STUDENT),
]


@transaction.atomic
def ensure_demo_course():
    """Create whatever part of the demo is missing; never touches what exists."""
    course, _ = Course.objects.get_or_create(slug=DEMO_COURSE["slug"], defaults=DEMO_COURSE)
    people = []
    for email, name, role in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=name,
                is_instructor=role == Role.INSTRUCTOR,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.get_or_create(user=user, course=course, defaults={"role": role})
        people.append((email, name, role))
    return course, people
