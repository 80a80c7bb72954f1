"""A URLconf whose views fail, to see what people get when the server does."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.urls import path


@login_not_required
def database_down(request):
    raise OperationalError("server closed the connection unexpectedly")


@login_not_required
def bug(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("down/", database_down), path("bug/", bug)]
handler500 = "destalin.errors.server_error"
