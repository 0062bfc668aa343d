"""The staff console at /console/. Each app contributes its pages through its console_urls."""

from django.urls import path

from propdesk.aftercare import console_urls as aftercare_urls
from propdesk.board import console_urls as board_urls
from propdesk.catalog import console_urls as catalog_urls
from propdesk.committee import console_urls as committee_urls
from propdesk.community import console_urls as community_urls
from propdesk.complaints import console_urls as complaints_urls
from propdesk.customers import console_urls as customers_urls
from propdesk.forum import console_urls as forum_urls
from propdesk.guide import console_urls as guide_urls
from propdesk.history import console_urls as history_urls
from propdesk.hotline import console_urls as hotline_urls
from propdesk.notices import console_urls as notices_urls
from propdesk.org import console_urls as org_urls
from propdesk.surveys import console_urls as surveys_urls
from propdesk.tickets import console_urls as tickets_urls

from . import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/badge/", views.inbox_badge, name="inbox_badge"),
    path("find/", views.find, name="find"),
    path("me/", views.me, name="me"),
    *tickets_urls.urlpatterns,
    *customers_urls.urlpatterns,
    *history_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *hotline_urls.urlpatterns,
    *aftercare_urls.urlpatterns,
    *notices_urls.urlpatterns,
    *guide_urls.urlpatterns,
    *community_urls.urlpatterns,
    *complaints_urls.urlpatterns,
    *surveys_urls.urlpatterns,
    *forum_urls.urlpatterns,
    *committee_urls.urlpatterns,
    *org_urls.urlpatterns,
    *board_urls.urlpatterns,
]
