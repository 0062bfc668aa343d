"""The customer API's routes, under /api/v1/portal/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("requests", api.RequestViewSet, basename="portal-request")

urlpatterns = [
    path("auth/code/", api.CodeRequestView.as_view(), name="portal-code"),
    path("auth/token/", api.TokenView.as_view(), name="portal-token"),
    path("auth/sign-out/", api.SignOutView.as_view(), name="portal-sign-out"),
    path("me/", api.MeView.as_view(), name="portal-me"),
    path("me/preferences/", api.PreferencesView.as_view(), name="portal-preferences"),
    path("me/password/", api.PasswordView.as_view(), name="portal-password"),
    path("messages/", api.MessageList.as_view(), name="portal-messages"),
    path("messages/unread/", api.UnreadView.as_view(), name="portal-unread"),
    path("items/", api.ItemList.as_view(), name="portal-items"),
    *router.urls,
]
