from django.urls import path

from . import api, auth_api

urlpatterns = [
    path("auth/token/", auth_api.TokenView.as_view(), name="api-token"),
    path("offices/", api.OfficeList.as_view(), name="api-offices"),
    path("departments/", api.DepartmentList.as_view(), name="api-departments"),
    path("staff/", api.StaffList.as_view(), name="api-staff"),
    path("me/", api.Me.as_view(), name="api-me"),
]
