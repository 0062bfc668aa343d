"""The shapes of a campaign's analysis in the API (M16): read-only figures built from the
selectors' results (``figures_*`` below turn them into plain data), the office's written
analysis as input, and the analysis clocks."""

from propdesk.core import serializers
from propdesk.core.limits import TEXT_DOCUMENT

SHARE = "A share from 0 to 1 with four decimals (0.6667 is 66.67%)"


class IndexSerializer(serializers.Serializer):
    answers = serializers.IntegerField(help_text="Satisfaction answers (1 to 5) counted")
    satisfied = serializers.IntegerField(help_text="Of which 4 or 5")
    index = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text="The satisfaction index: satisfied / answers; null without answers",
    )
    mean = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="The mean score"
    )


class AreaSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The service area (Area's value)")
    label = serializers.CharField()
    index = IndexSerializer()
    previous = IndexSerializer(allow_null=True, help_text="The previous campaign's, if any")
    change = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text="The index's change since the previous campaign (0.05: five points up)",
    )


class CountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text='The score ("1"–"5") or the option\'s value')
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4, help_text=SHARE)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text="scale, choice, multi or text")
    text = serializers.CharField()
    area = serializers.CharField(allow_blank=True)
    answered = serializers.IntegerField(
        help_text="Answers counted (a multiple choice counts each option chosen)"
    )
    counts = CountSerializer(many=True)
    index = IndexSerializer(allow_null=True, help_text="Satisfaction questions only")


class TopicSerializer(serializers.Serializer):
    word = serializers.CharField()
    households = serializers.IntegerField(help_text="Households whose opinion mentions it")
    samples = serializers.ListField(child=serializers.CharField())


class TopicsSerializer(serializers.Serializer):
    read = serializers.IntegerField(help_text="Opinions read")
    capped = serializers.BooleanField(help_text="More opinions than are read were written")
    topics = TopicSerializer(many=True)


class PartSerializer(serializers.Serializer):
    office = serializers.IntegerField()
    office_name = serializers.CharField()
    households = serializers.IntegerField()
    responses = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=5, decimal_places=4, help_text=SHARE)
    reached_at = serializers.DateTimeField(allow_null=True)


class OfficeRowSerializer(PartSerializer):
    index = IndexSerializer()
    previous = IndexSerializer(allow_null=True)
    change = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class CampaignRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    campaign = CampaignRefSerializer()
    previous_campaign = CampaignRefSerializer(allow_null=True)
    target_rate = serializers.DecimalField(max_digits=3, decimal_places=2)
    households = serializers.IntegerField()
    responses = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=5, decimal_places=4, help_text=SHARE)
    index = IndexSerializer()
    previous = IndexSerializer(allow_null=True)
    change = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    areas = AreaSerializer(many=True)
    questions = QuestionSerializer(many=True)
    topics = TopicsSerializer()


class CompanyFiguresSerializer(FiguresSerializer):
    offices = OfficeRowSerializer(many=True, help_text="The offices counted in the figures")
    not_included = PartSerializer(
        many=True,
        help_text="Offices whose figures are not released yet (return rate below the target)",
    )


class OfficeFiguresSerializer(FiguresSerializer):
    office = serializers.IntegerField()
    office_name = serializers.CharField()
    analysis = serializers.CharField(allow_blank=True)
    analysis_due_at = serializers.DateTimeField(allow_null=True)
    analysed_at = serializers.DateTimeField(allow_null=True)
    analysed_by = serializers.IntegerField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    version = serializers.IntegerField(help_text="Also the ETag; send it back as If-Match")


class AnalysisRecordSerializer(serializers.Serializer):
    analysis = serializers.CharField(max_length=TEXT_DOCUMENT)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read (or send If-Match)"
    )


class ClockSerializer(serializers.Serializer):
    office = serializers.IntegerField()
    office_name = serializers.CharField()
    analysis_due_at = serializers.DateTimeField(allow_null=True)
    analysed_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(
        allow_null=True, help_text="Analysed no later than due; null until both are known"
    )
    overdue = serializers.BooleanField(help_text="Due, not analysed, and the week is over")


# --- the figures as plain data --------------------------------------------------------------------


def _index(index) -> dict | None:
    if index is None:
        return None
    return {
        "answers": index.answers,
        "satisfied": index.satisfied,
        "index": index.index,
        "mean": index.mean,
    }


def _part(part) -> dict:
    return {
        "office": part.office_id,
        "office_name": part.office.name,
        "households": part.households,
        "responses": part.responses,
        "return_rate": part.return_rate,
        "reached_at": part.reached_at,
    }


def _campaign(campaign) -> dict | None:
    return {"id": campaign.pk, "title": campaign.title} if campaign else None


def _topics(topics) -> dict:
    return {
        "read": topics.read,
        "capped": topics.capped,
        "topics": [
            {"word": t.word, "households": t.households, "samples": t.samples}
            for t in topics.topics
        ],
    }


def _common(stats, figures, previous, topics) -> dict:
    return {
        "campaign": _campaign(stats.campaign),
        "previous_campaign": _campaign(stats.previous_campaign),
        "target_rate": stats.campaign.target_rate,
        "index": _index(figures.index),
        "previous": _index(previous.index) if previous else None,
        "areas": [
            {
                "area": row.area,
                "label": row.label,
                "index": _index(row.index),
                "previous": _index(row.previous),
                "change": row.change,
            }
            for row in stats.area_rows(figures, previous)
        ],
        "questions": [
            {
                "id": row.question.pk,
                "position": row.question.position,
                "kind": row.question.kind,
                "text": row.question.display_text,
                "area": row.question.area,
                "answered": row.answered,
                "counts": [
                    {"value": v, "label": label, "count": n, "share": share}
                    for v, label, n, share in row.rows
                ],
                "index": _index(row.index),
            }
            for row in stats.question_rows(figures)
        ],
        "topics": _topics(topics),
    }


def company_figures(stats, topics) -> dict:
    return {
        **_common(stats, stats.total, stats.previous_total, topics),
        "households": stats.households,
        "responses": stats.responses,
        "return_rate": stats.return_rate,
        "change": stats.change,
        "offices": [
            {
                **_part(o.part),
                "index": _index(o.figures.index),
                "previous": _index(o.previous.index) if o.previous else None,
                "change": o.change,
            }
            for o in stats.included
        ],
        "not_included": [_part(p) for p in stats.excluded],
    }


def office_figures(stats, topics, clock) -> dict:
    [office] = stats.included
    part = office.part
    return {
        **_common(stats, office.figures, office.previous, topics),
        **_part(part),
        "change": office.change,
        "analysis": part.analysis,
        "analysis_due_at": part.analysis_due_at,
        "analysed_at": part.analysed_at,
        "analysed_by": part.analysed_by_id,
        "on_time": clock.on_time,
        "version": part.version,
    }


def clock_data(clock) -> dict:
    return {
        "office": clock.part.office_id,
        "office_name": clock.part.office.name,
        "analysis_due_at": clock.due_at,
        "analysed_at": clock.analysed_at,
        "on_time": clock.on_time,
        "overdue": clock.overdue,
    }
