"""The board's REST API (M25) under /api/v1/board/: the measures with their targets, an
office's board and the company's (also as a spreadsheet with the cases behind every figure),
the Quality Management Department's change of a target, and the monthly PDF reports. Thin: the
selectors check who may see what and compute; the services change."""

import json

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import expected_version, validated
from propdesk.core.media import serve_file
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer

from . import exports, reports, selectors, services
from . import serializers as s

ERROR = ErrorSerializer
READ_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR}


def _period(request):
    data = validated(s.BoardPeriodQuerySerializer, request.query_params, request=request)
    return selectors.choose_period(data.get("period"), data.get("at"), now=timezone.now())


class MeasureList(APIView):
    """Every measure on the board, in rule order, with the manual's target and the company's."""

    @extend_schema(responses={200: s.BoardMeasureTargetSerializer(many=True), 403: ERROR})
    def get(self, request):
        require(request.user, "board.view")
        return Response(s.BoardMeasureTargetSerializer(selectors.target_rows(), many=True).data)


class MeasureTarget(APIView):
    """Change one measure's target (null: no target). Quality and admin only; send the
    ``version`` you read (0 for a manual's target never changed) or ``If-Match``."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=s.BoardTargetInputSerializer,
        responses={
            200: s.BoardMeasureTargetSerializer,
            400: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
        },
    )
    def put(self, request, key):
        require(request.user, "board.set_target")  # 403 before anything is said of the input
        data = validated(s.BoardTargetInputSerializer, request.data, request=request)
        version = expected_version(request, data)
        services.target_set(
            actor=request.user,
            measure=key,
            value=data["value"],
            reason=data.get("reason", ""),
            version=version,
            now=timezone.now(),
        )
        row = next(r for r in selectors.target_rows() if r.measure.key == key)
        return Response(s.BoardMeasureTargetSerializer(row).data)


PERIOD_PARAMETERS = [s.BoardPeriodQuerySerializer]


class OfficeBoard(APIView):
    """An office's board: every measure's figure in the period, its target, red or green, and
    the last 12 periods. Another office's is not found."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={200: s.BoardSerializer, **READ_ERRORS},
    )
    def get(self, request, pk):
        board = selectors.office_board(
            request.user, pk, period=_period(request), now=timezone.now()
        )
        return Response(s.BoardSerializer(board, context={"board": board}).data)


class CompanyBoard(APIView):
    """The company's board: every measure added over the offices, with its trend, and each
    office's figures in the period (most red first). Company roles only."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses={200: s.CompanyBoardSerializer, **READ_ERRORS}
    )
    def get(self, request):
        board = selectors.company_board(request.user, period=_period(request), now=timezone.now())
        return Response(s.CompanyBoardSerializer(board, context={"board": board}).data)


# --- exports and monthly reports -----------------------------------------------------------------


class _BinaryRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's type in Accept; errors still come as JSON text."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class XLSXRenderer(_BinaryRenderer):
    media_type = exports.XLSX
    format = "xlsx"


class PDFRenderer(_BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


XLSX_ANSWER = OpenApiResponse(
    response=OpenApiTypes.BINARY,
    description='The sheet "Board" (every measure: rule, target, value, red or green, numerator, '
    "denominator and the trend's periods), for the company each office's figures, then a sheet "
    "per measure with the cases behind its figure (for a rate, those that failed the rule; at "
    "most 5,000 rows, with a note when there are more).",
)


def _xlsx(request, board):
    base = request.build_absolute_uri("/").rstrip("/")
    out = exports.board_xlsx(request.user, board, now=timezone.now(), base=base)
    return FileResponse(
        out, as_attachment=True, filename=exports.file_name(board), content_type=exports.XLSX
    )


class OfficeBoardExport(APIView):
    """An office's board with the cases behind every figure, as an .xlsx spreadsheet. Another
    office's is not found."""

    renderer_classes = [renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={(200, exports.XLSX): XLSX_ANSWER, **READ_ERRORS},
    )
    def get(self, request, pk):
        board = selectors.office_board(
            request.user, pk, period=_period(request), now=timezone.now()
        )
        return _xlsx(request, board)


class CompanyBoardExport(APIView):
    """The company's board, each office's figures and the cases behind every figure, as an .xlsx
    spreadsheet. Company roles only."""

    renderer_classes = [renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={(200, exports.XLSX): XLSX_ANSWER, **READ_ERRORS},
    )
    def get(self, request):
        board = selectors.company_board(request.user, period=_period(request), now=timezone.now())
        return _xlsx(request, board)


class ReportList(GenericAPIView):
    """The monthly reports you may read, newest month first: a director his office's, the
    company's roles every one (``office`` null: the company's)."""

    serializer_class = s.BoardReportSerializer

    @extend_schema(
        parameters=[s.BoardReportFilterSerializer],
        responses={200: s.BoardReportSerializer(many=True), 400: ERROR, 403: ERROR},
    )
    def get(self, request):
        data = validated(s.BoardReportFilterSerializer, request.query_params, request=request)
        found = reports.reports_for(request.user, month=reports.parse_month(data.get("month")))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(s.BoardReportSerializer(page, many=True).data)


class ReportDetail(APIView):
    """One monthly report; another office's is not found."""

    @extend_schema(responses={200: s.BoardReportSerializer, 403: ERROR, 404: ERROR})
    def get(self, request, pk):
        report = reports.report_get(request.user, pk)
        response = Response(s.BoardReportSerializer(report).data)
        response["ETag"] = f'"{report.version}"'
        return response


class ReportFile(APIView):
    """One monthly report's PDF; another office's is not found."""

    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The month's board in Chinese: every measure with its target, "
                "value, red or green and its last 12 months; an office's red measures with "
                "their first cases.",
            ),
            403: ERROR,
            404: ERROR,
        }
    )
    def get(self, request, pk):
        report = reports.report_get(request.user, pk)
        response = serve_file(report.file.name)
        name = report.file.name.rsplit("/", 1)[-1]
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class ReportRegenerate(APIView):
    """Make a past monthly report again from the figures as they stand now (Quality and admin).
    Send the ``version`` you read or ``If-Match``; nothing is sent to anyone again."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=s.BoardReportRegenerateSerializer,
        responses={
            200: s.BoardReportSerializer,
            400: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
            428: ERROR,
        },
    )
    def post(self, request, pk):
        require(request.user, "board.report_regenerate")
        data = validated(s.BoardReportRegenerateSerializer, request.data, request=request)
        report = reports.report_regenerate(
            actor=request.user,
            report_id=pk,
            version=expected_version(request, data),
            now=timezone.now(),
        )
        return Response(s.BoardReportSerializer(report).data)
