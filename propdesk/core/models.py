from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Notification(TimeStampedModel):
    """One message to one person on one channel: the outbox (DESIGN: notifications).

    Written in the same transaction as the change that causes it, so a message exists exactly
    when its cause does; delivered afterwards by ``core.delivery``. The text is rendered when the
    row is written, in the recipient's language, so what was sent is what is stored. An in-app
    message is delivered by being here: its row is the inbox entry.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Lane(models.TextChoices):
        # Sign-in codes, emergencies, a request's own updates: delivered before any bulk message.
        URGENT = "urgent", _("Urgent")
        # Notices, announcements, reminders to many.
        BULK = "bulk", _("Bulk")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.CharField(_("event"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Exactly one recipient: a member of staff or a customer.
    user = models.ForeignKey(
        "org.User", models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    customer = models.ForeignKey(
        "customers.Customer", models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)  # phone or e-mail
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Not held over the quiet hours (an urgent message is also in the urgent lane).
    urgent = models.BooleanField(_("urgent"), default=False)
    lane = models.CharField(_("lane"), max_length=10, choices=Lane.choices, default=Lane.BULK)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A delivery run owns a message it claimed until then; after that another run may retry it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The same cause never notifies the same person twice on one channel.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The delivery run: what is due now in one lane, in order (core.delivery.due). Only
            # waiting messages are in it, a sliver of the table.
            models.Index(
                fields=["lane", "next_attempt_at", "id"],
                name="notification_lane_due",
                condition=models.Q(state="pending"),
            ),
            # The delivery run: claims whose run died, retried first (core.delivery.expired).
            models.Index(
                fields=["claimed_until"],
                name="notification_claims",
                condition=models.Q(state="sending"),
            ),
            # A person's inbox and unread count.
            models.Index(fields=["user", "channel", "read_at"], name="notification_user_inbox"),
            models.Index(
                fields=["customer", "channel", "read_at"], name="notification_customer_inbox"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, customer__isnull=True)
                | models.Q(user__isnull=True, customer__isnull=False),
                name="notification_one_recipient",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.user or self.customer} ({self.channel})"


class DeferredTask(models.Model):
    """Work a committed change still owes (a notice's fan-out, an edition's announcement).

    Written in the same transaction as the change, so the work is owed exactly when the change
    happened; run after commit on a worker (``core.background``), and marked finished by the run
    that completes it. Until then the sweeper job sends it again whenever ``next_run_at`` passes:
    the broker was down, or the worker running it died. The work itself is idempotent, so a
    second run finishes it without doing anything twice.
    """

    key = models.CharField(_("key"), max_length=120, unique=True)  # e.g. notice:12:fan_out
    func = models.CharField(_("function"), max_length=200)  # dotted path, called with kwargs
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"))
    # Sent to a worker (or run) again if not finished by then: a run's lease, or a retry's pause.
    next_run_at = models.DateTimeField(_("next run at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Where a run got to (e.g. the last customer written to), so the next one resumes there.
    progress = models.JSONField(_("progress"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("deferred task")
        verbose_name_plural = _("deferred tasks")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper: unfinished work whose time has come.
            models.Index(
                fields=["next_run_at"],
                name="deferredtask_unfinished",
                condition=models.Q(finished_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.key


class JobRun(models.Model):
    """A periodic job's run for one period: the job's claim that the period is done.

    Written in the same transaction as the job's work (see ``core.jobs.run_job``), so it exists
    exactly when the work was done. Its unique (job, key) makes a second run of the same period,
    started twice or on two machines at once, find the period done and do nothing. Jobs that run
    every few minutes without a period write none: they are idempotent by their own means.
    """

    job = models.CharField(_("job"), max_length=60)
    key = models.CharField(_("period"), max_length=40)  # e.g. 2026-W24, 2026-06-08
    at = models.DateTimeField(_("as of"))  # the `now` the job ran with
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Once per job and period; the unique index also serves "has this period run?".
            models.UniqueConstraint(fields=["job", "key"], name="jobrun_once_per_period")
        ]

    def __str__(self):
        return f"{self.job} {self.key}"


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` a client used to create something through the API, and what it
    created: so a retry with the same request gets the first answer again, and the same key with
    a different request is refused instead of answered as if it had been created.

    Written in the same transaction as the record it names, so it exists exactly when the record
    does. Unique per (owner, key): two clients may use the same key; one client's concurrent
    retries meet on the unique index. Freed after ``PROPDESK_IDEMPOTENCY_KEY_HOURS`` by the
    ``purge_idempotency_keys`` job (and a new request finding an expired one replaces it).
    """

    owner = models.CharField(_("owner"), max_length=40)  # "staff:12", "customer:34"
    key = models.CharField(_("key"), max_length=80)
    # sha256 of the method, the path and the validated body, canonically (docs/api.md).
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))  # the first answer's HTTP status
    record = models.CharField(_("record"), max_length=60)  # "tickets.ticket:123"
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)  # serves the purge

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once")
        ]

    def __str__(self):
        return f"{self.owner} {self.key}"
