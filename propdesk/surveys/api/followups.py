"""The survey follow-ups' staff API (M16), under /api/v1/surveys/followups/, and a campaign's
public replies under /api/v1/surveys/campaigns/<id>/replies/. Thin: selectors read, services
change, and the API's exception handler turns a service's ``DomainError`` into the one JSON
error shape."""

from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer

from ..models import FollowUp, PublicReply
from ..models import Response as SurveyResponse
from ..selectors import followups as selectors
from ..serializers import followups as s
from ..services import followups as services
from ..services.replies import reply_publish

ERROR = ErrorSerializer
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 428: ERROR}


def _followup_answer(request, pk, code=status.HTTP_200_OK) -> Response:
    """One follow-up as the API shows it, with its ``ETag``."""
    followup = selectors.followup_get(request.user, pk)
    response = selectors.response_of(followup)
    context = {
        "request": request,
        "response": response,
        "answers": selectors.answers_shown(followup, response),
        "low_areas": services.low_areas(response) if response else [],
        "phone": selectors.primary_phone(followup.customer),
    }
    data = s.FollowUpSerializer(followup, context=context).data
    return Response(data, status=code, headers={"ETag": f'"{followup.version}"'})


@method_decorator(name="list", decorator=extend_schema(parameters=[s.FollowUpFilterSerializer]))
class FollowUpViewSet(viewsets.GenericViewSet):
    """Survey follow-ups: callbacks to households that wrote an opinion and home visits to
    important customers, of the offices you see."""

    serializer_class = s.FollowUpSerializer
    queryset = FollowUp.objects.none()  # for the schema only; reads go through selectors

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        return _followup_answer(self.request, pk, code)

    def _input(self, serializer_class, pk):
        """The follow-up (404 before 400), the input cleaned, and the version acted on."""
        followup = selectors.followup_get(self.request.user, pk)
        data = validated(serializer_class, self.request.data, request=self.request)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return followup, data, version

    @extend_schema(responses={200: s.FollowUpListSerializer(many=True), 400: ERROR, 403: ERROR})
    def list(self, request):
        require(request.user, "survey.followup")
        params = validated(s.FollowUpFilterSerializer, request.query_params.dict(), request=request)
        followups = selectors.followups_for_user(
            request.user, selectors.FollowUpFilters(**params), now=timezone.now()
        )
        page = self.paginate_queryset(followups)
        return self.get_paginated_response(s.FollowUpListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.FollowUpSerializer, 404: ERROR},
        description="One follow-up with the household's answers, the customer's number (masked "
        "unless you may read it), its ``version`` (also its ``ETag``) and the "
        "``allowed_actions`` you may take now.",
    )
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.AssignSerializer,
        parameters=[IF_MATCH],
        responses={200: s.FollowUpSerializer, **ACTION_ERRORS},
        description="Give it to someone of its office's desk or a follow-up specialist.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        followup, data, version = self._input(s.AssignSerializer, pk)
        services.followup_assign(
            actor=request.user,
            followup=followup,
            assignee=data["assigned_to"],
            expected_version=version,
            now=timezone.now(),
        )
        return self._answer(pk)

    @extend_schema(
        request=s.PlanSerializer,
        parameters=[IF_MATCH],
        responses={200: s.FollowUpSerializer, **ACTION_ERRORS},
        description="Plan a home visit.",
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        followup, data, version = self._input(s.PlanSerializer, pk)
        services.followup_plan(
            actor=request.user,
            followup=followup,
            planned_for=data["planned_for"],
            expected_version=version,
            now=timezone.now(),
        )
        return self._answer(pk)

    @extend_schema(
        request=s.RecordSerializer,
        parameters=[IF_MATCH],
        responses={200: s.FollowUpSerializer, **ACTION_ERRORS},
        description="Record the outcome (required): the follow-up is done, and the outcome goes "
        "on the customer's history. A visit says when it took place.",
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        followup, data, version = self._input(s.RecordSerializer, pk)
        services.followup_record(
            actor=request.user,
            followup=followup,
            outcome=data["outcome"],
            planned_for=data.get("planned_for"),
            expected_version=version,
            now=timezone.now(),
        )
        return self._answer(pk)

    @extend_schema(
        request=s.OpenRequestSerializer,
        parameters=[IF_MATCH],
        responses={201: s.FollowUpSerializer, **ACTION_ERRORS},
        description="Open a request or a complaint for the household's customer, prefilled from "
        "its answers, and link it (``ticket``). Once per follow-up: a second is 409.",
    )
    @action(detail=True, methods=["post"], url_path="open-request")
    def open_request(self, request, pk=None):
        followup, data, version = self._input(s.OpenRequestSerializer, pk)
        services.followup_open_request(
            actor=request.user,
            followup=followup,
            what=data["what"],
            kind=data.get("kind") or services.Kind.SERVICE,
            description=data.get("description", ""),
            expected_version=version,
            now=timezone.now(),
        )
        return self._answer(pk, status.HTTP_201_CREATED)


class SurveyResponseViewSet(viewsets.GenericViewSet):
    """A household's answers to a campaign, of the offices you see: what staff act on."""

    serializer_class = s.FollowUpSerializer
    queryset = SurveyResponse.objects.none()  # for the schema only; reads go through selectors

    @extend_schema(
        request=s.OpenFromResponseSerializer,
        responses={201: s.FollowUpSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        description="Open a request or a complaint for the household's customer from its "
        "answers (a dissatisfied one, typically), prefilled from them unless ``description`` is "
        "given. The household's callback is opened now if it was not yet, and the request is "
        "linked to it (``ticket``): the answer is that follow-up. Once per household and "
        "campaign: a second is 409 ``already_opened``; a household without a customer on "
        "record is 400 ``no_customer``.",
    )
    @action(detail=True, methods=["post"], url_path="open-request")
    def open_request(self, request, pk=None):
        response = selectors.response_get(request.user, pk)
        data = validated(s.OpenFromResponseSerializer, request.data, request=request)
        followup = services.followup_open_request(
            actor=request.user,
            response=response,
            what=data["what"],
            kind=data.get("kind") or services.Kind.SERVICE,
            description=data.get("description", ""),
            now=timezone.now(),
        )
        return _followup_answer(request, followup.pk, status.HTTP_201_CREATED)


class CampaignReplyViewSet(viewsets.GenericViewSet):
    """A campaign's public replies: each a notice to the company's or one office's customers."""

    serializer_class = s.ReplySerializer
    queryset = PublicReply.objects.none()  # for the schema only

    @extend_schema(responses={200: s.ReplySerializer(many=True), 403: ERROR, 404: ERROR})
    def list(self, request, campaign_pk=None):
        require(request.user, "survey.view")
        campaign = selectors.campaign_get(campaign_pk)
        page = self.paginate_queryset(selectors.replies_of(request.user, campaign))
        return self.get_paginated_response(s.ReplySerializer(page, many=True).data)

    @extend_schema(
        request=s.ReplyCreateSerializer,
        responses={201: s.ReplySerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        description="Publish a reply to an issue many raised, as a customer notice: company-wide "
        "(quality) or to one office's customers (its director). Refused with 409 before the "
        "campaign's collection deadline.",
    )
    def create(self, request, campaign_pk=None):
        campaign = selectors.campaign_get(campaign_pk)
        data = validated(s.ReplyCreateSerializer, request.data, request=request)
        reply = reply_publish(
            actor=request.user,
            campaign=campaign,
            topic=data["topic"],
            title=data.get("title", ""),
            body=data["body"],
            office=data.get("office"),
            by_notification=data.get("by_notification", False),
            now=timezone.now(),
        )
        return Response(s.ReplySerializer(reply).data, status=status.HTTP_201_CREATED)
