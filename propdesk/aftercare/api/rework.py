"""The API for after service: the rework board (M15) and the weekly measures.

Thin: filters checked by a serializer, reads through ``selectors.rework`` and
``selectors.measures`` (office-scoped), one page of rows.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from propdesk.core.errors import Forbidden
from propdesk.core.permissions import allowed
from propdesk.core.serializers import ErrorSerializer

from ..selectors import measures, rework
from ..serializers import rework as s

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer}


def _filters(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return serializer.validated_data


def _may_view(user) -> None:
    if not allowed(user, "followup.view"):
        raise Forbidden(_("Your role may not do this."))


@extend_schema(
    parameters=[s.ReworkFilterSerializer],
    responses={200: s.ReworkRowSerializer(many=True), **ERRORS},
    description=str(
        _(
            "M15: rework orders with their special follow-up, due 24 hours after the customer's "
            "complaint; newest due first. Office staff see their office; company roles every "
            "office, or the one in `office`."
        )
    ),
)
class ReworkBoardList(generics.ListAPIView):
    serializer_class = s.ReworkRowSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    def get_queryset(self):
        _may_view(self.request.user)
        self.now = timezone.now()
        data = _filters(s.ReworkFilterSerializer, self.request)
        filters = rework.BoardFilters(
            office=data.get("office"), state=data.get("state", ""), week=data.get("week")
        )
        return rework.rework_board(self.request.user, filters, now=self.now)


@extend_schema(
    parameters=[s.WeeklyMeasureFilterSerializer],
    responses={200: s.WeeklyMeasureSerializer(many=True), **ERRORS},
    description=str(
        _(
            "The after-service numbers per office and ISO week (M13 sample, M14 inspections, "
            "M15 special follow-ups), recomputed every night for the current and previous week."
        )
    ),
)
class WeeklyMeasureList(generics.ListAPIView):
    serializer_class = s.WeeklyMeasureSerializer

    def get_queryset(self):
        _may_view(self.request.user)
        data = _filters(s.WeeklyMeasureFilterSerializer, self.request)
        return measures.measures_for(
            self.request.user, office_id=data.get("office"), week=data.get("week")
        )


urlpatterns: list = [
    path("rework/", ReworkBoardList.as_view(), name="rework-board"),
    path("weekly-measures/", WeeklyMeasureList.as_view(), name="weekly-measures"),
]
