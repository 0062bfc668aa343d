"""After service's API routes under /api/v1/ (M13–M15), each module contributing its own."""

from .api import defects, followups, rework

urlpatterns = [*followups.urlpatterns, *defects.urlpatterns, *rework.urlpatterns]
