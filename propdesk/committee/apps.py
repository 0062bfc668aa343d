from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """Owners' committees and customer representatives (M22): members and terms, monthly meetings
    with agenda and minutes, and the improvement actions they lead to, reported back."""

    name = "propdesk.committee"
    label = "committee"
    verbose_name = _("Owners' committees")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.permissions import register_actions
        from propdesk.customers.badges import register_badges

        from . import badges, measures, permissions

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # on the compliance board (M25)
        register_badges(badges.seat_badges)
