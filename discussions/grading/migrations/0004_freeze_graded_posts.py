"""Mark the posts already covered by a released grade (Post.grade_released_at), as
services.freeze_graded_posts does from now on."""

from django.db import migrations


def freeze(apps, schema_editor):
    Grade = apps.get_model("grading", "Grade")
    PromptGrading = apps.get_model("grading", "PromptGrading")
    Post = apps.get_model("discussions", "Post")
    policy_at = dict(PromptGrading.objects.values_list("prompt_id", "released_at"))
    grades = Grade.objects.values_list("prompt_id", "released_at", "graded_versions")
    shown_at = {}
    for prompt_id, released_at, versions in grades.iterator():
        times = [t for t in (released_at, policy_at.get(prompt_id)) if t is not None]
        if times:
            for pk in versions:
                shown_at.setdefault(min(times), []).append(int(pk))
    for shown, pks in shown_at.items():
        Post.objects.filter(pk__in=pks).update(grade_released_at=shown)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0003_score_import"),
        ("discussions", "0008_post_grade_released_at"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
