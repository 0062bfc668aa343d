from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel

from . import events


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    SERVICE = "service", _("Service")
    REPAIR = "repair", _("Repair")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class ReworkSource(models.TextChoices):
    """Where the customer said the defect remains (M15)."""

    CONFIRMATION = "confirmation", _("Customer's confirmation of the work")
    HOTLINE = "hotline", _("Hotline")
    PORTAL = "portal", _("Portal")
    FOLLOWUP = "followup", _("Follow-up call")
    INSPECTION = "inspection", _("Defect inspection")


# The customer's stars: 4 or 5 is satisfied, 1 to 3 is not (``Ticket.satisfied`` follows them, so
# every measure that counts satisfied requests counts stars too).
STARS = range(1, 6)
SATISFIED_STARS = 4


class RatingReason(models.TextChoices):
    """The reasons a customer may tick beside their stars, good and bad."""

    ON_TIME = "on_time", _("On time")
    FIXED = "fixed", _("Problem solved")
    TIDY = "tidy", _("Clean and tidy")
    FRIENDLY = "friendly", _("Friendly and polite")
    FAIR_PRICE = "fair_price", _("Fair price")
    LATE = "late", _("Came late")
    NOT_FIXED = "not_fixed", _("Problem not solved")
    MESS = "mess", _("Left a mess")
    RUDE = "rude", _("Not polite")
    TOO_DEAR = "too_dear", _("Too expensive")


class Channel(models.TextChoices):
    """How a contact or request reached us (M03)."""

    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    ON_SITE = "on_site", _("On-site service")
    FOLLOWUP = "followup", _("Follow-up visit")
    PORTAL = "portal", _("Web / portal")
    FORUM = "forum", _("Forum")
    SURVEY = "survey", _("Survey")
    MEETING = "meeting", _("Meeting")


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed")
    QUOTED = "quoted", _("Awaiting fee acceptance")
    ACCEPTED = "accepted", _("Fee accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined (out of scope)")
    CANCELLED = "cancelled", _("Cancelled")
    REOPENED = "reopened", _("Reopened for rework")


# Before service: the work is still to be sent out (M04's stages).
BEFORE_SERVICE_STATUSES = (Status.NEW, Status.CONFIRMED, Status.QUOTED, Status.ACCEPTED)
# During service: the work is with a technician.
WITH_TECHNICIAN_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS)
# Statuses in which the customer is still waiting for us: these count against the deadline.
OPEN_STATUSES = BEFORE_SERVICE_STATUSES + WITH_TECHNICIAN_STATUSES


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now):
        """Open and past the due time: computed at query time, never a stored flag (M09)."""
        return self.open().filter(due_at__lt=now)

    def due_within(self, now, delta):
        return self.open().filter(due_at__gte=now, due_at__lt=now + delta)


class Ticket(TimeStampedModel):
    """Every customer request (工单), from any channel, from receipt to the customer's confirmation."""

    number = models.CharField(_("number"), max_length=20, unique=True, blank=True)
    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="tickets", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="tickets", verbose_name=_("customer")
    )
    household = models.ForeignKey(
        "customers.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("household"),
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("service item"),
    )
    description = models.TextField(_("description"))
    requested_deadline = models.DateTimeField(
        _("deadline asked by the customer"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("technician"),
    )
    confirmation = models.TextField(_("content and requirements confirmed"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    decline_explanation = models.TextField(_("explanation given to the customer"), blank=True)
    work_summary = models.TextField(_("work summary"), blank=True)
    final_charge = models.DecimalField(
        _("final charge (CNY)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    # The customer's own rating in the portal or the app, 1 to 5 (none when given by phone);
    # ``satisfied`` is set from it (4 or 5), which a constraint keeps so.
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    satisfaction_reasons = models.JSONField(_("reasons ticked"), default=list, blank=True)
    satisfaction_comment = models.TextField(_("customer's comment"), blank=True)
    rework_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reworks",
        verbose_name=_("rework of"),
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Optimistic lock: every change bumps it; a change made against an older version is refused.
    version = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        indexes = [
            # The request list: newest first within an office, filtered by each of these.
            models.Index(fields=["office", "-created_at"], name="ticket_office_created"),
            models.Index(fields=["office", "status", "-created_at"], name="ticket_office_status"),
            models.Index(fields=["office", "kind", "-created_at"], name="ticket_office_kind"),
            models.Index(fields=["office", "channel", "-created_at"], name="ticket_office_channel"),
            # Overdue and due-soon: open tickets by due time.
            models.Index(fields=["office", "status", "due_at"], name="ticket_office_due"),
            # "My work" of a technician, and the technician filter.
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer"),
            models.Index(fields=["household", "-created_at"], name="ticket_household"),
            # Company roles list every office at once, filtered by each of these.
            models.Index(fields=["-created_at"], name="ticket_created"),
            models.Index(fields=["status", "-created_at"], name="ticket_status_created"),
            models.Index(fields=["kind", "-created_at"], name="ticket_kind_created"),
            models.Index(fields=["channel", "-created_at"], name="ticket_channel_created"),
            # The technician filter, newest first.
            models.Index(fields=["assignee", "-created_at"], name="ticket_assignee_created"),
            models.Index(fields=["status", "due_at"], name="ticket_status_due"),
            # The board's deadline measure (M09) over every office, and its cases in due order:
            # a month's requests by their deadline, without reading the whole table.
            models.Index(fields=["due_at", "id"], name="ticket_due"),
            # What is late or due soon company-wide (a company role's "my work"), in due order:
            # only the open requests, a small part of the table, so the first 20 are read
            # straight off, not sorted out of every open request.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="ticket_open_due",
            ),
            # An office's work completed in a period: the weekly follow-up sample's population
            # (aftercare) and the satisfaction measures' cases (M23), in completion order.
            models.Index(fields=["office", "completed_at"], name="ticket_office_completed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ticket_idempotency_key",
            ),
            # A customer's own retries (portal and app), where no staff member files it.
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False, created_by__isnull=True),
                name="ticket_customer_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(final_charge__gte=0), name="ticket_charge_not_negative"
            ),
            # Stars are 1 to 5, and 4 or 5 is satisfied, 1 to 3 not: the measures read
            # ``satisfied`` and must count a rating in stars the same way.
            models.CheckConstraint(
                condition=Q(stars__isnull=True)
                | Q(stars__gte=SATISFIED_STARS, stars__lte=5, satisfied=True)
                | Q(stars__gte=1, stars__lt=SATISFIED_STARS, satisfied=False),
                name="ticket_stars_satisfied",
            ),
        ]

    def __str__(self):
        return self.number

    def is_overdue(self, now) -> bool:
        return self.status in OPEN_STATUSES and self.due_at < now

    def missed_deadline(self, now) -> bool:
        """M09's violation: past the deadline without an extension agreed in time — still open
        and late, or completed late. An agreed extension moves ``due_at``, so it is no violation."""
        if self.status in OPEN_STATUSES:
            return self.due_at < now
        return bool(self.completed_at and self.completed_at > self.due_at)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def needs_fee_acceptance(self) -> bool:
        """M10: a chargeable item needs the customer's acceptance of the fee; rework is free."""
        return bool(self.item and self.item.is_chargeable and not self.rework_of_id)

    def received_at(self):
        """When the request was received, as its timeline says: the row's ``created_at`` is the
        moment it was written, which is later when history is entered after the fact (a call
        typed in once it ended, a replayed past)."""
        received = self.events.filter(kind="created").values_list("at", flat=True).first()
        return received or self.created_at

    def accepted_quote(self, quotes=None):
        """The quote whose fee the customer accepted (there is one at most), or None. ``quotes``:
        the request's quotes already read, to spare the query."""
        if quotes is None:
            return self.quotes.accepted().first()
        return next((q for q in quotes if q.state == Quote.State.ACCEPTED), None)

    def awaits_fee(self, quotes=None) -> bool:
        """M10: chargeable, and the customer has not accepted its fee yet, so it may not be
        dispatched."""
        return self.needs_fee_acceptance and self.accepted_quote(quotes) is None


class TicketRecusal(models.Model):
    """A member of staff who may neither see nor act on a request, because it is a complaint
    about them (M18: a complaint against an office director goes to company leadership, and the
    director does not see its handling). Every read of requests leaves these out."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticket_recusal_once")
        ]
        # Every read of requests: "not the ones this user is recused from".
        indexes = [models.Index(fields=["user", "ticket"], name="ticket_recusal_user")]


class TicketPhoto(models.Model):
    """A photo of the problem, sent with the request (the portal lets a customer attach some)."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="requests/%Y/%m/")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class CompletionPhoto(models.Model):
    """A photo the technician took of the finished work, sent with the completion."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="completion_photos")
    image = models.ImageField(_("photo"), upload_to="completion/%Y/%m/")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class TicketEvent(models.Model):
    """One line of a request's timeline: what happened, who did it, and whether the customer sees it."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    customer_visible = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticketevent_ticket_at")]

    @property
    def label(self) -> str:
        return events.label(self.kind)


class Contact(models.Model):
    """Every interaction with a customer, on any channel (M01, M03, M04)."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the customer")
        OUTBOUND = "out", _("To the customer")

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before service")
        DURING = "during", _("During service")
        AFTER = "after", _("After service")

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="contacts")
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="contacts")
    household = models.ForeignKey(
        "customers.Household", models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    ticket = models.ForeignKey(
        Ticket, models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    call = models.ForeignKey(
        "hotline.Call", models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["customer", "-at"], name="contact_customer_at"),
            models.Index(fields=["household", "-at"], name="contact_household_at"),
            models.Index(fields=["ticket", "-at"], name="contact_ticket_at"),
            models.Index(fields=["office", "stage", "-at"], name="contact_office_stage"),
        ]


class QuoteQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=Quote.State.ACCEPTED)


class Quote(TimeStampedModel):
    """The fee shown to the customer before the work, and their answer (M10)."""

    class State(models.TextChoices):
        SENT = "sent", _("Awaiting the customer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Via(models.TextChoices):
        LINK = "link", _("One-time link")
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")
        PORTAL = "portal", _("Portal")

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="quotes")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    total = models.DecimalField(_("total (CNY)"), max_digits=10, decimal_places=2)
    terms = models.TextField(_("fee standard shown"), blank=True)
    # Only a hash of the one-time link's token is kept, so a database reader cannot accept for anyone.
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_via = models.CharField(
        _("answered via"), max_length=10, choices=Via.choices, blank=True
    )
    answered_by_name = models.CharField(_("answered by"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(state="sent"), name="quote_one_pending_per_ticket"
            ),
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(state="accepted"),
                name="quote_one_accepted_per_ticket",
            ),
        ]

    def is_expired(self, now) -> bool:
        return self.expires_at <= now


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        "catalog.ServiceItem", models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=120)
    quantity = models.DecimalField(
        _("quantity"), max_digits=8, decimal_places=2, default=Decimal("1")
    )
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["pk"]


class Assignment(models.Model):
    """The dispatch trail: who held the work order, from when to when, and why it moved on."""

    class End(models.TextChoices):
        TRANSFERRED = "transferred", _("Transferred")
        HANDED_BACK = "handed_back", _("Handed back")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="assignments")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="assignments"
    )
    # Empty when propdesk dispatched it by itself: rework sent straight back to the technician.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=End.choices, blank=True)
    note = models.TextField(blank=True)  # what the dispatcher said when assigning
    end_note = models.TextField(blank=True)  # why it moved on: the transfer or hand-back reason

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(ended_at__isnull=True), name="assignment_one_current"
            )
        ]


class ChecklistStep(models.Model):
    """A procedure step copied onto the work order at dispatch, ticked by the technician (M11)."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("step"), max_length=120)
    detail = models.TextField(blank=True)
    needs_photo = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="checklist/%Y/%m/", blank=True)

    class Meta:
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "position"], name="checkliststep_unique")
        ]


class Extension(models.Model):
    """A deadline moved with the customer's agreement, after a proactive contact (M09)."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="extensions")
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="+")
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("old_due_at")), name="extension_moves_later"
            )
        ]


class ExtensionProposal(models.Model):
    """A new deadline put to the customer, who agrees or refuses in the portal (M09).

    Sending it is the proactive contact; the customer's agreement, given before the current
    deadline passes, makes the Extension. A refusal keeps the deadline and tells the proposer.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the customer")
        AGREED = "agreed", _("Agreed")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="extension_proposals")
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="+")
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("proposed deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_comment = models.TextField(_("customer's comment"), blank=True)
    extension = models.OneToOneField(
        Extension, models.PROTECT, null=True, blank=True, related_name="proposal"
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # At most one proposal waiting per request: the customer answers one question.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(state="waiting"),
                name="extension_proposal_one_waiting",
            ),
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("old_due_at")),
                name="extension_proposal_moves_later",
            ),
        ]


class Charge(models.Model):
    """Money charged for a completed job: revenue of the office (M10, M24)."""

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="charges")
    ticket = models.OneToOneField(Ticket, models.PROTECT, related_name="charge")
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="charges")
    household = models.ForeignKey(
        "customers.Household", models.PROTECT, null=True, blank=True, related_name="charges"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_special = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            # Revenue per office and period.
            models.Index(fields=["office", "recorded_at"], name="charge_office_at"),
            models.Index(fields=["household", "-recorded_at"], name="charge_household"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="charge_positive")]
