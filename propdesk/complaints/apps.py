from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints (M17–M20, M23): intake on the dedicated lines, handling at the right level,
    the answer to the customer, cause and prevention, and corrective action reports."""

    name = "propdesk.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
