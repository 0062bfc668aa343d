"""The board's one table: the company's targets, where they differ from the manual's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Target(models.Model):
    """The company's target for one measure (``core.measures``), set by the Quality Management
    Department. A measure without a row keeps the manual's value, which its app registered;
    ``value`` None means "no target": the measure is shown without red or green."""

    measure = models.CharField(_("measure"), max_length=60, unique=True)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    # Raised by every change: two people editing one target cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["measure"]

    def __str__(self):
        return f"{self.measure}: {self.value}"
