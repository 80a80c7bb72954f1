import spirit.urls
from django.contrib import admin
from django.urls import include, path

# As in Spirit's project template.
urlpatterns = [path("", include(spirit.urls)), path("admin/", admin.site.urls)]
