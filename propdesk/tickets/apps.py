from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "propdesk.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.media import register_media_owner, register_media_veto
        from propdesk.core.permissions import register_actions
        from propdesk.portal.todos import register_todos

        from . import measures, permissions, portal_selectors
        from .models import ChecklistStep, CompletionPhoto, TicketPhoto

        register_actions(permissions.ACTIONS, assignee_only=permissions.ASSIGNEE_ONLY)
        register_media_owner(ChecklistStep, "photo", "ticket__office_id")
        register_media_owner(TicketPhoto, "image", "ticket__office_id")
        register_media_owner(CompletionPhoto, "image", "ticket__office_id")
        register_media_veto(permissions.recused_from_photo)
        register_measures(measures.MEASURES)  # M09, M23, M24 on the compliance board (M25)
        # The portal's front page leads with the fees, deadlines and work waiting for an answer.
        register_todos(portal_selectors.customer_todos, events=portal_selectors.TODO_EVENTS)
