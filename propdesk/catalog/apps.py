from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "propdesk.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS)
