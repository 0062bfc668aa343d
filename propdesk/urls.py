from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from propdesk.committee import portal_urls as committee_portal
from propdesk.community import portal_urls as community_portal
from propdesk.complaints import portal_urls as complaints_portal
from propdesk.core.media import protected_media
from propdesk.forum import portal_urls as forum_portal
from propdesk.guide import portal_urls as guide_portal
from propdesk.notices import portal_urls as notices_portal
from propdesk.org import views as org_views
from propdesk.portal import urls as portal_own
from propdesk.surveys import portal_urls as surveys_portal
from propdesk.tickets import portal_urls as tickets_portal

# The resident portal: its own pages and every app's, in one namespace ("portal:…").
portal_urlpatterns = [
    *tickets_portal.urlpatterns,
    *portal_own.urlpatterns,
    *notices_portal.urlpatterns,
    *guide_portal.urlpatterns,
    *community_portal.urlpatterns,
    *complaints_portal.urlpatterns,
    *surveys_portal.urlpatterns,
    *forum_portal.urlpatterns,
    *committee_portal.urlpatterns,
]


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", org_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", org_views.sign_in_code, name="login-code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the console's page: one sign-in, one lock, the same second step.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("console/", include("propdesk.console.urls")),
    path("q/", include("propdesk.tickets.public_urls")),
    path("s/", include("propdesk.surveys.public_urls")),
    path("portal/", include((portal_urlpatterns, "portal"))),
    path("public/notices/", include("propdesk.notices.public_urls")),
    path("public/guide/", include("propdesk.guide.public_urls")),
    path("media/<path:path>", protected_media, name="media"),
    path("api/v1/", include("propdesk.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

# Under /api/ a missing page or a crash answers in the API's JSON error shape.
handler404 = "propdesk.core.views.page_not_found"
handler500 = "propdesk.core.views.server_error"
