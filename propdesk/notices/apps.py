from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices (M05): published to customers by notice board, notification and network."""

    name = "propdesk.notices"
    label = "notices"
    verbose_name = _("Notices")
