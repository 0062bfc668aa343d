from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "propdesk.hotline"
    label = "hotline"
    verbose_name = _("Hotline")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.permissions import register_actions

        from . import measures, permissions

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # on the compliance board (M25)
