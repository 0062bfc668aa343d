from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The online forum (M21): customers post and review in public; staff route each post, answer
    officially and are measured on how fast; moderation keeps it civil."""

    name = "propdesk.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
