"""The site's URLs plus the public quote page at /q/, until propdesk/urls.py includes it."""

from django.urls import include, path

from propdesk.urls import urlpatterns as site

urlpatterns = [*site]
if not any(getattr(p, "namespace", None) == "public" for p in site):
    urlpatterns.append(path("q/", include("propdesk.tickets.public_urls")))
