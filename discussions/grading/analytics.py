"""Participation analytics for a prompt and for the course: counts, each student's
participation, who has not posted yet, the distribution of scores, posts over time and who
replied to whom, as pictures with a table behind each. A reply to one's own post is a post,
not an interaction: it counts in no reply column and in no pair of who replied to whom."""

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import render
from django.views.decorators.http import require_GET

from destalin import times
from destalin.models import Membership
from destalin.selectors import get_course_access, students_of
from destalin.text import name_key
from discussions.grading import charts, permissions
from discussions.grading.models import Grade, GradeStatus
from discussions.grading.views import teacher_prompt
from discussions.models import Participation, Post

# A reply to someone else: the only kind that is an interaction.
TO_ANOTHER = Q(parent__isnull=False) & ~Q(parent__author=F("author"))


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


@dataclass(frozen=True)
class StudentActivity:
    """One student's live posts in some prompts. ``replies`` are to other people's posts;
    first and last activity are aware datetimes (None without any): the first post, and the
    latest post, edit or visit."""

    student: object
    posts: int
    responses: int
    replies: int
    words: int
    late: int
    first_at: object
    last_at: object


def participation_by_student(course, prompts):
    """Every current student, by name, with their participation in these prompts, those
    without a post included. Three queries whatever the class size."""
    students = students_of(course)
    ids = [s.pk for s in students]
    posts = {
        row["author"]: row
        for row in Post.objects.filter(prompt__in=prompts, author__in=ids, deleted_at__isnull=True)
        .order_by()
        .values("author")
        .annotate(
            posts=Count("id"),
            responses=Count("id", filter=Q(parent__isnull=True)),
            replies=Count("id", filter=TO_ANOTHER),
            words=Sum("word_count"),
            late=Count("id", filter=Q(is_late=True)),
            first_at=Min("created_at"),
            last_at=Max(Coalesce("edited_at", "created_at")),
        )
    }
    visited = dict(
        Participation.objects.filter(prompt__in=prompts, user__in=ids)
        .order_by()
        .values("user")
        .annotate(last=Max("last_visited_at"))
        .values_list("user", "last")
    )
    rows = []
    for student in students:
        row = posts.get(student.pk, {})
        latest = [t for t in (row.get("last_at"), visited.get(student.pk)) if t is not None]
        rows.append(
            StudentActivity(
                student=student,
                posts=row.get("posts", 0),
                responses=row.get("responses", 0),
                replies=row.get("replies", 0),
                words=row.get("words") or 0,
                late=row.get("late", 0),
                first_at=row.get("first_at"),
                last_at=max(latest, default=None),
            )
        )
    return rows


def mail_link(students, subject):
    """One click to write to them all, in the teacher's own mail program (blind copies, so
    students do not see each other's addresses)."""
    if not students:
        return ""
    bcc = ",".join(quote(s.email, safe="@") for s in students)
    return f"mailto:?bcc={bcc}&subject={quote(subject)}"


def posts_by_day(prompts, zone):
    """(calendar day in ``zone``, responses, replies) for each day with posts, in order: a
    post at 7:30 PM in the course's zone counts on that day, not on the next in UTC."""
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
    """Names of the people who replied to someone else or were replied to, and the number of
    replies from each to each (replies to oneself left out)."""
    pairs = list(
        Post.objects.filter(TO_ANOTHER, prompt__in=prompts, deleted_at__isnull=True)
        .order_by()
        .values_list("author_id", "parent__author_id")
        .annotate(n=Count("id"))
    )
    people = {
        m.user_id: m.user.display_name
        for m in Membership.objects.filter(course=course).select_related("user")
    }
    ids = sorted(
        {a for a, _, _ in pairs} | {b for _, b, _ in pairs},
        key=lambda i: (name_key(people.get(i, "")), i),
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
            days=posts_by_day(prompts, times.course_zone(course)),
            title=f"Posts over time, {title}",
            due=due,
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
    students = participation_by_student(access.course, [prompt])
    silent = [row.student for row in students if not row.posts]
    return render(
        request,
        "grading/analytics.html",
        {
            "course": access.course,
            "prompt": prompt,
            "counts": counts_by_prompt([prompt]),
            "students": students,
            "silent": silent,
            "mail_link": mail_link(silent, f"{prompt.title}: your post"),
            "charts": _charts(
                access.course,
                [prompt],
                prompt.title,
                prompt.points_possible,
                scores,
                due=times.local_date(prompt.due_at, times.course_zone(access.course))
                if prompt.due_at
                else None,
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
    students = participation_by_student(access.course, prompts)
    silent = [row.student for row in students if not row.posts]
    return render(
        request,
        "grading/analytics.html",
        {
            "course": access.course,
            "counts": counts_by_prompt(prompts),
            "students": students,
            "silent": silent,
            "mail_link": mail_link(silent, f"{access.course.code}: the discussions"),
            "charts": _charts(access.course, prompts, access.course.code, 100, percents),
        },
    )
