from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "propdesk.org"
    label = "org"
    verbose_name = _("Org")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions, receivers  # noqa: F401  (receivers: connects its signals)

        register_actions(permissions.ACTIONS)
