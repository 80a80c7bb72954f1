from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from destalin.urls import urlpatterns as project_patterns


@login_required
def minimal(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), *project_patterns]
