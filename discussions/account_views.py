"""A person's notification settings, and the one-click unsubscribe link in every email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from destalin.forms import posted
from destalin.models import User
from discussions.forms import NotificationSettingsForm
from discussions.notifications import KINDS, ExpiredToken, read_unsubscribe_token


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
# The signed token is the authority here, not a session: mail clients send RFC 8058's one-click
# POST ("List-Unsubscribe=One-Click") with no cookie and no CSRF token, and a forged request
# can at most turn off someone's mail if it already holds their link.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """From an email, without signing in: confirm (GET changes nothing), then stop (POST, from
    the page or from the mail client). The page never shows whose link it is: links get
    forwarded."""
    try:
        data = read_unsubscribe_token(token)
    except ExpiredToken:
        return render(request, "discussions/unsubscribe.html", {"expired": True}, status=410)
    user = User.objects.filter(pk=data[0]).first() if data else None
    if user is None:
        return render(request, "discussions/unsubscribe.html", {"invalid": True}, status=404)
    kind = data[1]
    if request.method == "POST":
        User.objects.filter(pk=user.pk).update(**{KINDS[kind]: False})
    return render(
        request,
        "discussions/unsubscribe.html",
        {"kind": kind, "done": request.method == "POST"},
    )
