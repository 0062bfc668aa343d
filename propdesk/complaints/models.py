"""Complaints (M17–M20, M23).

A complaint is a request of kind "complaint" (its number, customer, channel, deadline and
timeline live on the ``Ticket``) with the complaint's own record hanging off it one-to-one: the
customer's account in their words, how it was heard, whom it is about, who owns its handling
(the office's service center, the Quality Management Department or company leadership), the
escalations, the company's corrective plan, the answer to the customer, the cause and the
preventive measures, and for a major complaint the corrective action report (纠正措施报告).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel


class Complaint(TimeStampedModel):
    class Category(models.TextChoices):
        ATTITUDE = "attitude", _("Staff attitude")
        TIMELINESS = "timeliness", _("Response and timeliness")
        REPAIR_QUALITY = "repair_quality", _("Quality of repairs")
        ENVIRONMENT = "environment", _("Cleaning and greenery")
        SECURITY = "security", _("Security and order")
        FACILITIES = "facilities", _("Facilities and equipment")
        FEES = "fees", _("Fees")
        NEIGHBOURS = "neighbours", _("Neighbours and renovation")
        MANAGEMENT = "management", _("Management decisions")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        GENERAL = "general", _("General")
        SERIOUS = "serious", _("Serious")
        MAJOR = "major", _("Major")

    class Owner(models.TextChoices):
        """Who handles it (M18, M19): the office's service center, or the company."""

        SERVICE_CENTER = "service_center", _("Office service center")
        QUALITY = "quality", _("Quality Management Department")
        LEADERSHIP = "leadership", _("Company leadership")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("Being handled")
        RESOLVED = "resolved", _("Resolved, to be answered")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    # Still being handled: not yet resolved (its resolution clock runs, M19, M23).
    OPEN_STATES = (State.RECEIVED, State.IN_PROGRESS)

    class Cause(models.TextChoices):
        STAFF = "staff", _("Staff")
        PROCESS = "process", _("Rules and procedures")
        SUPPLIER = "supplier", _("Contractor or supplier")
        FACILITY = "facility", _("Facilities and equipment")
        DEVELOPER = "developer", _("Left by the developer")
        MISUNDERSTANDING = "misunderstanding", _("Customer misunderstanding")
        OTHER = "other", _("Other")

    ticket = models.OneToOneField(
        "tickets.Ticket", models.PROTECT, related_name="complaint", verbose_name=_("request")
    )
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="complaints")
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    # M17: what the customer said, in their words, and how we heard it.
    account = models.TextField(_("the customer's account"))
    listened = models.BooleanField(_("listened to the end"), default=False)
    understanding = models.TextField(_("understanding shown"), blank=True)
    explanation = models.TextField(_("explanation given"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    # About whom: staff named (they never see its handling), a department, or in words.
    about_staff = models.ManyToManyField(
        "org.User", blank=True, related_name="complaints_about", verbose_name=_("staff named")
    )
    about_department = models.ForeignKey(
        "org.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department named"),
    )
    about_text = models.CharField(_("about"), max_length=200, blank=True)
    # Kept by the services from ``about_staff``, for the constraint below.
    against_director = models.BooleanField(_("against the office director"), default=False)
    involves_compensation = models.BooleanField(_("economic compensation claimed"), default=False)
    compensation_claimed = models.DecimalField(
        _("compensation claimed (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    compensation_agreed = models.DecimalField(
        _("compensation agreed (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    owner = models.CharField(_("handled by"), max_length=20, choices=Owner.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    first_response_due_at = models.DateTimeField(_("first response due"))
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_contact = models.ForeignKey(
        "tickets.Contact", models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_satisfied = models.BooleanField(_("customer satisfied"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    # M20: why it happened.
    cause_category = models.CharField(_("cause"), max_length=20, choices=Cause.choices, blank=True)
    cause_analysis = models.TextField(_("cause analysis"), blank=True)
    substantiated = models.BooleanField(_("complaint substantiated"), null=True, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    analysed_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Raised by every change (core.lifecycle.check_version): a change made against an older
    # version is refused instead of overwriting someone else's.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[about_staff])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The desk's pages, newest first: the company's, an office's, by state, by owner
            # (bench/: without them a page reads every complaint).
            models.Index(fields=["-created_at"], name="complaint_created"),
            models.Index(fields=["office", "-created_at"], name="complaint_office_created"),
            models.Index(fields=["state", "-created_at"], name="complaint_state_created"),
            models.Index(fields=["owner", "-created_at"], name="complaint_owner_created"),
            # The office desk: an office's complaints by state, newest first.
            models.Index(fields=["office", "state", "-created_at"], name="complaint_office_state"),
            # The company desk: by owner and state.
            models.Index(fields=["owner", "state", "-created_at"], name="complaint_owner_state"),
            # The clock job: open complaints not yet answered first.
            models.Index(
                fields=["first_responded_at", "first_response_due_at"],
                name="complaint_first_response",
            ),
            # The desk's filters by category and severity.
            models.Index(fields=["category", "-created_at"], name="complaint_category"),
            models.Index(fields=["severity", "-created_at"], name="complaint_severity"),
        ]
        constraints = [
            # M18: compensation, or a complaint against a director, is company leadership's.
            models.CheckConstraint(
                condition=Q(involves_compensation=False, against_director=False)
                | Q(owner="leadership"),
                name="complaint_m18_leadership",
            ),
            # M19, M20: closed only with the answer to the customer and the cause found.
            models.CheckConstraint(
                condition=~Q(state="closed")
                | (Q(answered_at__isnull=False) & ~Q(cause_category="") & ~Q(cause_analysis="")),
                name="complaint_closed_answered_and_analysed",
            ),
            models.CheckConstraint(
                condition=Q(compensation_claimed__isnull=True) | Q(compensation_claimed__gte=0),
                name="complaint_claimed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(compensation_agreed__isnull=True) | Q(compensation_agreed__gte=0),
                name="complaint_agreed_not_negative",
            ),
        ]

    def __str__(self):
        return self.ticket.number if self.ticket_id else f"complaint {self.pk}"

    @property
    def is_company_level(self) -> bool:
        return self.owner != self.Owner.SERVICE_CENTER

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Escalation(models.Model):
    """One move of a complaint up a level, with the reason: by hand, by the routing rules of
    M18, or by a missed deadline."""

    class Cause(models.TextChoices):
        CANNOT_HANDLE = "cannot_handle", _("Beyond the office's means")
        BY_QUALITY = "by_quality", _("Raised by the Quality Management Department")
        COMPENSATION = "compensation", _("Economic compensation claimed")
        AGAINST_DIRECTOR = "against_director", _("Against the office director")
        FIRST_RESPONSE_LATE = "first_response_late", _("First response overdue")
        RESOLUTION_LATE = "resolution_late", _("Resolution overdue")

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="escalations")
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    from_owner = models.CharField(_("from"), max_length=20, choices=Complaint.Owner.choices)
    to_owner = models.CharField(_("to"), max_length=20, choices=Complaint.Owner.choices)
    cause = models.CharField(_("why"), max_length=20, choices=Cause.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["complaint", "at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="escalation_complaint_at")]
        constraints = [
            # A missed deadline escalates once: the row is the claim, so two runs of the clock
            # job (or two machines) cannot escalate twice.
            models.UniqueConstraint(
                fields=["complaint", "cause"],
                condition=Q(cause__in=["first_response_late", "resolution_late"]),
                name="escalation_breach_once",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="escalation_has_reason"),
        ]


class CorrectivePlan(TimeStampedModel):
    """The company's corrective plan (纠正方案) for a company-level complaint (M18): issued by the
    company, carried out and reported by the office, accepted or returned by the company."""

    class State(models.TextChoices):
        ISSUED = "issued", _("Issued to the office")
        REPORTED = "reported", _("Reported done by the office")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned to the office")

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="plans")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    plan = models.TextField(_("corrective plan"))
    due_at = models.DateTimeField(_("to be done by"))
    issued_by = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    report = models.TextField(_("office's report"), blank=True)
    reported_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("corrective plan")
        verbose_name_plural = _("corrective plans")
        ordering = ["complaint", "-created_at", "-pk"]
        constraints = [
            # One plan in force at a time; a returned one is followed by the office's new report.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(state__in=["issued", "reported", "returned"]),
                name="plan_one_in_force",
            )
        ]


class PreventiveMeasure(TimeStampedModel):
    """M20: what will stop it happening again, with who does it and by when."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="measures")
    description = models.TextField(_("preventive measure"))
    owner = models.ForeignKey(
        "org.User", models.PROTECT, related_name="preventive_measures", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    done_note = models.CharField(_("how it was done"), max_length=300, blank=True)
    created_by = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    # Raised by every change (marking it done): one made against an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("preventive measure")
        verbose_name_plural = _("preventive measures")
        ordering = ["complaint", "due_on", "pk"]
        indexes = [
            # "My measures" and their reminders; the overdue count.
            models.Index(fields=["owner", "done_at", "due_on"], name="measure_owner_due"),
            models.Index(fields=["due_on", "done_at"], name="measure_due"),
        ]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CorrectiveActionReport(TimeStampedModel):
    """纠正措施报告 (M20): for a major complaint, the facts, the cause, the correction, the
    prevention and how it was verified; approved by the Quality Management Department (never by
    whoever wrote it), then announced to every member of staff and kept in the register."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved and announced")
        RETURNED = "returned", _("Returned for changes")

    SECTIONS = ("facts", "cause", "correction", "prevention", "verification")

    complaint = models.OneToOneField(Complaint, models.PROTECT, related_name="report")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("facts"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    correction = models.TextField(_("correction"), blank=True)
    prevention = models.TextField(_("prevention"), blank=True)
    verification = models.TextField(_("verification"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    prepared_by = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    notice = models.OneToOneField(
        "notices.Notice", models.SET_NULL, null=True, blank=True, related_name="report"
    )
    # Raised by every change (rewriting, submitting, approving, returning): a step taken
    # against an older one is refused, so no one approves a text they have not read.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("corrective action report")
        verbose_name_plural = _("corrective action reports")
        ordering = ["-approved_at", "-pk"]
        indexes = [
            # The register: approved reports, newest first, by office.
            models.Index(fields=["state", "-approved_at"], name="car_state_approved"),
            models.Index(fields=["office", "-approved_at"], name="car_office_approved"),
            models.Index(fields=["number"], name="car_number"),
        ]
        constraints = [
            # Nobody approves a report they wrote or submitted (the service says so first).
            models.CheckConstraint(
                condition=~Q(state="approved")
                | (
                    Q(approved_by__isnull=False, approved_at__isnull=False)
                    & ~Q(approved_by=F("prepared_by"))
                    & ~Q(approved_by=F("submitted_by"))
                ),
                name="car_not_self_approved",
            )
        ]

    def __str__(self):
        return self.number or self.title


class NumbersRollup(models.Model):
    """The complaint numbers (``selectors.numbers``) of the complaints one office received in one
    local day or calendar month that were closed before ``settled_before``, as last counted by
    ``complaints.rollups.refresh``. A closed complaint never changes again, so such a row stays
    true; the complaints not closed by then are counted from the records at each read. The
    company's row (office ``COMPANY``) holds the total and says when, and up to when, the day or
    month was counted: without it the period is counted from the records (see
    docs/decisions.md, "The complaint numbers read daily and monthly rollups of closed
    complaints")."""

    COMPANY = 0  # ``office`` of the company's row
    DAY, MONTH = "day", "month"

    kind = models.CharField(_("period kind"), max_length=5)
    start = models.DateField(_("period start"))
    # An office's id, or COMPANY: a plain number, so one unique key covers both and a refresh
    # can upsert its rows.
    office = models.PositiveIntegerField(_("office"))
    received = models.PositiveIntegerField(default=0)
    company_level = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    escalated_late = models.PositiveIntegerField(default=0)
    # On the company's row: the complaints closed before this time are the ones counted.
    settled_before = models.DateTimeField(_("closed before"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("complaint numbers rollup")
        verbose_name_plural = _("complaint numbers rollups")
        constraints = [
            # Also the read's index: by kind and start, then office.
            models.UniqueConstraint(
                fields=["kind", "start", "office"], name="complaint_numbers_rollup_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.start} #{self.office}"
