"""Reads about prompts for the course and teachers' pages: the course's prompts with the
viewer's participation and unread count, every student's participation in a prompt, and
extensions."""

from dataclasses import dataclass

from django.db.models import Count, Q

from destalin.selectors import students_of
from destalin.text import by_name
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
    """The course's prompts in order, with the viewer's participation and unread count. Three
    queries whatever the number of prompts and posts. Unread posts are read through the
    (prompt, published_at) index from the viewer's last visit to each prompt, so the count
    costs what is new, not every post of the course (issue 22)."""
    prompts = list(course.prompts.visible_to(user, teaching=teaching).order_by("position", "id"))
    participations = {
        p.prompt_id: p for p in Participation.objects.filter(user=user, prompt__in=prompts)
    }
    unread = {}
    if prompts:
        since_last_visit = Q()
        for prompt in prompts:
            visited = getattr(participations.get(prompt.pk), "last_visited_at", None)
            since_last_visit |= (
                Q(prompt_id=prompt.pk)
                if visited is None
                else Q(prompt_id=prompt.pk, published_at__gt=visited)
            )
        unread = dict(
            Post.objects.visible_to(user)
            .filter(since_last_visit)
            .exclude(author=user)
            .order_by()
            .values_list("prompt_id")
            .annotate(n=Count("id"))
        )
    return [
        PromptRow(prompt=p, participation=participations.get(p.pk), unread=unread.get(p.pk, 0))
        for p in prompts
    ]


@dataclass(frozen=True)
class StudentParticipation:
    student: object
    participation: Participation | None

    def meets(self, prompt):
        return self.participation is not None and self.participation.meets(prompt)


def student_participations(*, prompt):
    """Every current student of the course with their participation in the prompt, for teachers.
    Two queries whatever the class size."""
    students = students_of(prompt.course)
    participations = {
        p.user_id: p
        for p in Participation.objects.filter(prompt=prompt, user__in=[s.pk for s in students])
    }
    return [StudentParticipation(s, participations.get(s.pk)) for s in students]


def extensions_of(prompt):
    """The prompt's extensions, by the student's name."""
    return by_name(
        prompt.participations.filter(
            Q(extended_due_at__isnull=False) | Q(extended_cutoff_at__isnull=False)
        ).select_related("user"),
        name=lambda p: p.user.display_name,
        then=lambda p: p.user_id,
    )
