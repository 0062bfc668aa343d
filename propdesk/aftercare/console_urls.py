"""After service's console pages (M13–M15), each module contributing its own."""

from .views import defects, followups, rework

urlpatterns = [*followups.urlpatterns, *defects.urlpatterns, *rework.urlpatterns]
