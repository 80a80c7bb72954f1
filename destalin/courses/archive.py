"""A whole course as one JSON archive, and back: its people (by email), readings, syllabus,
rubrics, prompts with their grading policies, every post with its earlier versions, its
moderation marks and any edit of it waiting for review, and grades. With the course pages,
above every app, because it gathers every app's part.

Importing makes a new course (never merges into one): people are found by email or created
without a password (they set one with "forgot password"), readings already on the site are
reused by slug, and every post is rendered again from its Markdown, so an archive edited by
hand can never carry unsafe HTML. Nothing is saved unless the whole archive is."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from destalin import times
from destalin.markdown import render_text
from destalin.models import Course, Membership, User, default_time_zone
from destalin.services import unique_slug
from destalin.text import count_words
from discussions.grading.models import Criterion, Grade, GradingPolicy, Level, Rubric
from discussions.grading.services import freeze_graded_posts
from discussions.models import PATH_WIDTH, Post, PostRevision, Prompt
from discussions.services import recompute_participation
from readings.models import Assignment, Reading, Section
from readings.services import render_reading

FORMAT, VERSION = "destalin-course", 1
COURSE = ("title", "code", "term", "description", "grade_release", "hold_posts", "word_list")
READING = (
    "slug",
    "title",
    "author",
    "source",
    "source_url",
    "kind",
    "is_excerpt",
    "excerpt_note",
    "citation",
)
PROMPT = (
    "title",
    "body",
    "opens_at",
    "due_at",
    "cutoff_at",
    "points_possible",
    "reveal_mode",
    "min_words",
    "required_responses",
    "required_replies",
    "hold_posts",
    "is_published",
    "position",
    "locked_at",
)
POST = (
    "author_role",
    "body",
    "is_late",
    "created_at",
    "published_at",
    "edited_at",
    "deleted_at",
    "hidden_at",
    "hidden_reason",
    "held_at",
    "held_reason",
    "edited_by_moderator",
    "endorsed_at",
    "pinned_at",
    "locked_at",
)
# A student's edit waiting for review (pre-moderation): it goes back into the new course's
# queue, neither lost nor published. Archives made before it was carried have none.
PENDING_EDIT = {"pending_body": "", "pending_at": None, "pending_reason": ""}  # when none
GRADE = ("status", "entered", "late_deduction", "score", "feedback", "graded_at", "released_at")
POLICY = ("release_mode", "late_percent_per_day", "late_floor_percent", "released_at")


def _out(value, course):
    # Times with the course zone's offset, as every export writes them; to the microsecond,
    # so a restored course is the same to the database.
    if isinstance(value, datetime):
        return times.iso(value, course, timespec="microseconds")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _pick(obj, fields, course):
    return {f: _out(getattr(obj, f), course) for f in fields}


def export_course(course):
    """The course as plain data, ready for ``json.dumps``."""
    prompts = list(course.prompts.order_by("position", "pk").prefetch_related("readings"))
    policies = {p.prompt_id: p for p in GradingPolicy.objects.filter(prompt__in=prompts)}
    rubrics = list(course.rubrics.prefetch_related("criteria__levels"))
    posts = list(
        Post.objects.filter(prompt__in=prompts)
        .select_related("author", "parent")
        .prefetch_related("revisions")
        .order_by("path")
    )
    levels = {
        lv.pk: (c.position, lv.position)
        for r in rubrics
        for c in r.criteria.all()
        for lv in c.levels.all()
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _out(timezone.now(), course),
        "course": {**_pick(course, COURSE, course), "time_zone": course.time_zone},
        "people": [
            {
                "email": m.user.email,
                "display_name": m.user.display_name,
                "role": m.role,
                "joined_at": _out(m.joined_at, course),
                "removed_at": _out(m.removed_at, course),
            }
            for m in course.memberships.select_related("user").order_by("pk")
        ],
        "readings": [
            {
                **_pick(a.reading, READING, course),
                "sections": [
                    {"title": s.title, "body": s.body}
                    for s in a.reading.sections.order_by("position")
                ],
            }
            for a in course.assignments.select_related("reading").order_by("position")
        ],
        "syllabus": [
            {
                "reading": a.reading.slug,
                "position": a.position,
                "due_at": _out(a.due_at, course),
                "instructions": a.instructions,
            }
            for a in course.assignments.select_related("reading").order_by("position")
        ],
        "rubrics": [
            {
                "id": r.pk,
                "title": r.title,
                "criteria": [
                    {
                        "title": c.title,
                        "description": c.description,
                        "levels": [
                            {"title": lv.title, "points": str(lv.points)} for lv in c.levels.all()
                        ],
                    }
                    for c in r.criteria.all()
                ],
            }
            for r in rubrics
        ],
        "prompts": [
            {
                "id": p.pk,
                **_pick(p, PROMPT, course),
                "readings": [r.slug for r in p.readings.all()],
                "grading": (
                    {**_pick(policies[p.pk], POLICY, course), "rubric": policies[p.pk].rubric_id}
                    if p.pk in policies
                    else None
                ),
            }
            for p in prompts
        ],
        "posts": [
            {
                "id": p.pk,
                "prompt": p.prompt_id,
                "parent": p.parent_id,
                "author": p.author.email,
                **_pick(p, POST, course),
                **_pick(p, PENDING_EDIT, course),
                "hidden_by_role": p.hidden_by_role,
                "revisions": [
                    {
                        "body": r.body,
                        "created_at": _out(r.created_at, course),
                        "replaced_at": _out(r.replaced_at, course),
                    }
                    for r in p.revisions.all()
                ],
            }
            for p in posts
        ],
        "grades": [
            {
                "prompt": g.prompt_id,
                "student": g.student.email,
                **_pick(g, GRADE, course),
                "rubric": g.rubric_id,
                "graded_by": g.graded_by.email if g.graded_by else None,
                "levels": [levels.get(level) for level in (g.rubric_levels or {}).values()],
                "graded_versions": g.graded_versions,
            }
            for g in Grade.objects.filter(prompt__in=prompts).select_related("student", "graded_by")
        ],
    }


def import_course(data, *, slug=None):
    """A new course from an archive; ValidationError (and nothing saved) if it is not a
    complete archive of this format."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError("This is not a Destalin course archive.")
    if data.get("version") != VERSION:
        raise ValidationError(f"Archives of version {data.get('version')} cannot be read here.")
    try:
        with transaction.atomic():
            return _import(data, slug)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ValidationError(f"The archive is incomplete or damaged ({error!r}).") from None


def _at(value):
    return datetime.fromisoformat(value) if value else None


def _fields(record, fields):
    """Archive values back into model values: times parsed, the rest as they are."""
    return {f: _at(record[f]) if f.endswith("_at") else record[f] for f in fields}


def _import(data, slug):
    zone = data["course"].get("time_zone")  # archives made before courses had zones lack it
    course = Course.objects.create(
        **_fields(data["course"], COURSE),
        time_zone=zone if times.is_zone_name(zone) else default_time_zone(),
        slug=unique_slug(slug or f"{data['course']['code']} {data['course']['term']}"),
    )
    people = {}
    for person in data["people"]:
        user = User.objects.filter(email__iexact=person["email"]).first()
        if user is None:
            user = User.objects.create_user(
                email=person["email"], display_name=person["display_name"]
            )
        people[person["email"]] = user
        Membership.objects.create(
            user=user,
            course=course,
            role=person["role"],
            joined_at=_at(person["joined_at"]) or timezone.now(),
            removed_at=_at(person["removed_at"]),
        )
    for record in data["readings"]:
        if not Reading.objects.filter(slug=record["slug"]).exists():
            reading = Reading.objects.create(**_fields(record, READING))
            Section.objects.bulk_create(
                Section(reading=reading, position=n, title=s["title"], body=s["body"])
                for n, s in enumerate(record["sections"], start=1)
            )
            render_reading(reading=reading)
    readings = Reading.objects.in_bulk([r["slug"] for r in data["readings"]], field_name="slug")
    Assignment.objects.bulk_create(
        Assignment(
            course=course,
            reading=readings[a["reading"]],
            position=a["position"],
            due_at=_at(a["due_at"]),
            instructions=a["instructions"],
        )
        for a in data["syllabus"]
    )
    rubrics, levels = _import_rubrics(course, data["rubrics"])
    prompts = {}
    for record in data["prompts"]:
        prompt = Prompt.objects.create(
            course=course, body_html=render_text(record["body"]), **_fields(record, PROMPT)
        )
        prompt.readings.set([readings[s] for s in record["readings"]])
        prompts[record["id"]] = prompt
        if record["grading"]:
            GradingPolicy.objects.create(
                prompt=prompt,
                rubric=rubrics.get(record["grading"]["rubric"]),
                **_fields(record["grading"], POLICY),
            )
    posts = _import_posts(data["posts"], prompts, people)
    for record in data["grades"]:
        chosen = [
            levels[record["rubric"]][tuple(pair)] for pair in record["levels"] if pair is not None
        ]
        Grade.objects.create(
            prompt=prompts[record["prompt"]],
            student=people[record["student"]],
            rubric=rubrics.get(record["rubric"]),
            rubric_levels={str(lv.criterion_id): lv.pk for lv in chosen},
            rubric_total=sum((lv.points for lv in chosen), Decimal(0)) if chosen else None,
            graded_by=people.get(record["graded_by"]),
            graded_versions={
                str(posts[int(k)].pk): n
                for k, n in record["graded_versions"].items()
                if int(k) in posts
            },
            **_fields(record, GRADE),
        )
    for prompt in prompts.values():
        freeze_graded_posts(prompt=prompt)
    for prompt_id, author_id in {(p.prompt_id, p.author_id) for p in posts.values()}:
        recompute_participation(
            prompt=Prompt.objects.get(pk=prompt_id), user=User.objects.get(pk=author_id)
        )
    for prompt in prompts.values():
        Prompt.objects.filter(pk=prompt.pk).update(
            post_count=prompt.posts.filter(deleted_at__isnull=True).count()
        )
    return course


def _import_rubrics(course, records):
    rubrics, levels = {}, {}
    for record in records:
        rubric = Rubric.objects.create(course=course, title=record["title"])
        rubrics[record["id"]], levels[record["id"]] = rubric, {}
        for c_pos, c in enumerate(record["criteria"], start=1):
            criterion = Criterion.objects.create(
                rubric=rubric, position=c_pos, title=c["title"], description=c["description"]
            )
            for l_pos, lv in enumerate(c["levels"], start=1):
                level = Level.objects.create(
                    criterion=criterion,
                    position=l_pos,
                    title=lv["title"],
                    points=Decimal(lv["points"]),
                )
                levels[record["id"]][(c_pos, l_pos)] = level
    return rubrics, levels


def _import_posts(records, prompts, people):
    """Posts in thread order (the archive lists them by path), each under its new parent."""
    posts = {}
    for record in records:
        parent = posts[record["parent"]] if record["parent"] else None
        body_html = render_text(record["body"])
        post = Post.objects.create(
            prompt=prompts[record["prompt"]],
            author=people[record["author"]],
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body_html=body_html,
            word_count=count_words(body_html, quotes=False),
            # The archive keeps the prompt's rules, not each post's day: today's minimum.
            min_words_at_posting=prompts[record["prompt"]].min_words,
            # Archives made before posts recorded who hid them lack it.
            hidden_by_role=record.get("hidden_by_role", ""),
            **_fields(record, POST),
            **_fields(PENDING_EDIT | record, PENDING_EDIT),
        )
        post.path = (parent.path if parent else "") + f"{post.pk:0{PATH_WIDTH}d}"
        post.save(update_fields=["path"])
        PostRevision.objects.bulk_create(
            PostRevision(
                post=post,
                body=r["body"],
                body_html=render_text(r["body"]),
                created_at=_at(r["created_at"]),
                replaced_at=_at(r["replaced_at"]),
            )
            for r in record["revisions"]
        )
        posts[record["id"]] = post
    return posts
