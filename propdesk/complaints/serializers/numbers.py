"""How the complaints received in a period went, per office and for the company (M19, M23)."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers


class ComplaintNumbersFilterSerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="First day (local date); default: 30 days before `end`."
    )
    end = serializers.DateField(required=False, help_text="Last day, included; default: today.")

    def validate(self, data):
        import datetime as dt

        from django.utils import timezone

        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise serializers.ValidationError({"start": _("The period must start before it ends.")})
        if (end - start).days > 366:
            raise serializers.ValidationError({"start": _("Choose a period of at most a year.")})
        return {"start": start, "end": end}


class ComplaintNumbersRowSerializer(serializers.Serializer):
    office = serializers.IntegerField(source="office.pk", allow_null=True, default=None)
    office_name = serializers.CharField(source="office.name", allow_null=True, default=None)
    households = serializers.IntegerField()
    received = serializers.IntegerField()
    company_level = serializers.IntegerField()
    responded = serializers.IntegerField()
    responded_on_time = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    answered = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    closed = serializers.IntegerField()
    escalated_late = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    complaint_rate = serializers.FloatField(
        allow_null=True, help_text="Complaints per 100 households."
    )


class ComplaintNumbersSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    offices = ComplaintNumbersRowSerializer(many=True)
    company = ComplaintNumbersRowSerializer()
