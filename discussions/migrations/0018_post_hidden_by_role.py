from django.db import migrations, models


def backfill(apps, schema_editor):
    """Posts hidden before the role was recorded take the role, in the course, of whoever the
    audit log says hid them last (staff if they were no member); "" if the log has no line."""
    Post = apps.get_model("discussions", "Post")
    AuditEntry = apps.get_model("discussions", "AuditEntry")
    Membership = apps.get_model("destalin", "Membership")
    hidden = Post.objects.filter(hidden_at__isnull=False).select_related("prompt")
    for post in hidden.iterator():
        entry = (
            AuditEntry.objects.filter(post=post, action="hide", actor__isnull=False)
            .order_by("-created_at", "-id")
            .first()
        )
        if entry is None:
            continue
        role = (
            Membership.objects.filter(user_id=entry.actor_id, course_id=post.prompt.course_id)
            .values_list("role", flat=True)
            .first()
        )
        Post.objects.filter(pk=post.pk).update(hidden_by_role=role or "staff")


class Migration(migrations.Migration):
    dependencies = [("discussions", "0017_audit_membership"), ("destalin", "0009_search_folding")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="hidden_by_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("instructor", "Instructor"),
                    ("ta", "TA"),
                    ("student", "Student"),
                    ("staff", "Staff"),
                ],
                max_length=12,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
