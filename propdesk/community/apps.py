from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community activities (M07): open days and themed activities, with registration,
    a waiting list, check-in, attendance and feedback."""

    name = "propdesk.community"
    label = "community"
    verbose_name = _("Community activities")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
