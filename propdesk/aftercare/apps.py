from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """After service (M13–M15): follow-up calls, major-defect watches, rework's 24-hour clock."""

    name = "propdesk.aftercare"
    label = "aftercare"
    verbose_name = _("After service")

    def ready(self):
        from . import receivers  # noqa: F401  (connects to the request loop's signals)
