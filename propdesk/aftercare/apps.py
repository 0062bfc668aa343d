from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """After service (M13–M15): follow-up calls, major-defect watches, rework's 24-hour clock."""

    name = "propdesk.aftercare"
    label = "aftercare"
    verbose_name = _("After service")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.media import register_media_owner
        from propdesk.core.permissions import register_actions
        from propdesk.tickets import events
        from propdesk.tickets.pages import register_page_contributor

        from . import (
            measures,
            pages,
            permissions,
            receivers,  # noqa: F401  (connects to the request loop's signals)
            timeline,
        )
        from .models import InspectionPhoto

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # M13–M15, M23 on the compliance board (M25)
        events.register_kinds(timeline.KINDS)  # M14's watches, on the request's timeline
        # M15: a request's page shows its rework orders' special follow-ups.
        register_page_contributor(pages.rework_followups_on_ticket_page)
        # M14's special records: the photos of a defect watch's inspections.
        register_media_owner(InspectionPhoto, "image", "inspection__watch__office_id")
