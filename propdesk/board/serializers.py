"""The board's API shapes (M25): serializers over the selectors' plain objects."""

from django.urls import reverse

from propdesk.core import serializers
from propdesk.core.measures import PERIOD_KINDS, UNITS


class BoardPeriodQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIOD_KINDS, required=False, default="week")
    at = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="The period's key, 2026-W24 or 2026-06, or any day in it, 2026-06-10",
    )


class BoardMeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    rule = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.ChoiceField(choices=list(UNITS))
    higher_is_better = serializers.BooleanField()
    lists_misses = serializers.BooleanField(source="has_misses")


class BoardMeasureTargetSerializer(serializers.Serializer):
    """A measure with the manual's target and the company's now (null: none)."""

    measure = BoardMeasureSerializer()
    manual = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(
        source="value", max_digits=12, decimal_places=2, allow_null=True
    )
    version = serializers.IntegerField()


class BoardTargetInputSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False, min_value=0)


class BoardPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(source="last_day")


class BoardPointSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.key")
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    numerator = serializers.DecimalField(source="figure.numerator", max_digits=16, decimal_places=2)
    denominator = serializers.IntegerField(source="figure.denominator")
    status = serializers.CharField(help_text="green, red, or none (nothing to judge, no target)")


class BoardLineSerializer(serializers.Serializer):
    key = serializers.CharField(source="measure.key")
    rule = serializers.CharField(source="measure.rule")
    label = serializers.CharField(source="measure.label")
    unit = serializers.CharField(source="measure.unit")
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(
        source="current.value", max_digits=16, decimal_places=2, allow_null=True
    )
    status = serializers.CharField(help_text="green, red, or none (nothing to judge, no target)")
    trend = BoardPointSerializer(many=True)
    cases = serializers.SerializerMethodField(help_text="The console page of the cases behind it")

    def get_cases(self, line) -> str:
        board = self.context["board"]
        query = f"?period={board.period.kind}&at={board.period.key}"
        if board.office is not None:
            query += f"&office={board.office.pk}"
        return reverse("console:board_cases", args=[line.measure.key]) + query


class BoardOfficeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    code = serializers.CharField()


class BoardOfficeRowSerializer(serializers.Serializer):
    office = BoardOfficeRefSerializer()
    reds = serializers.IntegerField()
    measures = serializers.SerializerMethodField()

    def get_measures(self, row) -> list[dict]:
        keys = [line.measure.key for line in self.context["board"].lines]
        return [
            {
                "key": key,
                "value": None if c.value is None else str(c.value),
                "status": c.status,
            }
            for key, c in zip(keys, row.cells, strict=True)
        ]


class BoardSerializer(serializers.Serializer):
    office = BoardOfficeRefSerializer(allow_null=True)
    period = BoardPeriodSerializer()
    reds = serializers.IntegerField()
    measures = BoardLineSerializer(source="lines", many=True)


class CompanyBoardSerializer(BoardSerializer):
    offices = BoardOfficeRowSerializer(many=True)


# --- the monthly reports ------------------------------------------------------------------------


class BoardReportFilterSerializer(serializers.Serializer):
    month = serializers.CharField(
        required=False, allow_blank=True, max_length=7, help_text="Only this month: 2026-06"
    )


class BoardReportSerializer(serializers.Serializer):
    """A monthly report: whose board (``office`` null: the company's), which month, how many of
    its measures were red, when it was made (and by whom, when Quality made it again), and its
    PDF."""

    id = serializers.IntegerField(source="pk")
    office = BoardOfficeRefSerializer(allow_null=True)
    month = serializers.SerializerMethodField()
    reds = serializers.IntegerField()
    judged = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    generated_by = serializers.CharField(
        source="generated_by.display_name", allow_null=True, default=None
    )
    recipients = serializers.IntegerField(help_text="How many people it was sent to")
    size = serializers.IntegerField(help_text="The PDF's size in bytes")
    version = serializers.IntegerField()
    file = serializers.SerializerMethodField(help_text="The PDF, from the API")

    def get_month(self, report) -> str:
        return f"{report.month:%Y-%m}"

    def get_file(self, report) -> str:
        return reverse("board-report-file", args=[report.pk])


class BoardReportRegenerateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read (or send If-Match)"
    )
