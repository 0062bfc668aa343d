from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    """The Service Guide (M06): each office's catalogue, published as frozen editions."""

    name = "propdesk.guide"
    label = "guide"
    verbose_name = _("Service Guide")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
