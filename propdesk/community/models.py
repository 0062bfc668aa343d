"""Community activities (M07): the office's open day ("认识我们的家园") and themed activities.

An activity is written as a draft and published, which opens registration and announces it as a
notice. Customers register in the portal, or staff register a caller. Seats are given in order of
registration; when the activity is full a registration waits, and moves up when seats free. On the
day staff check people in; finishing the activity records who did not come and asks those who did
for feedback.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel

MAX_SEATS = 5  # one registration: the customer and up to four family members


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        OPEN_DAY = "open_day", _("Open day: Getting to know our home")
        CULTURE = "culture", _("Culture and entertainment")
        EARLY_EDUCATION = "early_education", _("Early-childhood education")
        TRAVEL = "travel", _("Travel")
        STOCKS = "stocks", _("Stock-market knowledge")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Registration open")
        FINISHED = "finished", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="activities", verbose_name=_("office")
    )
    # Empty: for every customer of the office; otherwise for the residents of one community.
    community = models.ForeignKey(
        "customers.Community",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The open day's tour (M07): the equipment rooms and other facilities customers visit.
    facilities = models.TextField(_("facilities to visit"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Raised by every change to the activity itself (not by registrations): a client that sends
    # the version it saw is refused when someone changed the activity in between.
    version = models.PositiveIntegerField(_("version"), default=1)
    notice = models.OneToOneField(
        "notices.Notice",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("announcement"),
    )
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # The company's list, latest first.
            models.Index(fields=["-starts_at"], name="activity_starts"),
            # The console list by office and state, soonest first; the portal's upcoming list.
            models.Index(fields=["office", "state", "starts_at"], name="activity_office_state"),
            # Company roles' list by state; the reminder job (published, starting soon).
            models.Index(fields=["state", "starts_at"], name="activity_state_starts"),
            # The console filter by kind.
            models.Index(fields=["kind", "starts_at"], name="activity_kind"),
            # The console search by title prefix.
            models.Index(
                fields=["title"], name="activity_title", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=models.F("starts_at")),
                name="activity_registration_closes_before_start",
            ),
        ]

    def __str__(self):
        return self.title


class Registration(TimeStampedModel):
    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not come")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        STAFF = "staff", _("By staff")

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="registrations")
    customer = models.ForeignKey(
        "customers.Customer",
        models.PROTECT,
        related_name="activity_registrations",
        verbose_name=_("customer"),
    )
    seats = models.PositiveSmallIntegerField(_("people"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    channel = models.CharField(_("registered through"), max_length=10, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The place in the queue: registration time, kept when a registration moves up.
    queued_at = models.DateTimeField(_("registered at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "queued_at", "pk"]
        indexes = [
            # An activity's registrations by state in queue order: seats taken, the waiting list.
            models.Index(fields=["activity", "state", "queued_at"], name="registration_queue"),
            # A customer's own registrations (portal), newest first.
            models.Index(fields=["customer", "-queued_at"], name="registration_customer"),
        ]
        constraints = [
            # Registering twice is refused: one live registration per customer and activity.
            models.UniqueConstraint(
                fields=["activity", "customer"],
                condition=~Q(state="cancelled"),
                name="registration_once",
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1, seats__lte=MAX_SEATS), name="registration_seats"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="registration_rating_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.activity_id}/{self.customer_id}"

    @property
    def is_live(self) -> bool:
        return self.state != self.State.CANCELLED


class ActivityEvent(models.Model):
    """The activity's timeline: what happened, when, by whom (staff or the customer)."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("event", "Created")
        EDITED = "edited", _("Changed")
        PUBLISHED = "published", _("Published and announced")
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Put on the waiting list")
        PROMOTED = "promoted", _("Moved up from the waiting list")
        WITHDRAWN = "withdrawn", _("Registration cancelled")
        CHECKED_IN = "checked_in", _("Checked in")
        FEEDBACK = "feedback", _("Feedback given")
        FINISHED = "finished", _("Held; attendance recorded")
        CANCELLED = "cancelled", _("Activity cancelled")

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="events")
    registration = models.ForeignKey(
        Registration, models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        ordering = ["activity", "-at", "-pk"]
        indexes = [models.Index(fields=["activity", "-at"], name="activity_event_timeline")]

    def __str__(self):
        return f"{self.activity_id} {self.kind}"
