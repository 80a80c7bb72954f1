from django.db import migrations, models


class Migration(migrations.Migration):
    """One name per concept: a prompt's rubric, late policy and release state are its grading
    policy, in the code and on the pages (was PromptGrading, reached as prompt.grading)."""

    dependencies = [
        ("discussions", "0007_post_published_at"),
        ("grading", "0004_freeze_graded_posts"),
    ]

    operations = [
        migrations.RenameModel(old_name="PromptGrading", new_name="GradingPolicy"),
        migrations.AlterField(
            model_name="gradingpolicy",
            name="prompt",
            field=models.OneToOneField(
                on_delete=models.deletion.CASCADE,
                primary_key=True,
                related_name="grading_policy",
                serialize=False,
                to="discussions.prompt",
            ),
        ),
    ]
