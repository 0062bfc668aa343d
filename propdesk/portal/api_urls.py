"""The customer API's own routes, under /api/v1/portal/: signing in, who I am, messages. Each
app serves its own customer endpoints under portal/ too (requests, complaints, activities…)."""

from django.urls import path

from . import api

urlpatterns = [
    path("auth/code/", api.CodeRequestView.as_view(), name="portal-code"),
    path("auth/token/", api.TokenView.as_view(), name="portal-token"),
    path("auth/sign-out/", api.SignOutView.as_view(), name="portal-sign-out"),
    path("me/", api.MeView.as_view(), name="portal-me"),
    path("me/preferences/", api.PreferencesView.as_view(), name="portal-preferences"),
    path("me/password/", api.PasswordView.as_view(), name="portal-password"),
    path("messages/", api.MessageList.as_view(), name="portal-messages"),
    path("messages/unread/", api.UnreadView.as_view(), name="portal-unread"),
]
