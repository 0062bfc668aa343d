"""The API of the major-defect watch (M14): thin views over the same reads and services as the
console. Another office's watch is not found (404); the services' refusals come back as
400/403/409 JSON naming the field. A watch's detail carries its ``version``, also as its ETag;
the changes take the version last read (``version`` in the body or ``If-Match``) and answer 409
``stale_version`` if someone changed the watch meanwhile."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import NotFound
from propdesk.core.serializers import ErrorSerializer
from propdesk.org.models import User

from ..lifecycle import DEFECT_WATCHES
from ..models import DefectWatch
from ..selectors import defects as selectors
from ..serializers import defects as s
from ..services import defects

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
ACTION_ERRORS = {**ERRORS, 409: ErrorSerializer}


class DefectWatchViewSet(viewsets.GenericViewSet):
    """Watches of major-defect repairs (M14): the board, one watch, and the actions on it."""

    serializer_class = s.DefectWatchDetailSerializer
    queryset = DefectWatch.objects.none()  # for the schema only: reads go through the selectors
    lookup_value_regex = r"\d+"

    def _watch(self, pk) -> DefectWatch:
        return selectors.watch_get(self.request.user, pk)

    def _detail(self, pk) -> Response:
        watch = self._watch(pk)
        watch.inspection_list = selectors.watch_inspections(watch)
        watch.next_due = next((i.due_at for i in watch.inspection_list if not i.done_at), None)
        watch.next_number = next((i.number for i in watch.inspection_list if not i.done_at), None)
        watch.allowed_actions = DEFECT_WATCHES.actions_for(self.request.user, watch)
        context = {"request": self.request, "now": timezone.now()}
        data = s.DefectWatchDetailSerializer(watch, context=context).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, headers={"ETag": f'"{watch.version}"'})

    @extend_schema(
        parameters=[s.DefectWatchFilterSerializer],
        responses={200: s.DefectWatchListSerializer(many=True), 400: ErrorSerializer},
        description="Watches the caller may see (company roles: every office), the next "
        "inspection due soonest first.",
    )
    def list(self, request):
        params = validated(s.DefectWatchFilterSerializer, request.query_params, request=request)
        filters = selectors.WatchFilters(
            state=params.get("state"),
            overdue=params["overdue"],
            watcher=params.get("watcher"),
            office=params.get("office"),
        )
        now = timezone.now()
        page = self.paginate_queryset(selectors.watch_list(request.user, filters, now=now))
        rows = s.DefectWatchListSerializer(
            page, many=True, context={"request": request, "now": now}
        )
        return self.get_paginated_response(rows.data)

    @extend_schema(responses={200: s.DefectWatchDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request={
            "multipart/form-data": s.InspectionRecordSerializer,
            "application/json": s.InspectionRecordSerializer,
        },
        parameters=[
            OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH),
            IF_MATCH,
        ],
        responses={200: s.DefectWatchDetailSerializer, **ACTION_ERRORS},
        description="The special record (专项记录) of inspection `number`: by the designated "
        "person or the office's director. `recurred` opens rework (M15) and the watch goes on; "
        "the planned number of clean inspections in a row closes it.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"inspections/(?P<number>\d+)/record",
        url_name="record",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def record(self, request, pk=None, number=None):
        watch = self._watch(pk)  # 404 before 400: nothing is said of another office's watch
        inspection = watch.inspections.filter(number=int(number)).first()
        if inspection is None:
            raise NotFound(field="inspection")
        data = validated(s.InspectionRecordSerializer, request.data, request=request)
        version = expected_version(request, data)
        defects.inspection_record(
            actor=request.user,
            inspection=inspection,
            findings=data["findings"],
            result=data["result"],
            photos=data["photos"],
            now=timezone.now(),
            expected_version=version,
        )
        return self._detail(pk)

    @extend_schema(
        request=s.WatchReassignSerializer,
        parameters=[IF_MATCH],
        responses={200: s.DefectWatchDetailSerializer, **ACTION_ERRORS},
        description="The director changes the designated person and, optionally, the plan.",
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        watch = self._watch(pk)
        data = validated(s.WatchReassignSerializer, request.data, request=request)
        version = expected_version(request, data)
        defects.watch_reassign(
            actor=request.user,
            watch=watch,
            # An unknown id and another office's staff get the same answer from the service.
            watcher=User.objects.filter(pk=data["watcher"]).first() or _nobody(),
            interval_days=data.get("interval_days"),
            planned_inspections=data.get("planned_inspections"),
            now=timezone.now(),
            expected_version=version,
        )
        return self._detail(pk)

    @extend_schema(
        request=s.WatchCloseSerializer,
        parameters=[IF_MATCH],
        responses={200: s.DefectWatchDetailSerializer, **ACTION_ERRORS},
        description="The director closes the watch before its plan is done, saying why.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        watch = self._watch(pk)
        data = validated(s.WatchCloseSerializer, request.data, request=request)
        defects.watch_close(
            actor=request.user,
            watch=watch,
            reason=data["reason"],
            now=timezone.now(),
            expected_version=expected_version(request, data),
        )
        return self._detail(pk)


def _nobody() -> User:
    """Stands for an id that names no one: not active staff of any office."""
    return User(pk=0, is_active=False)


router = SimpleRouter()
router.register("defect-watches", DefectWatchViewSet, basename="defect-watch")

urlpatterns: list = [*router.urls]
