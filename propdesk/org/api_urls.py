from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from . import api


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the API token (``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("offices/", api.OfficeList.as_view(), name="api-offices"),
    path("departments/", api.DepartmentList.as_view(), name="api-departments"),
    path("staff/", api.StaffList.as_view(), name="api-staff"),
    path("me/", api.Me.as_view(), name="api-me"),
]
