"""The revenue report (M24): its filters, and the report with a page of its rows."""

from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceCategory
from propdesk.catalog.selectors import items_visible_to
from propdesk.core import serializers
from propdesk.core.measures import MONTH, parse_period
from propdesk.core.params import MAX_ID


class MonthField(serializers.CharField):
    """A calendar month, ``2026-06``, as a ``Period``."""

    default_error_messages = {"month": _("Enter a month as YYYY-MM, for example 2026-06.")}

    def __init__(self, **kwargs):
        super().__init__(max_length=7, **kwargs)

    def to_internal_value(self, data):
        period = parse_period(MONTH, super().to_internal_value(data))
        if period is None:
            self.fail("month")
        return period

    def to_representation(self, value):
        return value.key


class RevenueFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("One office (company roles); office staff always see their own."),
    )
    start = MonthField(
        required=False, help_text=_("First month, YYYY-MM; default: eleven months before `end`.")
    )
    end = MonthField(required=False, help_text=_("Last month, included; default: this month."))
    category = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("A service category's id.")
    )
    item = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("A catalogue item's id.")
    )

    def validate_category(self, value):
        if not ServiceCategory.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("No such category."))
        return value

    def validate_item(self, value):
        user = self.context["request"].user
        if not items_visible_to(user).filter(pk=value).exists():
            raise serializers.ValidationError(_("No such service item."))
        return value


class RevenueTotalsSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Revenue in yuan (CNY).")
    )
    special = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Of which special services, in yuan.")
    )
    charges = serializers.IntegerField(help_text=_("Charges recorded."))


class RevenueMonthSerializer(RevenueTotalsSerializer):
    month = serializers.CharField(source="month.key", help_text="YYYY-MM, Asia/Shanghai.")

    def to_representation(self, instance):
        data = RevenueTotalsSerializer(instance.totals).data
        return {"month": instance.month.key, **data}


class RevenueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RevenueRowSerializer(serializers.Serializer):
    """One month, office and item: what it earned."""

    month = serializers.CharField(help_text="YYYY-MM, Asia/Shanghai.")
    office = RevenueRefSerializer()
    item = RevenueRefSerializer(allow_null=True, help_text=_("Null: charged without an item."))
    category = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    special = serializers.DecimalField(max_digits=14, decimal_places=2)
    charges = serializers.IntegerField()

    def to_representation(self, row):
        totals = RevenueTotalsSerializer(row.totals).data
        return {
            "month": row.month.key,
            "office": {"id": row.office_id, "name": row.office_name},
            "item": {"id": row.item_id, "name": row.item_name} if row.item_id else None,
            "category": row.category_name,
            **totals,
        }


class RevenueReportSerializer(serializers.Serializer):
    """The report: its range and office, the total, every month's total, and a page of rows
    (per month, office and item; ``next`` and ``previous`` page through them)."""

    start = serializers.CharField(help_text="YYYY-MM")
    end = serializers.CharField(help_text="YYYY-MM")
    office = RevenueRefSerializer(allow_null=True)
    total = RevenueTotalsSerializer()
    months = RevenueMonthSerializer(many=True)
    count = serializers.IntegerField()
    count_capped = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RevenueRowSerializer(many=True)
