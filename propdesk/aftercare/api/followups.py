"""The API for the weekly follow-up sample (M13): the calls, their tries and outcomes, and the
weekly samples. Thin: reads through ``selectors.followups`` (office-scoped: another
office's call or sample is not found), every write one service call. A call's detail carries
its ``version``, also as its ETag; the changes take the version last read (``version`` in the
body or ``If-Match``) and answer 409 ``stale_version`` if someone changed the call meanwhile."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import NotFound
from propdesk.core.serializers import ErrorSerializer

from ..lifecycle import FOLLOWUP_CALLS
from ..models import FollowupAttempt, FollowupBatch, FollowupCall
from ..selectors import followups as selectors
from ..serializers import followups as s
from ..services import followups as service

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
ACTION_ERRORS = {**ERRORS, 409: ErrorSerializer}


def _week(value):
    return service.parse_week(value) if value else None


class FollowupCallViewSet(viewsets.GenericViewSet):
    """Follow-up calls (M13 sampled orders, M15 rework's special follow-up)."""

    serializer_class = s.FollowupCallDetailSerializer
    queryset = FollowupCall.objects.none()  # for the schema only: reads go through the selectors
    lookup_value_regex = r"\d+"

    def _detail(self, pk) -> Response:
        user = self.request.user
        call = selectors.call_get(user, pk)
        call.tries = list(FollowupAttempt.objects.filter(call=call).select_related("by"))
        call.allowed_actions = FOLLOWUP_CALLS.actions_for(user, call)
        call.can_record = bool(call.allowed_actions)
        data = s.FollowupCallDetailSerializer(call, context={"now": timezone.now()}).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, headers={"ETag": f'"{call.version}"'})

    def _input(self, serializer_class, pk):
        call = selectors.call_get(self.request.user, pk)  # 404 before 400
        data = validated(serializer_class, self.request.data, request=self.request)
        return call, data, expected_version(self.request, data)

    @extend_schema(
        parameters=[s.FollowupCallFilterSerializer],
        responses={200: s.FollowupCallSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        """Calls, soonest due first; ``assignee=me`` is a specialist's worklist."""
        f = validated(s.FollowupCallFilterSerializer, request.query_params, request=request)
        assignee = f.get("assignee")
        filters = selectors.CallFilters(
            office=f.get("office"),
            state=f.get("state", ""),
            kind=f.get("kind", ""),
            week=_week(f.get("week")),
            assignee=request.user.pk if assignee == "me" else int(assignee) if assignee else None,
        )
        page = self.paginate_queryset(selectors.call_list(request.user, filters))
        rows = s.FollowupCallSerializer(page, many=True, context={"now": timezone.now()})
        return self.get_paginated_response(rows.data)

    @extend_schema(responses={200: s.FollowupCallDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=s.FollowupAttemptInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.FollowupCallDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def attempt(self, request, pk=None):
        """One try without the customer's answer: nobody answered (``reached`` false; the third
        such try closes the call as not reached), or reached but to call back (true). Only the
        call's specialist (or an administrator) records it."""
        call, d, version = self._input(s.FollowupAttemptInputSerializer, pk)
        service.call_attempt(
            actor=request.user,
            call=call,
            reached=d["reached"],
            note=d["note"],
            expected_version=version,
        )
        return self._detail(pk)

    @extend_schema(
        request=s.FollowupOutcomeInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.FollowupCallDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """The customer answered: satisfied, or not with a comment, which opens rework of the
        order, dispatched at once (M15). The call is then done."""
        call, d, version = self._input(s.FollowupOutcomeInputSerializer, pk)
        service.call_outcome(
            actor=request.user,
            call=call,
            satisfied=d["satisfied"],
            comment=d["comment"],
            expected_version=version,
        )
        return self._detail(pk)


class FollowupBatchViewSet(viewsets.GenericViewSet):
    """Each office's weekly sample: the population, the seed and the sample drawn (M13)."""

    serializer_class = s.FollowupBatchDetailSerializer
    queryset = FollowupBatch.objects.none()  # for the schema only
    lookup_value_regex = r"\d+"

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        batch = selectors.batch_get(self.request.user, pk)
        batch.call_rows = selectors.batch_calls(batch)
        data = s.FollowupBatchDetailSerializer(batch, context={"now": timezone.now()}).data
        return Response(data, status=status_code)

    @extend_schema(
        parameters=[s.FollowupBatchFilterSerializer],
        responses={200: s.FollowupBatchSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        f = validated(s.FollowupBatchFilterSerializer, request.query_params, request=request)
        qs = selectors.batch_list(request.user, office=f.get("office"), week=_week(f.get("week")))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.FollowupBatchSerializer(page, many=True).data)

    @extend_schema(responses={200: s.FollowupBatchDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=s.FollowupBatchCreateSerializer,
        responses={
            201: s.FollowupBatchDetailSerializer,
            200: s.FollowupBatchDetailSerializer,
            **ACTION_ERRORS,
        },
    )
    def create(self, request):
        """Draw an office's sample of a chosen week that is over (the weekly job draws last
        week's by itself). A week already drawn answers 200 with its sample, unchanged."""
        d = validated(s.FollowupBatchCreateSerializer, request.data, request=request)
        office = selectors.offices_for(request.user).filter(pk=d["office"]).first()
        if office is None:
            raise NotFound(field="office")
        done = service.sample_week(office=office, week=d["week"], actor=request.user)
        return self._detail(done.batch.pk, status.HTTP_201_CREATED if done.created else 200)


router = SimpleRouter()
router.register("followup-calls", FollowupCallViewSet, basename="followup-call")
router.register("followup-batches", FollowupBatchViewSet, basename="followup-batch")

urlpatterns = router.urls
