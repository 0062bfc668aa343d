from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "propdesk.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from propdesk.core.permissions import register_actions

        from . import permissions

        register_actions(permissions.ACTIONS, assignee_only=permissions.ASSIGNEE_ONLY)
