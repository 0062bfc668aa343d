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


class Rollup(models.Model):
    """One measure's figure for one office, or for the whole company, in one week or month, as
    last computed from the records by ``board.rollups.refresh``. The boards read these rows
    instead of counting millions of records on every view; a period without its company row is
    counted from the records (see docs/decisions.md, "The board reads rollups")."""

    COMPANY = 0  # ``office`` of the company's total

    measure = models.CharField(_("measure"), max_length=60)
    kind = models.CharField(_("period kind"), max_length=5)  # core.measures.WEEK or MONTH
    start = models.DateField(_("period start"))
    # An office's id, or COMPANY: a plain number, so that one unique key covers both and a
    # refresh can upsert its rows.
    office = models.PositiveIntegerField(_("office"))
    numerator = models.DecimalField(max_digits=18, decimal_places=2)
    denominator = models.DecimalField(max_digits=18, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "start", "office"], name="board_rollup_unique"
            )
        ]
        # A board reads every measure of its periods at once: by kind, start and office.
        indexes = [models.Index(fields=["kind", "start", "office"], name="board_rollup_read")]

    def __str__(self):
        return f"{self.measure} {self.kind} {self.start} #{self.office}"
