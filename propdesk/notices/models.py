"""Notices (M05): what the office tells its customers, by notice board, notification and network.

A notice is written as a draft, may be scheduled, is published, and is archived at the end of its
life. Once published its text is locked: a correction is a new ``NoticeRevision``, so what a
customer read on a given day can always be shown again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel


class Notice(TimeStampedModel):
    class Category(models.TextChoices):
        SERVICE_ITEMS = "service_items", _("Service items")
        CONVENTION = "convention", _("Customer convention")
        HANDBOOK = "handbook", _("Customer handbook")
        CUSTOMER_NOTICE = "customer_notice", _("Customer notice")
        GOVERNMENT = "government", _("Government document")
        COMMUNITY = "community", _("Association and community information")
        # For staff only (never shown to customers): M20's corrective action reports.
        INTERNAL = "internal", _("Internal notice")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective action report")

    class Audience(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        STAFF = "staff", _("Staff")

    class Scope(models.TextChoices):
        COMPANY = "company", _("Company-wide")
        OFFICE = "office", _("One office")
        BUILDINGS = "buildings", _("Chosen buildings")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Empty for a company-wide notice; otherwise the office whose customers it is for.
    office = models.ForeignKey(
        "org.Office",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("office"),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default="customers"
    )
    buildings = models.ManyToManyField(
        "customers.Building", blank=True, related_name="notices", verbose_name=_("buildings")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # Channels (M05): the poster, the outbox, and the portal with the public pages.
    by_board = models.BooleanField(_("notice board"), default=True)
    by_notification = models.BooleanField(_("notification"), default=False)
    by_network = models.BooleanField(_("network"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic lock: every change bumps it; a change made against an older version is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-published_at", "-pk"]
        indexes = [
            # The console list filtered by office and state, newest first.
            models.Index(fields=["office", "state", "-created_at"], name="notice_office_state"),
            # The console list filtered by state only (company roles), and the scheduled-publish
            # job: state = scheduled and publish_at <= now.
            models.Index(fields=["state", "publish_at"], name="notice_state_publish_at"),
            # The console filter by category.
            models.Index(fields=["category", "-created_at"], name="notice_category"),
            # The console filter "pinned", and the portal's order (pinned first).
            models.Index(fields=["pinned", "-published_at"], name="notice_pinned"),
            # The console search by title prefix.
            models.Index(fields=["title"], name="notice_title", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            # A company-wide notice has no office; every other scope has one.
            models.CheckConstraint(
                condition=models.Q(scope="company", office__isnull=True)
                | (~models.Q(scope="company") & models.Q(office__isnull=False)),
                name="notice_scope_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(publish_at__isnull=False),
                name="notice_scheduled_has_time",
            ),
            # A staff notice is never on the portal or the public pages, nor for some buildings.
            models.CheckConstraint(
                condition=~models.Q(audience="staff")
                | (models.Q(by_network=False) & ~models.Q(scope="buildings")),
                name="notice_staff_not_public",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        """Published text is never changed in place: corrections are revisions."""
        return self.state in (self.State.PUBLISHED, self.State.ARCHIVED)

    @property
    def channel_labels(self) -> list[str]:
        return [
            str(label)
            for on, label in (
                (self.by_board, _("notice board")),
                (self.by_notification, _("notification")),
                (self.by_network, _("network")),
            )
            if on
        ]


class NoticeRevision(models.Model):
    """One published text of a notice: number 1 at publishing, then one per correction."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    note = models.CharField(_("what was corrected"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("date"))
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice revision")
        verbose_name_plural = _("notice revisions")
        ordering = ["notice", "-number"]
        constraints = [
            # Also serves a notice's history, newest first.
            models.UniqueConstraint(fields=["notice", "number"], name="notice_revision_once")
        ]

    def __str__(self):
        return f"{self.notice_id} r{self.number}"


def _attachment_path(instance, filename: str) -> str:
    return f"notices/{instance.notice_id}/{filename}"


class NoticeAttachment(TimeStampedModel):
    """A PDF or an image attached to a notice."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        indexes = [
            # core.media finds the record an uploaded file belongs to.
            models.Index(fields=["file"], name="notice_attachment_file"),
        ]

    def __str__(self):
        return self.name


class NoticeRead(models.Model):
    """A customer opened a notice (portal or API): recorded once, at the first opening."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="reads")
    customer = models.ForeignKey("customers.Customer", models.CASCADE, related_name="notice_reads")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")
        constraints = [
            # Read once; the index also serves the read rate (reads of one notice).
            models.UniqueConstraint(fields=["notice", "customer"], name="notice_read_once")
        ]
        indexes = [
            # The portal's unread marks: which of these notices has this customer read?
            models.Index(fields=["customer", "notice"], name="notice_read_customer"),
        ]
