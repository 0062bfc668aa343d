"""Owners' committees and customer representatives (M22).

Each office has one committee: its members (owners, with a role and a term) and the customer
representatives. The office meets them at least once a month about service quality: a meeting is
planned, then held (attendees, minutes) or cancelled. Every opinion raised at a meeting is an item,
and every item ends either as an improvement action (an owner, a department, a due date, progress
updates, done, verified) or answered with a reason. The members see their committee's meetings and
actions in the portal and are told of each update. A month in which the office held no meeting is
flagged once (``MissedMonth``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel


class Committee(TimeStampedModel):
    """The owners' committee of one office, with its representatives."""

    office = models.OneToOneField(
        "org.Office", models.PROTECT, related_name="committee", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=120)
    # Months are flagged from the first whole month after this day.
    established_on = models.DateField(_("established on"))
    # Raised by every change to the committee or its seats (core.lifecycle.check_version).
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["office__code"]

    def __str__(self):
        return self.name


class Seat(TimeStampedModel):
    """A place on the committee: a member (an owner, chair, vice-chair or member) or a customer
    representative, for a term. A seat is current while today lies within its term."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Committee member")
        REPRESENTATIVE = "representative", _("Customer representative")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", pgettext_lazy("committee role", "Member")
        REPRESENTATIVE = "representative", _("Representative")

    committee = models.ForeignKey(Committee, models.CASCADE, related_name="seats")
    # Copied from the committee: the customer's own seats are read by office (scoping).
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer",
        models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    term_from = models.DateField(_("term from"))
    # Empty: until replaced (seats carried over from the former customer flags).
    term_to = models.DateField(_("term to"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["committee", "kind", "role", "term_from", "pk"]
        indexes = [
            # The committee page: its seats; and "is this customer on a committee now?" (portal).
            models.Index(fields=["committee", "term_to"], name="seat_committee"),
            models.Index(fields=["customer", "term_to"], name="seat_customer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_to__gte=models.F("term_from")),
                name="seat_term_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="member", role__in=["chair", "vice_chair", "member"])
                | Q(kind="representative", role="representative"),
                name="seat_role_fits_kind",
            ),
        ]

    def __str__(self):
        return f"{self.committee_id}/{self.customer_id} {self.role}"

    def is_current(self, day) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)


def current_seats(day):
    """The filter for seats whose term includes ``day``."""
    return Q(term_from__lte=day) & (Q(term_to__isnull=True) | Q(term_to__gte=day))


class Meeting(TimeStampedModel):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(Committee, models.PROTECT, related_name="meetings")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="planned")
    planned_for = models.DateTimeField(_("planned for"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    staff_attendees = models.ManyToManyField(
        "org.User", blank=True, related_name="+", verbose_name=_("staff present")
    )
    seat_attendees = models.ManyToManyField(
        Seat, blank=True, related_name="meetings", verbose_name=_("members and representatives")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-planned_for", "-pk"]
        indexes = [
            # The console list by office (and state), latest first; the portal's list.
            models.Index(fields=["office", "state", "-planned_for"], name="meeting_office_state"),
            models.Index(fields=["office", "-planned_for"], name="meeting_office"),
            # Company roles' list by state; the monthly check (held meetings in a month).
            models.Index(fields=["state", "held_at"], name="meeting_state_held"),
            models.Index(fields=["-planned_for"], name="meeting_planned"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="held") | Q(held_at__isnull=False), name="meeting_held_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.planned_for:%Y-%m-%d}"


class Item(TimeStampedModel):
    """One opinion raised at a meeting; it ends as an action or answered with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting a decision")
        ACTION = "action", _("Improvement action")
        ANSWERED = "answered", _("Answered")

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="items")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    text = models.TextField(_("opinion"))
    raised_by = models.ForeignKey(
        Seat, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("raised by")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    answer = models.TextField(_("answer"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["meeting", "pk"]
        indexes = [
            # The console's "awaiting a decision" count per office.
            models.Index(fields=["office", "state"], name="item_office_state"),
        ]
        constraints = [
            # An answered opinion carries its reason.
            models.CheckConstraint(
                condition=~Q(state="answered") | ~Q(answer=""), name="item_answer_has_reason"
            ),
        ]

    def __str__(self):
        return self.text[:40]


class Action(TimeStampedModel):
    """An improvement action an opinion led to."""

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        DONE = "done", _("Done, awaiting verification")
        VERIFIED = "verified", _("Verified")

    item = models.OneToOneField(Item, models.PROTECT, related_name="action")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, models.PROTECT, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        "org.User", models.PROTECT, related_name="committee_actions", verbose_name=_("owner")
    )
    department = models.ForeignKey(
        "org.Department", models.PROTECT, related_name="+", verbose_name=_("department")
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_on", "pk"]
        indexes = [
            # The console's actions list by office and state, soonest due first; overdue.
            models.Index(fields=["office", "state", "due_on"], name="action_office_state"),
            # Company roles' list; the overdue job (open, due before today).
            models.Index(fields=["state", "due_on"], name="action_state_due"),
            # The portal: a committee's actions.
            models.Index(fields=["committee", "-created_at"], name="action_committee"),
            # "My actions": an owner's.
            models.Index(fields=["owner", "state"], name="action_owner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_100"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        return self.state == self.State.OPEN and self.due_on < today


class ActionUpdate(models.Model):
    """A progress update on an action, fed back to the committee."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="updates")
    text = models.TextField(_("progress"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    by = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "-at", "-pk"]
        indexes = [models.Index(fields=["action", "-at"], name="action_update_at")]

    def __str__(self):
        return f"{self.action_id} {self.progress}%"


class CommitteeEvent(models.Model):
    """The committee's timeline: what happened to it, its meetings, opinions and actions."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("event", "Created")
        SEAT_ADDED = "seat_added", _("Seat added")
        SEAT_CHANGED = "seat_changed", _("Seat changed")
        PLANNED = "planned", _("Meeting planned")
        EDITED = "edited", _("Meeting changed")
        HELD = "held", _("Meeting held; minutes recorded")
        CANCELLED = "cancelled", _("Meeting cancelled")
        ITEM = "item", _("Opinion recorded")
        ANSWERED = "answered", _("Opinion answered")
        ACTION = "action", _("Improvement action set")
        PROGRESS = "progress", _("Progress reported")
        DONE = "done", _("Action done")
        VERIFIED = "verified", _("Action verified")
        REOPENED = "reopened", _("Action reopened")
        MISSED = "missed", _("Month without a meeting")
        OVERDUE = "overdue", _("Action overdue")

    committee = models.ForeignKey(Committee, models.CASCADE, related_name="events")
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, null=True, blank=True, related_name="events"
    )
    item = models.ForeignKey(Item, models.CASCADE, null=True, blank=True, related_name="events")
    action = models.ForeignKey(Action, models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("what"), max_length=14, choices=Kind.choices)
    actor = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("committee event")
        verbose_name_plural = _("committee events")
        ordering = ["committee", "-at", "-pk"]
        indexes = [
            models.Index(fields=["committee", "-at"], name="committee_event_timeline"),
            models.Index(fields=["meeting", "-at"], name="meeting_event_timeline"),
            models.Index(fields=["action", "-at"], name="action_event_timeline"),
        ]

    def __str__(self):
        return f"{self.committee_id} {self.kind}"


class MissedMonth(models.Model):
    """A month in which the office held no committee meeting (M22), flagged once: the unique
    (office, month) makes a second or concurrent run of the job write nothing more."""

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, models.CASCADE, related_name="missed_months")
    month = models.DateField(_("month"))  # its first day
    flagged_at = models.DateTimeField(_("flagged at"))

    class Meta:
        verbose_name = _("month without a meeting")
        verbose_name_plural = _("months without a meeting")
        ordering = ["-month", "office"]
        indexes = [
            # The compliance board: missed months in a range, per office.
            models.Index(fields=["month", "office"], name="missed_month_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="missed_month_once"),
        ]

    def __str__(self):
        return f"{self.office_id} {self.month:%Y-%m}"
