from django.urls import path

from destalin.lti import views

app_name = "lti"

urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("config.json", views.configuration, name="config"),
    path("login/", views.oidc_login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("continue/<str:token>/", views.continue_launch, name="continue"),
    path("deep-link/", views.deep_link, name="deep-link"),
    path("register/<str:token>/", views.register, name="register"),
    path("courses/<slug:course>/roster/", views.roster_sync, name="roster-sync"),
]
