"""After service (M13–M15): what the company does once the work is done.

- ``FollowupBatch``: one office's weekly 20% sample of completed repair orders (M13), drawn with a
  stored seed so that anyone can re-draw it and get the same orders.
- ``FollowupCall``: a call a follow-up specialist makes — a sampled order (M13) or the special
  follow-up of rework, due 24 hours after the complaint (M15) — with its attempts and outcome.
- ``DefectWatch`` and ``Inspection``: after a major defect is repaired, a designated person of the
  office inspects on site on a plan, each visit a special record (专项记录) (M14).
- ``WeeklyMeasure``: the numbers per office and ISO week that the compliance board reads.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel
from propdesk.tickets.models import ReworkSource


class FollowupBatch(models.Model):
    """One office's weekly follow-up sample (M13): the population, the sample and the seed."""

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="followup_batches")
    week = models.CharField(_("week"), max_length=8)  # ISO week, "2026-W24"
    week_start = models.DateField(_("week starting"))  # its Monday, Asia/Shanghai
    # The repair orders completed that week (ids, ascending), the sample drawn from them, and the
    # seed that draws it: random.Random(seed).sample(population, sample_size) gives it again.
    population = models.JSONField(default=list)
    sample = models.JSONField(default=list)
    seed = models.CharField(_("seed"), max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("follow-up sample")
        verbose_name_plural = _("follow-up samples")
        ordering = ["-week_start", "office"]
        constraints = [
            models.UniqueConstraint(fields=["office", "week"], name="followupbatch_once_a_week")
        ]

    def __str__(self):
        return f"{self.office} {self.week}"

    @property
    def population_size(self) -> int:
        return len(self.population)

    @property
    def sample_size(self) -> int:
        return len(self.sample)


class FollowupCall(TimeStampedModel):
    """A follow-up call to a customer about one order: sampled (M13) or after rework (M15)."""

    class Kind(models.TextChoices):
        SAMPLE = "sample", _("Weekly sample")
        REWORK = "rework", _("Special follow-up of rework")

    class State(models.TextChoices):
        OPEN = "open", _("To call")
        DONE = "done", _("Done")
        UNREACHED = "unreached", _("Not reached")  # three attempts without reaching anyone

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="followup_calls")
    ticket = models.ForeignKey(
        "tickets.Ticket", models.PROTECT, related_name="followup_calls", verbose_name=_("order")
    )
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        FollowupBatch, models.PROTECT, null=True, blank=True, related_name="calls"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_calls",
        verbose_name=_("follow-up specialist"),
    )
    due_at = models.DateTimeField(_("due"))
    # M15: when the customer complained, and where; the follow-up is due 24 hours after it.
    complained_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=ReworkSource.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reached = models.BooleanField(_("reached"), null=True)
    satisfied = models.BooleanField(_("satisfied"), null=True)
    comment = models.TextField(_("comment"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The rework an unsatisfied answer opened (M13 → M15).
    rework = models.ForeignKey(
        "tickets.Ticket", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Raised by every change a person makes or sees (core.lifecycle.check_version).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["due_at", "pk"]
        constraints = [
            # M13: no order twice in a sample; one special follow-up per rework order.
            models.UniqueConstraint(
                fields=["kind", "ticket"], name="followupcall_one_per_order_and_kind"
            ),
        ]
        indexes = [
            # A specialist's worklist: their open calls by due time.
            models.Index(fields=["assignee", "state", "due_at"], name="followupcall_worklist"),
            # Per office and kind over time (the rework board, the measures).
            models.Index(fields=["office", "kind", "due_at"], name="followupcall_office_kind"),
            # Workload of each specialist when spreading new calls.
            models.Index(fields=["state", "assignee"], name="followupcall_open_by_assignee"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.ticket_id}"

    def is_late(self, now) -> bool:
        """Done after its due time, or still open past it."""
        return (self.done_at or now) > self.due_at


class FollowupAttempt(models.Model):
    """One try at reaching the customer: up to three before the call counts as not reached."""

    call = models.ForeignKey(FollowupCall, models.CASCADE, related_name="attempts_made")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reached = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class DefectWatch(TimeStampedModel):
    """Watching the result of a major-defect repair (M14) until it is closed."""

    class State(models.TextChoices):
        OPEN = "open", _("Watching")
        CLOSED = "closed", _("Closed")

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="defect_watches")
    ticket = models.OneToOneField(
        "tickets.Ticket", models.PROTECT, related_name="defect_watch", verbose_name=_("repair")
    )
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "customers.Household", models.PROTECT, null=True, blank=True, related_name="+"
    )
    watcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="defect_watches",
        verbose_name=_("designated person"),
    )
    interval_days = models.PositiveSmallIntegerField(_("days between inspections"), default=30)
    planned_inspections = models.PositiveSmallIntegerField(
        _("clean inspections to close"), default=3
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(_("why closed"), blank=True)
    # Raised by every change a person makes or sees (core.lifecycle.check_version).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("defect watch")
        verbose_name_plural = _("defect watches")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["office", "state", "-opened_at"], name="defectwatch_board"),
            models.Index(fields=["watcher", "state"], name="defectwatch_watcher"),
        ]

    def __str__(self):
        return f"{self.ticket_id}"


class Inspection(models.Model):
    """One on-site inspection of a watched repair: due on the plan, then its special record."""

    class Result(models.TextChoices):
        CLEAN = "clean", _("No defect")
        RECURRED = "recurred", _("The defect is back")

    watch = models.ForeignKey(DefectWatch, models.CASCADE, related_name="inspections")
    number = models.PositiveSmallIntegerField()  # 1, 2, … in the plan
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    rework = models.ForeignKey(
        "tickets.Ticket", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["watch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["watch", "number"], name="inspection_unique_number")
        ]
        indexes = [
            # Inspections falling due, and overdue ones, across the board.
            models.Index(fields=["done_at", "due_at"], name="inspection_due"),
        ]

    def is_overdue(self, now) -> bool:
        return self.done_at is None and self.due_at < now


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="inspections/%Y/%m/")
    created_at = models.DateTimeField()


class WeeklyMeasure(models.Model):
    """One office's after-service numbers for one ISO week, for the compliance board (M25).

    Recomputed by a job from the records above; a week's row is replaced, never added twice."""

    office = models.ForeignKey("org.Office", models.CASCADE, related_name="weekly_measures")
    week = models.CharField(max_length=8)
    week_start = models.DateField()
    sample_required = models.PositiveIntegerField(default=0)  # M13: calls sampled that week
    sample_done = models.PositiveIntegerField(default=0)  # … of which made (done or unreached)
    followups_reached = models.PositiveIntegerField(default=0)
    followups_satisfied = models.PositiveIntegerField(default=0)
    inspections_due = models.PositiveIntegerField(default=0)  # M14: falling due that week
    inspections_on_time = models.PositiveIntegerField(default=0)
    rework_followups_due = models.PositiveIntegerField(default=0)  # M15: due that week
    rework_followups_on_time = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    # The numbers of a row, in the order the board shows them.
    NUMBERS = (
        "sample_required",
        "sample_done",
        "followups_reached",
        "followups_satisfied",
        "inspections_due",
        "inspections_on_time",
        "rework_followups_due",
        "rework_followups_on_time",
    )

    class Meta:
        verbose_name = _("weekly after-service measure")
        verbose_name_plural = _("weekly after-service measures")
        ordering = ["-week_start", "office"]
        constraints = [
            models.UniqueConstraint(fields=["office", "week"], name="weeklymeasure_once")
        ]
