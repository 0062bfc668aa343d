"""After service's API routes under /api/v1/ (M13–M15), each module contributing its own."""

from . import api_defects, api_followups, api_rework

urlpatterns = [*api_followups.urlpatterns, *api_defects.urlpatterns, *api_rework.urlpatterns]
