"""The board's one table: the company's targets, where they differ from the manual's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords


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


def _report_path(instance, filename: str) -> str:
    return f"board/reports/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    """The board of one office, or of the whole company, for one calendar month, as a PDF made on
    the first of the next month by the ``board_monthly_reports`` job and sent to the office's
    director (the company's to leadership and the Quality Management Department).

    The row is the job's claim: it is unique per office (or the company) and month and is
    written in the transaction that makes and sends the report, so a second run, or two at
    once, sends nothing twice. Quality may make a past report again (``version`` raised, who
    and when kept in the history); the file served is always the latest."""

    office = models.ForeignKey(
        "org.Office",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )  # None: the company's report
    month = models.DateField(_("month"))  # its first day
    file = models.FileField(_("file"), upload_to=_report_path, max_length=300)
    size = models.PositiveIntegerField(_("size"), default=0)
    reds = models.PositiveSmallIntegerField(_("red measures"), default=0)
    judged = models.PositiveSmallIntegerField(_("measures judged"), default=0)
    generated_at = models.DateTimeField(_("made at"))
    # None: made by the monthly job; else the person who made it again.
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    recipients = models.PositiveSmallIntegerField(_("sent to"), default=0)
    # Raised each time the report is made again: two people cannot both remake one unseen.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "office_id"]
        constraints = [
            # The job's claim; also serves an office's list of reports, newest first.
            models.UniqueConstraint(
                fields=["office", "month"],
                condition=models.Q(office__isnull=False),
                name="board_report_office_month",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(office__isnull=True),
                name="board_report_company_month",
            ),
        ]
        indexes = [
            # The company roles' list of every report, newest month first.
            models.Index(fields=["-month", "office"], name="board_report_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} #{self.office_id or 'company'}"
