"""Participation analytics for a prompt and for the course: counts, who has not posted yet,
the distribution of scores, posts over time and who replied to whom, as pictures with a
table behind each."""

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from destalin.models import Membership
from destalin.selectors import get_course_access, students_of
from discussions.grading import charts, permissions
from discussions.grading.models import Grade, GradeStatus
from discussions.grading.views import teacher_prompt
from discussions.models import Post


@dataclass(frozen=True)
class PromptCounts:
    prompt: object
    responses: int
    replies: int
    words: int
    late: int
    posters: int


def counts_by_prompt(prompts):
    """Live posts of each prompt, counted in one query."""
    rows = {
        row["prompt"]: row
        for row in Post.objects.filter(prompt__in=prompts, deleted_at__isnull=True)
        .order_by()
        .values("prompt")
        .annotate(
            responses=Count("id", filter=Q(parent__isnull=True)),
            replies=Count("id", filter=Q(parent__isnull=False)),
            words=Sum("word_count"),
            late=Count("id", filter=Q(is_late=True)),
            posters=Count("author", distinct=True),
        )
    }
    return [
        PromptCounts(
            prompt=p,
            responses=rows.get(p.pk, {}).get("responses", 0),
            replies=rows.get(p.pk, {}).get("replies", 0),
            words=rows.get(p.pk, {}).get("words") or 0,
            late=rows.get(p.pk, {}).get("late", 0),
            posters=rows.get(p.pk, {}).get("posters", 0),
        )
        for p in prompts
    ]


def silent_students(course, prompts):
    """Current students with no live post in any of these prompts. Two queries."""
    posted = set(
        Post.objects.filter(prompt__in=prompts, deleted_at__isnull=True).values_list(
            "author", flat=True
        )
    )
    return [s for s in students_of(course) if s.pk not in posted]


def mail_link(students, subject):
    """One click to write to them all, in the teacher's own mail program (blind copies, so
    students do not see each other's addresses)."""
    if not students:
        return ""
    bcc = ",".join(quote(s.email, safe="@") for s in students)
    return f"mailto:?bcc={bcc}&subject={quote(subject)}"


def posts_by_day(prompts):
    zone = timezone.get_current_timezone()
    rows = (
        Post.objects.filter(prompt__in=prompts, deleted_at__isnull=True)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(
            responses=Count("id", filter=Q(parent__isnull=True)),
            replies=Count("id", filter=Q(parent__isnull=False)),
        )
        .order_by("day")
    )
    return [(r["day"], r["responses"], r["replies"]) for r in rows]


def reply_pairs(course, prompts):
    """Names of the people who replied or were replied to, and the number of replies from
    each to each."""
    pairs = list(
        Post.objects.filter(prompt__in=prompts, parent__isnull=False, deleted_at__isnull=True)
        .order_by()
        .values_list("author_id", "parent__author_id")
        .annotate(n=Count("id"))
    )
    people = {
        m.user_id: m.user.display_name
        for m in Membership.objects.filter(course=course).select_related("user")
    }
    ids = sorted(
        {a for a, _, _ in pairs} | {b for _, b, _ in pairs}, key=lambda i: people.get(i, "")
    )
    index = {pk: i for i, pk in enumerate(ids)}
    counts = {(index[a], index[b]): n for a, b, n in pairs}
    return [people.get(pk, "Former member") for pk in ids], counts


def _charts(course, prompts, title, points_possible, scores, due=None):
    names, counts = reply_pairs(course, prompts)
    return [
        charts.score_histogram(
            scores=scores, points_possible=points_possible, title=f"Scores, {title}"
        ),
        charts.posts_over_time(
            days=posts_by_day(prompts), title=f"Posts over time, {title}", due=due
        ),
        charts.reply_matrix(names=names, counts=counts, title=f"Who replied to whom, {title}"),
    ]


@require_GET
def prompt_analytics(request, course, pk):
    """One prompt's participation: counts, students yet to post, and the three charts."""
    access = teacher_prompt(request, course, pk)
    prompt = access.prompt
    scores = list(
        Grade.objects.filter(prompt=prompt, status=GradeStatus.GRADED)
        .exclude(score__isnull=True)
        .values_list("score", flat=True)
    )
    silent = silent_students(access.course, [prompt])
    return render(
        request,
        "grading/analytics.html",
        {
            "course": access.course,
            "prompt": prompt,
            "counts": counts_by_prompt([prompt]),
            "silent": silent,
            "mail_link": mail_link(silent, f"{prompt.title}: your post"),
            "charts": _charts(
                access.course,
                [prompt],
                prompt.title,
                prompt.points_possible,
                scores,
                due=timezone.localdate(prompt.due_at) if prompt.due_at else None,
            ),
        },
    )


@require_GET
def course_analytics(request, course):
    """The course's participation across its published prompts; scores as a share of the
    points possible of each graded prompt."""
    access = get_course_access(request.user, course)
    permissions.check_grade(access.role)
    prompts = list(access.course.prompts.filter(is_published=True).order_by("position", "id"))
    graded = {p.pk: p.points_possible for p in prompts if p.is_graded}
    percents = [
        round(score * 100 / graded[prompt_id], 2)
        for prompt_id, score in Grade.objects.filter(
            prompt__in=list(graded), status=GradeStatus.GRADED, score__isnull=False
        ).values_list("prompt_id", "score")
    ]
    silent = silent_students(access.course, prompts)
    return render(
        request,
        "grading/analytics.html",
        {
            "course": access.course,
            "counts": counts_by_prompt(prompts),
            "silent": silent,
            "mail_link": mail_link(silent, f"{access.course.code}: the discussions"),
            "charts": _charts(access.course, prompts, access.course.code, 100, percents),
        },
    )
