"""Reads for survey follow-ups and public replies (M16), scoped to the offices the user sees:
another office's follow-up is simply not found."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.scoping import get_scoped, scope_for

from ..models import Campaign, FollowUp, PublicReply, Response


@dataclass
class FollowUpFilters:
    campaign: int | None = None
    kind: str = ""
    state: str = ""
    mine: bool = False
    overdue: bool = False
    q: str = ""


def followups_for_user(user, filters: FollowUpFilters, *, now: dt.datetime) -> QuerySet:
    """The worklist: open ones first, soonest due first. Served by the indexes
    surveyfollowup_office (an office's staff: office, state, due_at), surveyfollowup_state
    (company roles by state and due date) and surveyfollowup_campaign (one campaign's)."""
    qs = scope_for(FollowUp.objects.all(), user).select_related(
        "campaign",
        "office",
        "customer",
        "assigned_to",
        "participant",
        "ticket",
        "household__unit__building__community",
    )
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine:
        qs = qs.filter(assigned_to=user)  # the FK's own index
    if filters.overdue:
        qs = qs.filter(state=FollowUp.State.OPEN, due_at__lt=now)
    term = (filters.q or "").strip()
    if term:
        # The questionnaire's printed code (participant_unique_code: campaign, code), or the
        # unit's number (unit_number) as the address is searched elsewhere.
        qs = qs.filter(
            Q(participant__code__istartswith=term)
            | Q(household__unit__number__startswith=term)
            | Q(customer__name__startswith=term)
        )
    return qs.order_by("state", "due_at", "pk")


def followup_get(user, pk) -> FollowUp:
    return get_scoped(
        FollowUp.objects.select_related(
            "campaign__questionnaire",
            "office",
            "customer",
            "assigned_to",
            "done_by",
            "participant",
            "ticket",
            "household__unit__building__community",
        ),
        user,
        pk=pk,
    )


def response_of(followup: FollowUp) -> Response | None:
    return Response.objects.filter(participant_id=followup.participant_id).first()


def answers_shown(followup: FollowUp, response: Response | None) -> list[tuple[str, str]]:
    """The household's answers as the page shows them: each question and its answer."""
    if response is None:
        return []
    return response_answers(response, followup.campaign.questionnaire)


def followups_of(response: Response) -> QuerySet:
    """The household's follow-ups of the response's campaign (a callback, a visit)."""
    return FollowUp.objects.filter(
        campaign_id=response.campaign_id, household_id=response.household_id
    ).select_related("ticket", "assigned_to")


def response_answers(response: Response, questionnaire) -> list[tuple[str, str]]:
    """Each question of ``questionnaire`` the response answered, with its answer as shown."""
    shown = []
    for question in questionnaire.questions.all():
        value = response.data.get(str(question.pk))
        if value in (None, "", []):
            continue
        if question.options:
            labels = dict(question.display_options)
            values = value if isinstance(value, list) else [value]
            value = "、".join(str(labels.get(v, v)) for v in values)
        shown.append((question.display_text, str(value)))
    return shown


def response_get(user, pk) -> Response:
    return get_scoped(
        Response.objects.select_related(
            "campaign__questionnaire",
            "office",
            "customer",
            "participant__customer",
            "household__unit__building__community",
        ),
        user,
        pk=pk,
    )


def campaigns_with_followups() -> QuerySet:
    """The worklist's campaign filter: launched campaigns, latest first."""
    return Campaign.objects.exclude(state=Campaign.State.DRAFT).order_by("-deadline")


def replies_of(user, campaign) -> QuerySet:
    """A campaign's public replies: company-wide ones and those of the offices the user sees."""
    qs = PublicReply.objects.filter(campaign=campaign).select_related("notice", "office")
    if getattr(user, "is_company_role", False):
        return qs
    return qs.filter(Q(office__isnull=True) | Q(office_id=getattr(user, "office_id", None)))


def campaign_get(pk) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise NotFound()
    return campaign


def primary_phone(customer) -> str:
    """The customer's primary number (E.164), as stored; pages show it through
    ``customers.privacy.shown_phone``."""
    if customer is None:
        return ""
    return customer.phones.filter(is_primary=True).values_list("number", flat=True).first() or ""
