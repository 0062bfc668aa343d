from django.urls import path

from propdesk.community import portal_urls as community_urls
from propdesk.complaints import portal_urls as complaints_urls
from propdesk.guide import portal_urls as guide_urls
from propdesk.notices import portal_urls as notices_urls

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("households/<int:pk>/switch/", views.switch_household, name="switch_household"),
    path("password/", views.set_password, name="set_password"),
    path("messages/", views.inbox, name="inbox"),
    path("settings/", views.preferences, name="preferences"),
    path("language/", views.language, name="language"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/photos/<int:photo_pk>/", views.request_photo, name="request_photo"),
    path("requests/<int:pk>/<str:action>/", views.request_act, name="request_act"),
    *notices_urls.urlpatterns,
    *guide_urls.urlpatterns,
    *community_urls.urlpatterns,
    *complaints_urls.urlpatterns,
]
