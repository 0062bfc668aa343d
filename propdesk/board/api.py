"""The board's REST API (M25) under /api/v1/board/: the measures with their targets, an
office's board and the company's, and the Quality Management Department's change of a target.
Thin: the selectors check who may see what and compute; the service changes."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import expected_version, validated
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer

from . import selectors, services
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
