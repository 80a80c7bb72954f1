"""A university-sized database for measuring: courses, students, prompts, threaded posts,
participation and grades, by bulk inserts with ids assigned here (so materialized paths are
written once, never updated). For a test database, never for a school's."""

import random
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from destalin.models import Course, Membership, Role, User
from discussions.grading.models import Grade
from discussions.models import PATH_WIDTH, Participation, Post, Prompt, RevealMode

BATCH = 5000
TEXT = (
    "The Secret Speech named Stalin's crimes but kept the Party's innocence, and the thaw "
    "that followed was as much about housing and consumer goods as about literature."
)


class Command(BaseCommand):
    help = "Generate load data: --courses 200 --students 20000 --posts 1000000 (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--courses", type=int, default=20)
        parser.add_argument("--students", type=int, default=2000)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--prompts", type=int, default=5, help="per course")
        parser.add_argument("--per-course", type=int, default=60, help="students per course")
        parser.add_argument("--seed", type=int, default=1956)

    def handle(self, *args, **o):
        if min(o["courses"], o["students"], o["prompts"], o["per_course"]) < 1 or o["posts"] < 0:
            raise CommandError("Every count must be at least 1 (posts at least 0).")
        rng = random.Random(o["seed"])
        with transaction.atomic():
            stamp = uuid.uuid4().hex[:10]  # runs never collide on emails or slugs
            students = self._students(o["students"], stamp)
            courses, rosters = self._courses(o, stamp, students, rng)
            prompts = self._prompts(courses, o["prompts"])
            standing = self._posts(prompts, rosters, o["posts"], rng)
            self._standing_and_grades(prompts, standing)
        self._reset_sequences()
        if o["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(courses)} courses, {len(students)} students, {len(prompts)} prompts, "
                    f"{o['posts']} posts."
                )
            )

    def _students(self, count, stamp):
        users = [
            User(email=f"load{stamp}-{n}@load.test", display_name=f"First{n} Last{n}", password="!")
            for n in range(count)
        ]
        return User.objects.bulk_create(users, batch_size=BATCH)

    def _courses(self, o, stamp, students, rng):
        courses = Course.objects.bulk_create(
            Course(
                title=f"Load course {n}",
                code=f"LOAD {n}",
                term="Load",
                slug=f"load-{stamp}-{n}",
            )
            for n in range(o["courses"])
        )
        rosters = {c.pk: rng.sample(students, min(o["per_course"], len(students))) for c in courses}
        Membership.objects.bulk_create(
            (
                Membership(course_id=cid, user=u, role=Role.STUDENT)
                for cid, roster in rosters.items()
                for u in roster
            ),
            batch_size=BATCH,
        )
        return courses, rosters

    def _prompts(self, courses, per_course):
        return Prompt.objects.bulk_create(
            Prompt(
                course=c,
                title=f"Prompt {n}",
                body=TEXT,
                body_html=f"<p>{TEXT}</p>",
                reveal_mode=RevealMode.OPEN,
                is_published=True,
                position=n,
                points_possible=10,
            )
            for c in courses
            for n in range(per_course)
        )

    def _posts(self, prompts, rosters, count, rng):
        """Posts with ids chosen here: a quarter responses, the rest replies to one of the
        prompt's recent posts, a few levels deep. Written a batch at a time; only the recent
        posts of each prompt (as candidate parents) and the counts are kept in memory."""
        next_id = (Post.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        now = timezone.now()
        recent = {p.pk: [] for p in prompts}  # (pk, depth, root id, path) of the last posts
        totals = {p.pk: 0 for p in prompts}
        standing = {}  # (prompt, author): [responses, replies, words]
        batch = []
        for n in range(count):
            prompt = prompts[n % len(prompts)]
            author = rng.choice(rosters[prompt.course_id])
            candidates = recent[prompt.pk]
            parent = rng.choice(candidates) if candidates and rng.random() < 0.75 else None
            if parent is not None and parent[1] >= 6:
                parent = None
            pk = next_id + n
            created = now - timedelta(minutes=count - n)
            path = (parent[3] if parent else "") + f"{pk:0{PATH_WIDTH}d}"
            depth = parent[1] + 1 if parent else 0
            batch.append(
                Post(
                    id=pk,
                    prompt=prompt,
                    author=author,
                    author_role=Role.STUDENT,
                    body=TEXT,
                    body_html=f"<p>{TEXT}</p>",
                    word_count=29,
                    created_at=created,
                    published_at=created,
                    parent_id=parent[0] if parent else None,
                    root_id=(parent[2] or parent[0]) if parent else None,
                    depth=depth,
                    path=path,
                )
            )
            candidates.append((pk, depth, parent[2] or parent[0] if parent else None, path))
            del candidates[:-200]
            totals[prompt.pk] += 1
            counts = standing.setdefault((prompt.pk, author.pk), [0, 0, 0])
            counts[0 if parent is None else 1] += 1
            counts[2] += 29
            if len(batch) == BATCH:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
        for pk, total in totals.items():
            Prompt.objects.filter(pk=pk).update(post_count=total)
        return standing

    def _standing_and_grades(self, prompts, standing):
        Participation.objects.bulk_create(
            (
                Participation(
                    prompt_id=p,
                    user_id=u,
                    responses=r,
                    qualifying_responses=r,
                    replies=rp,
                    words=w,
                    response_words=w,
                )
                for (p, u), (r, rp, w) in standing.items()
            ),
            batch_size=BATCH,
        )
        Grade.objects.bulk_create(
            (Grade(prompt_id=p, student_id=u, entered=8, score=8) for (p, u) in standing),
            batch_size=BATCH,
        )

    def _reset_sequences(self):
        # Ids were chosen here, so PostgreSQL's sequence must move past them.
        statements = connection.ops.sequence_reset_sql(no_style(), [Post])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
