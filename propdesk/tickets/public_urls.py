"""Pages customers open without signing in; included at /q/ by propdesk/urls.py."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("<str:token>/", views.quote_public, name="quote"),
]
