from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints (M17–M20, M23): intake on the dedicated lines, handling at the right level,
    the answer to the customer, cause and prevention, and corrective action reports."""

    name = "propdesk.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.permissions import register_actions
        from propdesk.tickets import events, lifecycle
        from propdesk.tickets.models import Kind

        from . import measures, permissions, timeline

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # on the compliance board (M25)
        # A complaint's request follows its complaint; its handling is on the request's timeline.
        events.register_kinds(
            timeline.KINDS,
            customer_visible=timeline.CUSTOMER_VISIBLE,
            customer_notes=timeline.CUSTOMER_NOTES,
        )
        lifecycle.register_driven_kind(
            Kind.COMPLAINT,
            timeline.TRANSITIONS,
            also=timeline.REQUEST_ACTIONS,
            refusal=timeline.REFUSAL,
            code="complaint_request",
        )
