from django.urls import path

from discussions import account_views, note_views, post_views, prompt_views, quote_views, views
from discussions.moderation import editing
from discussions.moderation import views as moderation

app_name = "discussions"

C = "courses/<slug:course>/"

urlpatterns = [
    path(C + "prompts/new/", prompt_views.prompt_create, name="prompt-create"),
    path(C + "prompts/<int:pk>/", views.prompt_detail, name="prompt"),
    path(C + "prompts/<int:pk>/edit/", prompt_views.prompt_edit, name="prompt-edit"),
    path(C + "prompts/<int:pk>/publish/", prompt_views.prompt_publish, name="prompt-publish"),
    path(C + "prompts/<int:pk>/move/", prompt_views.prompt_move, name="prompt-move"),
    path(C + "prompts/<int:pk>/posts/", views.post_create, name="post-create"),
    path(C + "prompts/<int:pk>/reply/<int:post>/", views.reply_form, name="reply"),
    path(C + "prompts/<int:pk>/extensions/", prompt_views.extensions, name="extensions"),
    path(C + "prompts/<int:pk>/progress/", prompt_views.prompt_progress, name="prompt-progress"),
    path(C + "posts/<int:pk>/", post_views.post_permalink, name="post"),
    path(C + "posts/<int:pk>/edit/", editing.post_edit, name="post-edit"),
    path(C + "posts/<int:pk>/delete/", editing.post_delete, name="post-delete"),
    path(C + "posts/<int:pk>/restore/", editing.post_restore, name="post-restore"),
    path(C + "posts/<int:pk>/history/", post_views.post_history, name="post-history"),
    path(C + "quote/", quote_views.quote_start, name="quote"),
    path(C + "quotes/<int:pk>/", quote_views.quote_source, name="quote-source"),
    path(
        C + "readings/<slug:reading>/quotes/<int:key>/",
        quote_views.paragraph_quotes,
        name="paragraph-quotes",
    ),
    path(C + "readings/<slug:reading>/notes/new/", note_views.note_create, name="note-create"),
    path(C + "readings/<slug:reading>/margin/", note_views.margin_setup, name="margin-setup"),
    path(C + "readings/<slug:reading>/notes/", note_views.margin_page, name="margin"),
    path(C + "notes/<int:pk>/quote/", note_views.note_quote, name="note-quote"),
    path(
        C + "readings/<slug:reading>/notes.<str:fmt>",
        note_views.margin_export,
        name="margin-export",
    ),
    path(
        C + "readings/<slug:reading>/notes/<int:number>/",
        note_views.paragraph_notes,
        name="paragraph-notes",
    ),
    path(C + "posts/<int:pk>/moderate/", moderation.post_moderate, name="post-moderate"),
    path(C + "posts/<int:pk>/flag/", moderation.post_flag, name="post-flag"),
    path(C + "prompts/<int:pk>/lock/", moderation.prompt_lock, name="prompt-lock"),
    path(C + "review/", moderation.review_queue, name="review-queue"),
    path(C + "audit/", moderation.audit_log, name="audit-log"),
    path(C + "audit.csv", moderation.audit_log_csv, name="audit-log-csv"),
    path(C + "moderation/", moderation.moderation_settings, name="moderation-settings"),
    path("notifications/unsubscribe/<str:token>/", account_views.unsubscribe, name="unsubscribe"),
]
