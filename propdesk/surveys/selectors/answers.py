"""Reads for the surveys' answers, the customer's participations and the staff API: every one
scoped to what the reader may see (a customer their own households, staff their offices)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.customers.models import Household

from ..models import Campaign, CampaignOffice, Participant, Questionnaire

LIVE = (Campaign.State.RUNNING, Campaign.State.CLOSED)


# --- the customer's ------------------------------------------------------------------------------


def participations_of_customer(customer) -> QuerySet:
    """The campaigns the customer's households were invited to, latest first, with their answer
    (served by the index participant_household)."""
    return (
        Participant.objects.filter(
            household__in=Household.objects.of_customer(customer).values("pk"),
            campaign__state__in=LIVE,
        )
        .select_related("campaign__questionnaire", "household__unit__building", "response")
        .order_by("-campaign__deadline", "-pk")
    )


def participation_of_customer(customer, pk) -> Participant:
    """One of the customer's participations; another household's is not found."""
    try:
        return participations_of_customer(customer).get(pk=int(pk))
    except (Participant.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(field="participation") from None


# --- staff's -------------------------------------------------------------------------------------


@dataclass
class CampaignFilters:
    state: str = ""
    year: int | None = None
    season: str = ""


def campaigns_for_user(user, filters: CampaignFilters | None = None) -> QuerySet:
    """Every campaign (a campaign is the company's; the figures in it are per office), latest
    first. ``state`` is served by the index campaign_state."""
    require(user, "survey.view")
    filters = filters or CampaignFilters()
    rows = Campaign.objects.select_related("questionnaire")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.season:
        rows = rows.filter(season=filters.season)
    return rows


def campaign_get(user, pk) -> Campaign:
    require(user, "survey.view")
    try:
        return Campaign.objects.select_related("questionnaire").get(pk=int(pk))
    except (Campaign.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def parts_for(user, campaign) -> QuerySet:
    """The campaign's offices the user may see, with their households and answers."""
    return scope_for(
        CampaignOffice.objects.filter(campaign=campaign).select_related("office"), user
    ).order_by("office__code")


def participants_for(
    user, campaign, *, answered: bool | None = None, office: int | None = None, q: str = ""
) -> QuerySet:
    """The campaign's households in the user's offices, in code order; filtered by whether they
    answered and by office (the index participant_office: campaign, office, responded_at, code),
    or a code (participant_unique_code)."""
    rows = scope_for(Participant.objects.filter(campaign=campaign), user).select_related(
        "household__unit__building", "customer", "office", "response"
    )
    if answered is not None:
        rows = rows.filter(responded_at__isnull=not answered)
    if office:
        rows = rows.filter(office_id=office)
    if q:
        rows = rows.filter(Q(code__istartswith=q.strip()))
    return rows.order_by("code")


def participant_get(user, campaign, pk) -> Participant:
    """One household of the campaign; another office's is not found."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise NotFound() from None
    return get_scoped(
        Participant.objects.filter(campaign=campaign).select_related(
            "household__unit__building", "customer", "office", "response"
        ),
        user,
        pk=pk,
    )


def questionnaires_for(user) -> QuerySet:
    require(user, "survey.view")
    return Questionnaire.objects.all()


def questionnaire_get(user, pk) -> Questionnaire:
    require(user, "survey.view")
    try:
        return Questionnaire.objects.prefetch_related("questions").get(pk=int(pk))
    except (Questionnaire.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
