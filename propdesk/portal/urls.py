"""The portal's own pages. The root URLconf serves them under /portal/ with every app's portal
pages (``<app>/portal_urls.py``), in the one ``portal`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("households/<int:pk>/switch/", views.switch_household, name="switch_household"),
    path("password/", views.set_password, name="set_password"),
    path("messages/", views.inbox, name="inbox"),
    path("settings/", views.preferences, name="preferences"),
    path("language/", views.language, name="language"),
    path("me/", views.me, name="me"),
    path("community/", views.hub, name="hub"),
]
