from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel


class ServiceCategory(TimeStampedModel):
    class Kind(models.TextChoices):
        REPAIR = "repair", _("Repair")
        HOUSEHOLD = "household", _("Household service")
        SPECIAL = "special", _("Special service")
        PUBLIC = "public", _("Public affairs")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # M14: every repair in this category is a major defect whose result is watched.
    is_major_defect = models.BooleanField(_("major defect"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ServiceItem(TimeStampedModel):
    class Pricing(models.TextChoices):
        FREE = "free", _("Free")
        FIXED = "fixed", _("Fixed price")
        FROM = "from", pgettext_lazy("price", "From")
        PER_UNIT = "per_unit", _("Per unit")

    category = models.ForeignKey(
        ServiceCategory, models.PROTECT, related_name="items", verbose_name=_("category")
    )
    # Empty for the company-wide catalogue; set for an item one office offers on its own.
    office = models.ForeignKey(
        "org.Office",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="service_items",
        verbose_name=_("office"),
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    service_hours = models.CharField(_("service hours"), max_length=80, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    pricing = models.CharField(
        _("pricing"), max_length=10, choices=Pricing.choices, default=Pricing.FREE
    )
    price = models.DecimalField(
        _("price (CNY)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    price_unit = models.CharField(_("per"), max_length=20, blank=True)
    in_scope = models.BooleanField(_("in the service scope"), default=True)
    # M14: repairing it is a major defect (roof or bathroom leak, external-wall crack…): the
    # office watches the result with periodic inspections. The category may say so for all.
    is_major_defect = models.BooleanField(_("major defect"), default=False)
    is_special = models.BooleanField(_("special service (特约服务)"), default=False)
    default_completion_hours = models.PositiveIntegerField(
        _("default completion time (hours)"), default=24
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Raised by every change (its fields, steps, mark, being taken out or back): an edit made
    # against an older one is refused (core.lifecycle.check_version).
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__position", "name"]
        indexes = [
            # An office's catalogue: company-wide items (office NULL) plus its own, active ones.
            models.Index(
                fields=["office", "is_active", "category"], name="serviceitem_office_active"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="serviceitem_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(pricing="free", price=0) | ~models.Q(pricing="free"),
                name="serviceitem_free_has_no_price",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def watches_result(self) -> bool:
        """M14: a repair of this item opens a defect watch."""
        return self.is_major_defect or self.category.is_major_defect

    @property
    def is_chargeable(self) -> bool:
        """A chargeable item needs a fee shown and accepted before dispatch (M10)."""
        return self.pricing != self.Pricing.FREE

    @property
    def price_label(self) -> str:
        if self.pricing == self.Pricing.FREE:
            return str(_("Free"))
        if self.pricing == self.Pricing.FROM:
            return str(_("from ¥%(price)s") % {"price": self.price})
        if self.pricing == self.Pricing.PER_UNIT:
            return str(
                _("¥%(price)s per %(unit)s") % {"price": self.price, "unit": self.price_unit}
            )
        return f"¥{self.price}"


class ProcedureStep(models.Model):
    """One step of an item's standard procedure (作业规范), shown on the work order (M11)."""

    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("step"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    needs_photo = models.BooleanField(_("photo required"), default=False)
    # Procedures change over time; the audit keeps which steps an item had when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="procedurestep_unique_position"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"
