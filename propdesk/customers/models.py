from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel
from propdesk.core.phones import display_phone


class Community(TimeStampedModel):
    """A managed residential community (小区), run by one management office."""

    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="communities", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="community_unique_name")
        ]

    def __str__(self):
        return self.name


class Building(TimeStampedModel):
    community = models.ForeignKey(Community, models.PROTECT, related_name="buildings")
    name = models.CharField(_("building"), max_length=50)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="building_unique_name")
        ]
        indexes = [
            # Address search ("3栋-1001") names the building without its community.
            models.Index(fields=["name"], name="building_name"),
        ]

    def __str__(self):
        return f"{self.community.name} {self.name}"


class Unit(TimeStampedModel):
    """A dwelling: building › entrance (单元) › room number (房号)."""

    building = models.ForeignKey(Building, models.PROTECT, related_name="units")
    entrance = models.CharField(_("entrance"), max_length=20, blank=True)
    number = models.CharField(_("room"), max_length=20)
    area = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "entrance", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "number"], name="unit_unique_number"
            )
        ]
        indexes = [
            # Address search by room number alone ("1001").
            models.Index(fields=["number"], name="unit_number"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        parts = [self.building.name]
        if self.entrance:
            parts.append(self.entrance)
        parts.append(self.number)
        return "-".join(parts)


class HouseholdQuerySet(models.QuerySet):
    def of_customer(self, customer):
        """The households ``customer`` lives in (or owns) now. A unit they moved out of is no
        longer theirs: they file no new requests or contacts for it, though its history stays
        (docs/decisions.md)."""
        return self.filter(residences__customer=customer, is_active=True)


class Household(TimeStampedModel):
    """The people living in (or owning) one unit. Office is copied from the unit for scoping."""

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="households")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="households")
    name = models.CharField(_("name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            # One current household per unit; former ones stay for their history.
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_active=True), name="household_one_active"
            )
        ]

    def __str__(self):
        return self.address

    @property
    def address(self) -> str:
        return f"{self.unit.building.community.name} {self.unit.label}"


# A customer's language for messages: one of ours, or empty for the company's default.
MESSAGE_LANGUAGES = [("", _("Company default")), *settings.LANGUAGES]


class Customer(TimeStampedModel):
    class Kind(models.TextChoices):
        OWNER = "owner", pgettext_lazy("property", "Owner")
        TENANT = "tenant", _("Tenant")

    office = models.ForeignKey("org.Office", models.PROTECT, related_name="customers")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("owner or tenant"), max_length=10, choices=Kind.choices)
    is_important = models.BooleanField(_("important customer"), default=False)
    note = models.TextField(_("note"), blank=True)
    # How the customer wants to hear from us. In-app messages always reach the portal inbox;
    # an empty language means the company's default.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    email = models.EmailField(_("e-mail"), blank=True)
    notify_by_sms = models.BooleanField(_("messages by SMS"), default=True)
    notify_by_email = models.BooleanField(_("messages by e-mail"), default=False)
    # Raised by every change to the customer's own facts: an edit made against an older one is
    # refused (core.lifecycle.check_version), so no one's change is silently overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)
    households = models.ManyToManyField(
        Household, through="Residence", related_name="customers", verbose_name=_("households")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            # Console search by name prefix (LIKE '张%') within an office, and across offices
            # for company roles. The pattern opclass lets PostgreSQL use them whatever the
            # collation; other databases ignore opclasses.
            models.Index(
                fields=["office", "name"],
                name="customer_office_name",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["name"], name="customer_name", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name


class Residence(models.Model):
    """A customer's link to a household (an owner may hold several units)."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="residences")
    household = models.ForeignKey(Household, models.CASCADE, related_name="residences")
    kind = models.CharField(_("owner or tenant"), max_length=10, choices=Customer.Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [
            models.UniqueConstraint(fields=["customer", "household"], name="residence_unique")
        ]


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="phones")
    # E.164, e.g. +8613812345678: caller recognition looks it up through the index below.
    number = models.CharField(_("phone"), max_length=20)
    label = models.CharField(_("label"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        indexes = [models.Index(fields=["number"], name="customerphone_number")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "number"], name="customerphone_unique")
        ]

    def __str__(self):
        return display_phone(self.number)

    @property
    def display(self) -> str:
        return display_phone(self.number)


def roster_upload_path(instance, filename: str) -> str:
    """A private path named by the upload's random token: not served to anyone (no record owns
    it in ``core.media``), and not guessable."""
    return f"private/roster-imports/{instance.token}.xlsx"


class RosterUpload(models.Model):
    """A roster file on its way in: uploaded, checked (the preview), confirmed, imported.

    The file is kept under a private path until the import is done, so the preview and the
    import read the same file however large; the upload is found by its random ``token`` and only
    by the person who uploaded it, within their offices (``selectors.roster_upload_get``)."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PREVIEWED = "previewed", _("Checked")
        IMPORTING = "importing", _("Being imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    token = models.CharField(_("token"), max_length=64, unique=True)
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The existing community chosen, or the name of the new one to create (one of the two).
    community = models.ForeignKey(
        Community, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_community = models.CharField(_("new community"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to=roster_upload_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CHECKING
    )
    # The sheet's own count of its rows below the header (openpyxl's dimension), for progress.
    rows_estimate = models.PositiveIntegerField(_("rows (estimate)"), null=True, blank=True)
    # The buildings ticked for creation when the import was confirmed.
    create_buildings = models.JSONField(_("buildings to create"), default=list, blank=True)
    # The preview (``roster.ImportResult.as_dict()`` of the dry run), the import's result, and
    # why it failed: a message and the rows at fault.
    preview = models.JSONField(_("preview"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Who did what when; the bulky reports stay out of the audit rows.
    history = HistoricalRecords(excluded_fields=["preview", "result", "errors"])

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")

    def __str__(self):
        return self.file_name or self.token
