"""The surveys API (M16). Staff, under /api/v1/surveys/: campaigns (list, detail with each
office's households, answers and return rate, create, edit, launch, close, remind), a campaign's
households (answered or not, by office or code) and paper entry by the printed code, and the
questionnaire's versions (a new draft, its questions, publishing). The customer, under
/api/v1/portal/surveys/: their households' participations, the questionnaire, answering and
changing the answer. Thin: selectors read, services change, and the API's exception handler turns
a service's ``DomainError`` into the one JSON error shape. Another office's household, or another
customer's, is 404."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from propdesk.core.api import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    expected_version,
    idempotent_create,
    validated,
)
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.serializers import ErrorSerializer
from propdesk.org.models import Office
from propdesk.portal.api import CustomerView

from ..lifecycle import CAMPAIGNS
from ..models import Campaign, Participant, Question, Questionnaire, rate
from ..models import Response as SurveyResponse
from ..selectors import answers as selectors
from ..serializers import answers as s
from ..services import campaigns as campaign_services
from ..services import questionnaires as questionnaire_services
from ..services import reminders as reminder_services
from ..services import responses as response_services

ERROR = ErrorSerializer
READ_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
ACTION_ERRORS = {400: ERROR, **READ_ERRORS, 409: ERROR}
VERSIONED_ERRORS = {**ACTION_ERRORS, 428: ERROR}
CUSTOMER_READ_ERRORS = {401: ERROR, 404: ERROR}
CUSTOMER_ACTION_ERRORS = {400: ERROR, **CUSTOMER_READ_ERRORS, 409: ERROR}
TAG = "surveys"
QUESTION_PK = OpenApiParameter("question_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
PARTICIPANT_PK = OpenApiParameter("participant_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def _office(pk) -> Office | None:
    if pk is None:
        return None
    office = Office.objects.filter(pk=pk).first()
    if office is None:
        raise NotFound(field="office")
    return office


# --- staff: campaigns ----------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class CampaignViewSet(viewsets.GenericViewSet):
    """The company's survey campaigns, with the figures of the offices you see."""

    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.none()  # for the schema only; reads go through selectors
    parser_classes = [JSONParser]

    def _campaign(self, pk) -> Campaign:
        return selectors.campaign_get(self.request.user, pk)

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        campaign = self._campaign(pk)
        parts = list(selectors.parts_for(self.request.user, campaign))
        households = sum(p.households for p in parts)
        responses = sum(p.responses for p in parts)
        context = {
            "parts": parts,
            "totals": {
                "households": households,
                "responses": responses,
                "return_rate": rate(responses, households),
            },
            "allowed_actions": CAMPAIGNS.actions_for(self.request.user, campaign),
        }
        data = s.CampaignSerializer(campaign, context=context).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, status=code, headers={"ETag": f'"{campaign.version}"'})

    def _versioned(self, serializer_class, pk, *, partial=False):
        """The campaign (404 before 400), the input cleaned, and the version acted on."""
        campaign = self._campaign(pk)
        data = validated(serializer_class, self.request.data, request=self.request, partial=partial)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return campaign, data, version

    @extend_schema(
        parameters=[s.CampaignFilterSerializer],
        responses={200: s.CampaignListSerializer(many=True), 400: ERROR, 401: ERROR, 403: ERROR},
        description="Every campaign, latest first; by state, year and season.",
    )
    def list(self, request):
        params = validated(s.CampaignFilterSerializer, request.query_params.dict(), request=request)
        rows = selectors.campaigns_for_user(request.user, selectors.CampaignFilters(**params))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.CampaignListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.CampaignSerializer, **READ_ERRORS},
        description="One campaign: each office you see with its households (frozen at launch), "
        "answers and return rate, the totals over them, its ``version`` (also its ``ETag``) and "
        "the ``allowed_actions`` you may take now.",
    )
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.CampaignCreateSerializer,
        responses={201: s.CampaignSerializer, **ACTION_ERRORS},
        description="A campaign being prepared (nobody is invited until it is launched), asking "
        "the latest published questionnaire unless ``questionnaire`` names one.",
    )
    def create(self, request):
        data = validated(s.CampaignCreateSerializer, request.data, request=request)
        questionnaire = data.pop("questionnaire", None)
        if questionnaire is not None:
            questionnaire = Questionnaire.objects.filter(pk=questionnaire).first()
            if questionnaire is None:
                raise NotFound(field="questionnaire")
        return idempotent_create(
            request,
            owner=f"staff:{request.user.pk}",
            data={**data, "questionnaire": getattr(questionnaire, "pk", None)},
            create=lambda: campaign_services.campaign_create(
                actor=request.user, questionnaire=questionnaire, **data
            ),
            answer=self._answer,
        )

    @extend_schema(
        request=s.CampaignEditSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CampaignSerializer, **VERSIONED_ERRORS},
        description="Change the title or the deadline (a running campaign's may be extended, "
        "not brought forward) and, before launch, the audience and the target rate.",
    )
    def partial_update(self, request, pk=None):
        campaign, data, version = self._versioned(s.CampaignEditSerializer, pk, partial=True)
        campaign_services.campaign_edit(
            actor=request.user, campaign=campaign, expected_version=version, **data
        )
        return self._answer(pk)

    @extend_schema(
        request=s.CampaignVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CampaignSerializer, **VERSIONED_ERRORS},
        description="Freeze the households (every active one of every office, once) and invite "
        "each by its one-time link; the messages are written in the background.",
    )
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        campaign, _input, version = self._versioned(s.CampaignVersionSerializer, pk)
        campaign_services.campaign_launch(
            actor=request.user, campaign=campaign, expected_version=version
        )
        return self._answer(pk)

    @extend_schema(
        request=s.CampaignVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CampaignSerializer, **VERSIONED_ERRORS},
        description="Close a running campaign after its deadline.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign, _input, version = self._versioned(s.CampaignVersionSerializer, pk)
        campaign_services.campaign_close(
            actor=request.user, campaign=campaign, expected_version=version
        )
        return self._answer(pk)

    @extend_schema(
        request=s.RemindSerializer,
        responses={202: s.RemindedSerializer, **ACTION_ERRORS},
        description="Remind the households that have not answered (a director: his office's; "
        "the quality team: every office's, or ``office``'s), each at most once a day; SMS wait "
        "out the quiet hours. 409 ``nothing_to_remind`` when all were reminded today.",
    )
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        campaign = self._campaign(pk)
        data = validated(s.RemindSerializer, request.data, request=request)
        count = reminder_services.campaign_remind(
            actor=request.user, campaign=campaign, office=_office(data.get("office"))
        )
        return Response({"households": count}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[s.ParticipantFilterSerializer],
        responses={200: s.ParticipantSerializer(many=True), **READ_ERRORS, 400: ERROR},
        description="The campaign's households in your offices, in code order: "
        "``answered=false`` for those to visit, by office, or by code.",
    )
    @action(detail=True, methods=["get"])
    def participants(self, request, pk=None):
        campaign = self._campaign(pk)
        params = validated(
            s.ParticipantFilterSerializer, request.query_params.dict(), request=request
        )
        rows = selectors.participants_for(request.user, campaign, **params)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.ParticipantSerializer(page, many=True).data)

    @extend_schema(
        parameters=[PARTICIPANT_PK],
        responses={200: s.ParticipantSerializer, **READ_ERRORS},
        description="One household of the campaign with its answer; another office's is 404.",
    )
    @action(detail=True, methods=["get"], url_path=r"participants/(?P<participant_pk>[0-9]+)")
    def participant(self, request, pk=None, participant_pk=None):
        participant = selectors.participant_get(request.user, self._campaign(pk), participant_pk)
        return Response(s.ParticipantSerializer(participant).data)

    @extend_schema(
        request=s.PaperEntrySerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ParticipantSerializer, **ACTION_ERRORS},
        description="Type in a paper questionnaire by the code printed on it (entered by you). "
        "A code of another office or campaign answers 404 naming ``code``; a household that "
        "has answered, 409 ``already_answered``; an answer that is missing or out of range, "
        "400 naming ``answers.<question id>``.",
    )
    @action(detail=True, methods=["post"])
    def paper(self, request, pk=None):
        campaign = self._campaign(pk)
        data = validated(s.PaperEntrySerializer, request.data, request=request)

        def enter():
            participant = response_services.participant_by_code(
                actor=request.user, campaign=campaign, code=data["code"]
            )
            return response_services.response_submit(
                participant=participant,
                answers=data["answers"],
                channel=SurveyResponse.Channel.PAPER,
                actor=request.user,
            )

        def answer(response_pk, code):
            participant = Participant.objects.get(response__pk=response_pk)
            participant = selectors.participant_get(request.user, campaign, participant.pk)
            return Response(s.ParticipantSerializer(participant).data, status=code)

        return idempotent_create(
            request, owner=f"staff:{request.user.pk}", data=data, create=enter, answer=answer
        )


# --- staff: questionnaires ------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class QuestionnaireViewSet(viewsets.GenericViewSet):
    """The company's questionnaire in versions: drafts change, published versions never do."""

    serializer_class = s.QuestionnaireSerializer
    queryset = Questionnaire.objects.none()  # for the schema only
    parser_classes = [JSONParser]

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        questionnaire = selectors.questionnaire_get(self.request.user, pk)
        return Response(s.QuestionnaireSerializer(questionnaire).data, status=code)

    def _question(self, pk, question_pk) -> Question:
        questionnaire = selectors.questionnaire_get(self.request.user, pk)
        question = Question.objects.filter(questionnaire=questionnaire, pk=question_pk).first()
        if question is None:
            raise NotFound(field="question")
        return question

    @extend_schema(
        responses={200: s.QuestionnaireListSerializer(many=True), 401: ERROR, 403: ERROR},
        description="Every version, latest first.",
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.questionnaires_for(request.user))
        return self.get_paginated_response(s.QuestionnaireListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.QuestionnaireSerializer, **READ_ERRORS},
        description="One version with its questions in order.",
    )
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses={201: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="A new draft version, a copy of the latest published one. One draft at a "
        "time: 409 ``draft_exists`` while there is one.",
    )
    def create(self, request):
        draft = questionnaire_services.questionnaire_draft(actor=request.user)
        return self._answer(draft.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.QuestionnaireEditSerializer,
        responses={200: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="A draft's title and introduction. A published version answers 409 "
        "``questionnaire_published``.",
    )
    def partial_update(self, request, pk=None):
        questionnaire = selectors.questionnaire_get(request.user, pk)
        data = validated(s.QuestionnaireEditSerializer, request.data, request=request)
        questionnaire_services.questionnaire_edit(
            actor=request.user, questionnaire=questionnaire, **data
        )
        return self._answer(pk)

    @extend_schema(
        request=s.SurveyQuestionInputSerializer,
        responses={201: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="Add a question to a draft, at the end or at ``position``.",
    )
    @action(detail=True, methods=["post"])
    def questions(self, request, pk=None):
        questionnaire = selectors.questionnaire_get(request.user, pk)
        data = validated(s.SurveyQuestionInputSerializer, request.data, request=request)
        questionnaire_services.question_add(actor=request.user, questionnaire=questionnaire, **data)
        return self._answer(pk, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        request=s.SurveyQuestionChangeSerializer,
        parameters=[QUESTION_PK],
        responses={200: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="Change a draft's question.",
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[QUESTION_PK],
        responses={200: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="Remove a draft's question; the later ones move up.",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"questions/(?P<question_pk>[0-9]+)",
    )
    def question(self, request, pk=None, question_pk=None):
        question = self._question(pk, question_pk)
        if request.method == "DELETE":
            questionnaire_services.question_remove(actor=request.user, question=question)
        else:
            data = validated(
                s.SurveyQuestionChangeSerializer, request.data, request=request, partial=True
            )
            questionnaire_services.question_change(actor=request.user, question=question, **data)
        return self._answer(pk)

    @extend_schema(
        request=s.SurveyQuestionOrderSerializer,
        responses={200: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="Put a draft's questions in a new order.",
    )
    @action(detail=True, methods=["post"], url_path="questions/order")
    def order(self, request, pk=None):
        questionnaire = selectors.questionnaire_get(request.user, pk)
        data = validated(s.SurveyQuestionOrderSerializer, request.data, request=request)
        questionnaire_services.questions_reorder(
            actor=request.user, questionnaire=questionnaire, order=data["order"]
        )
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses={200: s.QuestionnaireSerializer, **ACTION_ERRORS},
        description="Publish a draft: at least one satisfaction question, two options or more "
        "on each choice, at most one opinions question. From then on it never changes, and new "
        "campaigns ask it; running campaigns keep the version they froze.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        questionnaire = selectors.questionnaire_get(request.user, pk)
        questionnaire_services.questionnaire_publish(
            actor=request.user, questionnaire=questionnaire
        )
        return self._answer(pk)


# --- the customer's --------------------------------------------------------------------------------


@extend_schema(tags=["customer"])
class CustomerSurveyViewSet(CustomerView, viewsets.GenericViewSet):
    """The surveys of the signed-in customer's households, and their answers."""

    serializer_class = s.ParticipationDetailSerializer
    queryset = Participant.objects.none()  # for the schema only
    parser_classes = [JSONParser]

    @property
    def customer(self):
        return self.account.customer

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        participant = selectors.participation_of_customer(self.customer, pk)
        context = {"now": timezone.now()}
        data = s.ParticipationDetailSerializer(participant, context=context).data
        response = getattr(participant, "response", None)
        headers = {"ETag": f'"{response.version}"'} if response is not None else {}
        return Response(data, status=code, headers=headers)

    @extend_schema(
        responses={200: s.ParticipationSerializer(many=True), 401: ERROR},
        description="The campaigns the customer's households were invited to, latest first: "
        "answered or not, open until when.",
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.participations_of_customer(self.customer))
        context = {"now": timezone.now()}
        return self.get_paginated_response(
            s.ParticipationSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        responses={200: s.ParticipationDetailSerializer, **CUSTOMER_READ_ERRORS},
        description="The questionnaire with its questions in the reader's language, and the "
        "household's answer with its ``version`` (also the ``ETag``) once it has answered.",
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        methods=["POST"],
        request=s.SurveyAnswersSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ParticipationDetailSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Answer, once per household: a second answer is 409 ``already_answered`` "
        "(change it with PUT). A missing or out-of-range answer is 400 naming "
        "``answers.<question id>``; after the deadline, 409 ``deadline_passed``.",
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        request=s.SurveyAnswersSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.ParticipationDetailSerializer,
            **CUSTOMER_ACTION_ERRORS,
            428: ERROR,
        },
        description="Change the household's answer until the deadline, sending every answer "
        "again with the ``version`` read (or If-Match): none is 428, an older one 409.",
    )
    @action(detail=True, methods=["post", "put", "patch"])
    def answers(self, request, pk=None):
        participant = selectors.participation_of_customer(self.customer, pk)  # 404 before 400
        data = validated(s.SurveyAnswersSerializer, request.data, request=request)
        if request.method == "POST":
            return idempotent_create(
                request,
                owner=f"customer:{self.customer.pk}",
                data=data,
                create=lambda: response_services.response_submit(
                    participant=participant,
                    answers=data["answers"],
                    channel=SurveyResponse.Channel.PORTAL,
                    customer=self.customer,
                ),
                answer=lambda _pk, code: self._detail(pk, code),
            )
        version = expected_version(request, data)
        response = getattr(participant, "response", None)
        if response is None:
            raise Conflict(
                _("This household has not answered yet: send its answers with POST."),
                code="not_answered",
                field="answers",
            )
        response_services.response_change(
            response=response,
            answers=data["answers"],
            channel=SurveyResponse.Channel.PORTAL,
            customer=self.customer,
            expected_version=version,
        )
        return self._detail(pk)
