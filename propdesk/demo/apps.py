from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "propdesk.demo"
    label = "demo"
    verbose_name = _("Demo company")

    def ready(self):
        from propdesk.core.startup import register_demo

        from .logins import database_is_empty, print_logins

        register_demo(database_is_empty=database_is_empty, print_logins=print_logins)
