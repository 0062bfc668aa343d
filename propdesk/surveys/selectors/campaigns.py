"""Reading campaigns for the console (M16): the list, one campaign, each office's return rate,
an office's households that have not answered, the questionnaire's versions. Campaigns are the
company's, seen by every role with ``survey.view``; an office's part of one (its households, its
return rate) is scoped to the office (``core.scoping``): another office's is not found."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.permissions import allowed
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.customers.models import CustomerPhone

from ..models import (
    Campaign,
    CampaignEvent,
    CampaignOffice,
    Participant,
    Question,
    Questionnaire,
)

# The most households one printed file holds: a bigger office prints in pages of the list.
PRINT_LIMIT = 500


def target_count(households: int, target_rate) -> int:
    """The answers the target needs, as ``services.target_count`` counts them (60% of 7 is 5).
    Repeated here: the services read selectors, so selectors do not import the services."""
    return math.ceil(households * Decimal(target_rate)) if households else 0


@dataclass(frozen=True)
class CampaignFilters:
    state: str = ""
    year: int | None = None


def campaign_list(user, filters: CampaignFilters = CampaignFilters()) -> QuerySet:
    """The campaigns, latest first. By state: the ``campaign_state`` index (state, -deadline);
    by year: few rows (two a year), read in the model's order."""
    if not allowed(user, "survey.view"):
        return Campaign.objects.none()
    qs = Campaign.objects.select_related("questionnaire")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(year=filters.year)
    return qs.order_by("-year", "-deadline", "-pk")


def campaign_get(user, pk) -> Campaign:
    if not allowed(user, "survey.view"):
        raise NotFound()
    try:
        return Campaign.objects.select_related("questionnaire", "launched_by", "created_by").get(
            pk=pk
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def campaign_years() -> list[int]:
    return list(Campaign.objects.order_by("-year").values_list("year", flat=True).distinct())


def office_parts(user, campaign: Campaign) -> list[CampaignOffice]:
    """Each office's part the user may see (his own office; company roles all), with its return
    rate, the answers the target needs and whether it is reached. One query."""
    parts = list(
        scope_for(CampaignOffice.objects.filter(campaign=campaign), user)
        .select_related("office")
        .order_by("office__code")
    )
    for part in parts:
        part.needed = target_count(part.households, campaign.target_rate)
        part.reached = part.reached_at is not None
        part.percent = round(part.return_rate * 100, 1)
    return parts


def part_get(user, campaign: Campaign, office_id) -> CampaignOffice:
    """The office's part of the campaign, if the user may see the office (404 otherwise)."""
    part = get_scoped(
        CampaignOffice.objects.select_related("office"),
        user,
        campaign=campaign,
        office_id=office_id,
    )
    part.needed = target_count(part.households, campaign.target_rate)
    part.percent = round(part.return_rate * 100, 1)
    return part


def not_answered(campaign: Campaign, office_id: int, q: str = "") -> QuerySet:
    """The office's households that have not answered, in code order: the ``participant_office``
    index (campaign, office, responded_at, code). A search narrows by code, building, unit or
    addressee; each row carries its address and addressee with their numbers (prefetched)."""
    qs = Participant.objects.filter(
        campaign=campaign, office_id=office_id, responded_at__isnull=True
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(household__unit__number__startswith=q)
            | Q(household__unit__building__name__startswith=q)
            | Q(customer__name__startswith=q)
        )
    phones = CustomerPhone.objects.order_by("-is_primary", "pk")
    return (
        qs.select_related("household__unit__building__community", "customer", "campaign")
        .prefetch_related(Prefetch("customer__phones", queryset=phones))
        .order_by("code")
    )


def participants_for_print(campaign: Campaign, office_id: int, q: str = "") -> QuerySet:
    """The households of ``not_answered`` without their numbers (a paper form carries none)."""
    return (
        not_answered(campaign, office_id, q)
        .prefetch_related(None)
        .select_related("household__unit__building__community", "campaign")
    )


def participant_get(user, campaign: Campaign, pk) -> Participant:
    return get_scoped(
        Participant.objects.select_related(
            "household__unit__building__community", "campaign", "customer"
        ),
        user,
        campaign=campaign,
        pk=pk,
    )


def timeline(campaign: Campaign) -> QuerySet:
    return CampaignEvent.objects.filter(campaign=campaign).select_related("office", "actor")


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.order_by("position"))


def questionnaire_list() -> QuerySet:
    return Questionnaire.objects.select_related("created_by").order_by("-number")


def questionnaire_get(user, pk) -> Questionnaire:
    if not allowed(user, "survey.view"):
        raise NotFound()
    try:
        return Questionnaire.objects.select_related("created_by").get(pk=pk)
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def latest_published() -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(state=Questionnaire.State.PUBLISHED)
        .order_by("-number")
        .first()
    )
