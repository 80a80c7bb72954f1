"""Reads about prompts for the course and teachers' pages: the course's prompts with the
viewer's standing and unread count, every student's standing in a prompt, and extensions."""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery

from destalin.selectors import students_of
from discussions.models import Participation, Post, Prompt


@dataclass(frozen=True)
class PromptRow:
    prompt: Prompt
    participation: Participation | None
    unread: int

    @property
    def is_met(self):
        return self.participation is not None and self.participation.meets(self.prompt)


def prompts_for_course(*, course, user, teaching):
    """The course's prompts in order, with the viewer's standing and unread count. Three
    queries whatever the number of prompts and posts."""
    prompts = list(course.prompts.visible_to(user, teaching=teaching).order_by("position", "id"))
    participations = {
        p.prompt_id: p for p in Participation.objects.filter(user=user, prompt__in=prompts)
    }
    last_visit = Participation.objects.filter(user=user, prompt=OuterRef("prompt_id")).values(
        "last_visited_at"
    )[:1]
    unread = dict(
        Post.objects.visible_to(user)
        .filter(prompt__in=prompts)
        .exclude(author=user)
        .annotate(visited=Subquery(last_visit))
        .filter(Q(visited__isnull=True) | Q(published_at__gt=F("visited")))
        .order_by()
        .values_list("prompt_id")
        .annotate(n=Count("id"))
    )
    return [
        PromptRow(prompt=p, participation=participations.get(p.pk), unread=unread.get(p.pk, 0))
        for p in prompts
    ]


@dataclass(frozen=True)
class StudentStanding:
    student: object
    participation: Participation | None

    def meets(self, prompt):
        return self.participation is not None and self.participation.meets(prompt)


def standings(*, prompt):
    """Every current student of the course with their standing in the prompt, for teachers.
    Two queries whatever the class size."""
    students = students_of(prompt.course)
    participations = {
        p.user_id: p
        for p in Participation.objects.filter(prompt=prompt, user__in=[s.pk for s in students])
    }
    return [StudentStanding(s, participations.get(s.pk)) for s in students]


def extensions_of(prompt):
    return (
        prompt.participations.filter(
            Q(extended_due_at__isnull=False) | Q(extended_cutoff_at__isnull=False)
        )
        .select_related("user")
        .order_by("user__display_name")
    )
