"""A person's notification settings, and the one-click unsubscribe link in every email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from destalin.forms import posted
from destalin.models import User
from discussions.forms import NotificationSettingsForm
from discussions.notifications import KINDS, read_unsubscribe_token


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which emails the signed-in person receives."""
    form = NotificationSettingsForm(posted(request), instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your email settings were saved.")
        return redirect("notification-settings")
    return render(request, "discussions/notification_settings.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """From an email, without signing in: confirm (GET changes nothing), then stop (POST)."""
    data = read_unsubscribe_token(token)
    user = User.objects.filter(pk=data[0]).first() if data else None
    if user is None:
        return render(request, "discussions/unsubscribe.html", {"invalid": True}, status=404)
    kind = data[1]
    if request.method == "POST":
        setattr(user, KINDS[kind], False)
        user.save(update_fields=[KINDS[kind]])
    return render(
        request,
        "discussions/unsubscribe.html",
        {"kind": kind, "done": request.method == "POST", "email": user.email},
    )
