"""The Service Guide (M06).

An office's guide is compiled from its catalogue (``catalog.selectors.items_for_office``) and
published as numbered editions. An edition is a frozen copy: its entries and hotline numbers are
written out when it is published, so later changes to the catalogue never alter it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.models import TimeStampedModel


class GuideEdition(TimeStampedModel):
    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="guide_editions", verbose_name=_("office")
    )
    number = models.PositiveIntegerField(_("edition"))
    published_at = models.DateTimeField(_("published at"))
    # Who published it: editions are never changed afterwards, so this is their audit record.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The office's three hotline numbers (M02) as they were when the edition was published.
    hotline_complaint = models.CharField(_("complaint hotline"), max_length=30, blank=True)
    hotline_service = models.CharField(_("service hotline"), max_length=30, blank=True)
    hotline_duty = models.CharField(_("24-hour duty hotline"), max_length=30, blank=True)
    # A digest of the frozen content: publishing an unchanged catalogue is refused (409).
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("Service Guide edition")
        verbose_name_plural = _("Service Guide editions")
        ordering = ["office", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="guideedition_unique_number")
        ]
        # The unique constraint's index also serves "an office's editions, newest first".

    def __str__(self):
        return f"{self.office} #{self.number}"


class GuideEntry(models.Model):
    """One service item as an edition shows it: a copy, not a link, so it never changes."""

    edition = models.ForeignKey(GuideEdition, models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    # The catalogue item it was copied from: how the change between editions recognises an item.
    item_id = models.PositiveIntegerField()
    category_name = models.CharField(_("category"), max_length=60)
    category_position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    service_hours = models.CharField(_("service hours"), max_length=80, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    pricing = models.CharField(_("pricing"), max_length=10, choices=ServiceItem.Pricing.choices)
    price = models.DecimalField(
        _("price (CNY)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    price_unit = models.CharField(_("per"), max_length=20, blank=True)
    is_special = models.BooleanField(_("special service (特约服务)"), default=False)

    class Meta:
        verbose_name = _("Service Guide entry")
        verbose_name_plural = _("Service Guide entries")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="guideentry_unique_pos"),
            models.UniqueConstraint(fields=["edition", "item_id"], name="guideentry_unique_item"),
        ]

    def __str__(self):
        return self.name

    @property
    def price_label(self) -> str:
        """The fee as the catalogue words it, in the reader's language."""
        return ServiceItem(
            pricing=self.pricing, price=self.price, price_unit=self.price_unit
        ).price_label
