from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices (M05): published to customers by notice board, notification and network."""

    name = "propdesk.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from propdesk.core.media import register_media_owner
        from propdesk.core.permissions import register_actions

        from . import permissions
        from .models import NoticeAttachment

        register_actions(permissions.ACTIONS)
        # M05: an office's notice; a company-wide one's files are served by the notice's pages.
        register_media_owner(NoticeAttachment, "file", "notice__office_id")
