"""The staff API of a campaign's analysis (M16), under
/api/v1/surveys/campaigns/<id>/analysis/: the company's figures, an office's with its written
analysis (PUT to record it), the analysis clocks, every answer as a spreadsheet and the report as
a PDF. Figures not released yet answer 409 saying why (the return rate below the target, or the
deadline not passed); another office's, 404."""

import json

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.scoping import scope_for
from propdesk.core.serializers import ErrorSerializer

from .. import exports
from ..models import CampaignOffice
from ..selectors import analysis as selectors
from ..serializers import analysis as s
from ..services import analysis as services
from ..topics import campaign_topics

ERROR = ErrorSerializer
READ_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
TAG = "surveys"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BinaryRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's type in Accept; errors still come as JSON text."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class PDFRenderer(BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XLSXRenderer(BinaryRenderer):
    media_type = XLSX
    format = "xlsx"


class _CampaignView(APIView):
    def campaign(self):
        return selectors.campaign_get(self.request.user, self.kwargs["pk"])

    def office_id(self):
        return self.kwargs.get("office_pk")

    def released(self, campaign, now):
        """The figures asked for, under the release rule: (statistics, the office's part)."""
        office_id = self.office_id()
        if office_id is None:
            stats = services.company_statistics(actor=self.request.user, campaign=campaign, now=now)
            return stats, None
        stats = services.office_statistics(
            actor=self.request.user, campaign=campaign, office_id=office_id, now=now
        )
        return stats, stats.included[0].part

    def topics(self, campaign, stats, part):
        if part is not None:
            return campaign_topics(campaign, office_id=part.office_id)
        return campaign_topics(campaign, office_ids={o.part.office_id for o in stats.included})


@extend_schema(tags=[TAG])
class CompanyAnalysisView(_CampaignView):
    @extend_schema(
        responses={200: s.CompanyFiguresSerializer, **READ_ERRORS},
        description="The company's figures, once the collection deadline has passed (409 "
        "``before_deadline`` until then): the satisfaction index (the share of satisfaction "
        "answers that are 4 or 5) and mean overall, per area and per office, each question's "
        "distribution, the comparison with the previous campaign and the issues raised by many. "
        "Offices below their target return rate are left out and listed in ``not_included``. "
        "Company roles only (403 ``company_only``).",
    )
    def get(self, request, pk):
        campaign = self.campaign()
        stats, _part = self.released(campaign, timezone.now())
        data = s.company_figures(stats, self.topics(campaign, stats, None))
        return Response(s.CompanyFiguresSerializer(data).data)


@extend_schema(tags=[TAG])
class OfficeAnalysisView(_CampaignView):
    def _answer(self, campaign, now):
        stats, part = self.released(campaign, now)
        clock = selectors.Clock(part, now)
        data = s.office_figures(stats, self.topics(campaign, stats, part), clock)
        return Response(s.OfficeFiguresSerializer(data).data, headers={"ETag": f'"{part.version}"'})

    @extend_schema(
        responses={200: s.OfficeFiguresSerializer, **READ_ERRORS},
        description="One office's figures and its written analysis, once its return rate has "
        "reached the target and the collection deadline has passed (409 ``below_target`` or "
        "``before_deadline`` until then). Its ``version`` is also the ETag.",
    )
    def get(self, request, pk, office_pk):
        return self._answer(self.campaign(), timezone.now())

    @extend_schema(
        request=s.AnalysisRecordSerializer,
        parameters=[IF_MATCH],
        responses={200: s.OfficeFiguresSerializer, 400: ERROR, **READ_ERRORS, 428: ERROR},
        description="Record or revise the office's analysis and conclusions (the office's "
        "director, or the Quality Management Department). The first recording stops the "
        "office's one-week clock: ``on_time`` says whether it was within it. Send the version "
        "you read (``version`` or If-Match): an older one answers 409, none 428.",
    )
    def put(self, request, pk, office_pk):
        campaign = self.campaign()
        data = validated(s.AnalysisRecordSerializer, request.data, request=request)
        version = expected_version(request, data)
        now = timezone.now()
        services.office_analysis_record(
            actor=request.user,
            campaign=campaign,
            office_id=office_pk,
            analysis=data["analysis"],
            expected_version=version,
            now=now,
        )
        return self._answer(campaign, now)


@extend_schema(tags=[TAG])
class ClockListView(_CampaignView):
    @extend_schema(
        responses={200: s.ClockSerializer(many=True), **READ_ERRORS},
        description="Each office's analysis clock (yours only, for office staff): due a week "
        "after both the target return rate and the deadline are reached, when it was analysed, "
        "and whether on time.",
    )
    def get(self, request, pk):
        campaign = self.campaign()
        parts = scope_for(CampaignOffice.objects.filter(campaign=campaign), request.user)
        clocks = selectors.analysis_clocks_of(parts.order_by("office__code"), now=timezone.now())
        return Response(s.ClockSerializer([s.clock_data(c) for c in clocks], many=True).data)


def _whose(stats, part) -> dict:
    """The answers an export holds: the office's, or the released offices' for the company."""
    if part is not None:
        return {"office_id": part.office_id}
    return {"office_ids": {o.part.office_id for o in stats.included}}


def _filename(campaign, part, ext: str) -> str:
    who = part.office.code if part is not None else "company"
    return f"survey-{campaign.pk}-{who}.{ext}"


@extend_schema(tags=[TAG])
class AnswersExportView(_CampaignView):
    renderer_classes = [renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="Every answer: a row per response (code, office, address, channel, "
                "when, each question's answer, the opinion).",
            ),
            **READ_ERRORS,
        },
        description="Every answer of the company (released offices' figures need the deadline "
        "passed) or of one office, as an .xlsx spreadsheet.",
    )
    def get(self, request, pk, office_pk=None):
        campaign = self.campaign()
        stats, part = self.released(campaign, timezone.now())
        out = exports.answers_xlsx(campaign, **_whose(stats, part))
        return FileResponse(
            out,
            as_attachment=True,
            filename=_filename(campaign, part, "xlsx"),
            content_type=XLSX,
        )


@extend_schema(tags=[TAG])
class ReportView(_CampaignView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The report in Chinese: figures, a bar chart per area, the issues "
                "raised by many and, for an office, its written analysis.",
            ),
            **READ_ERRORS,
        },
        description="The company's or one office's report as a PDF.",
    )
    def get(self, request, pk, office_pk=None):
        campaign = self.campaign()
        stats, part = self.released(campaign, timezone.now())
        pdf = exports.report_pdf(stats, self.topics(campaign, stats, part), part=part)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{_filename(campaign, part, "pdf")}"'
        return response
