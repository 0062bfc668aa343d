from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel
from propdesk.core.phones import display_phone


class Call(TimeStampedModel):
    class State(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        ENDED = "ended", _("Ended")
        MISSED = "missed", _("Missed")

    class Outcome(models.TextChoices):
        INQUIRY_ANSWERED = "inquiry_answered", _("Inquiry answered")
        REQUEST_CREATED = "request_created", _("Request created")
        OTHER = "other", _("Other")

    # The phone system's own id for the call; its events are idempotent on it.
    external_id = models.CharField(max_length=80, unique=True, null=True, blank=True)
    line = models.ForeignKey(
        "org.HotlineLine", models.PROTECT, related_name="calls", verbose_name=_("line")
    )
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="calls")
    caller_number = models.CharField(_("caller number"), max_length=40)
    # E.164 when the caller id is a real number; recognition looks it up through an index.
    caller_e164 = models.CharField(max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RINGING
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("handled by"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("customer"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # The answer given to an inquiry (M08), kept here too so an unknown caller's answer is not lost.
    answer = models.TextField(_("answer given"), blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("request"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["office", "-started_at"], name="call_office_started"),
            # The company-wide call log, newest first.
            models.Index(fields=["-started_at"], name="call_started"),
            # The screen pop: calls ringing or in progress in an office.
            models.Index(fields=["office", "state"], name="call_office_state"),
            models.Index(fields=["caller_e164", "-started_at"], name="call_caller"),
            models.Index(fields=["customer", "-started_at"], name="call_customer"),
            # Call log filters: by line (hence line kind) and by handler, newest first.
            models.Index(fields=["line", "-started_at"], name="call_line_started"),
            models.Index(fields=["handler", "-started_at"], name="call_handler_started"),
        ]

    def __str__(self):
        return f"{self.caller_number} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def caller_display(self) -> str:
        """How staff read the caller's number; empty when the caller id was withheld."""
        return display_phone(self.caller_e164) if self.caller_e164 else self.caller_number


class DutyShift(models.Model):
    """Someone answers a line from one time to another; the roster must cover every hour (M02)."""

    line = models.ForeignKey(
        "org.HotlineLine", models.CASCADE, related_name="shifts", verbose_name=_("line")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="shifts", verbose_name=_("staff")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at"]
        indexes = [
            # Coverage and the week view: a line's shifts by start time.
            models.Index(fields=["line", "starts_at"], name="shift_line_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.line} {self.staff} {self.starts_at:%Y-%m-%d %H:%M}"
