from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    """The compliance board (M25): every rule's measure per office and for the company, red or
    green against its target, its trend, and the cases behind it. The measures are registered by
    the apps that own the records (``core.measures``); the board imports none of them."""

    name = "propdesk.board"
    label = "board"
    verbose_name = _("Compliance board")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
