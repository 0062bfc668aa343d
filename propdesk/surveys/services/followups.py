"""Follow-up after a campaign (M16): each household that wrote an opinion is called back
(逐户回访) and each important customer's household is visited (登门拜访), within the office's
analysis week; the outcome of each is recorded on the customer's history; a dissatisfied answer
or a follow-up may become a request or a complaint with one action.

When they open: with the office's analysis clock (``analysis_clocks``), that is once the
collection deadline has passed and the office reached its target rate. The manual puts 回访 in
the week's work after the return rate and the deadline; before the deadline a household may
still change its answer, so its opinion is not final. Visits are for every important customer's
household among the participants, answered or not: the visit is the company's attention to the
customer, and one who did not answer is the more worth hearing.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from propdesk.complaints.models import Complaint
from propdesk.complaints.services.intake import complaint_file
from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.customers.models import Residence
from propdesk.org.models import Role, User
from propdesk.tickets.models import Channel, Contact, Kind
from propdesk.tickets.services import contact_log, ticket_create

from ..lifecycle import FOLLOWUPS
from ..models import Area, CampaignEvent, CampaignOffice, FollowUp, Participant, Question, Response
from ._common import E, _log

K = FollowUp.Kind
DISSATISFIED = (1, 2)
# Complaints are filed by category; a survey's worst-scored area says which.
AREA_CATEGORY = {
    Area.HOTLINE: Complaint.Category.TIMELINESS,
    Area.REPAIRS: Complaint.Category.REPAIR_QUALITY,
    Area.CLEANING: Complaint.Category.ENVIRONMENT,
    Area.GREENERY: Complaint.Category.ENVIRONMENT,
    Area.SECURITY: Complaint.Category.SECURITY,
    Area.FACILITIES: Complaint.Category.FACILITIES,
    Area.FEES: Complaint.Category.FEES,
    Area.ATTITUDE: Complaint.Category.ATTITUDE,
    Area.OVERALL: Complaint.Category.OTHER,
}
REQUEST_KINDS = (Kind.SERVICE, Kind.REPAIR, Kind.INQUIRY, Kind.SUGGESTION)
OPEN_BATCH = 200  # offices per run of the job; the next run takes the rest

NEW_SUBJECT = _("Survey follow-ups to do: %(title)s")
NEW_BODY = _(
    "%(callbacks)s households to call back and %(visits)s important customers to visit for "
    "%(title)s, by %(due)s."
)
ASSIGNED_SUBJECT = _("A survey follow-up for you")
ASSIGNED_BODY = _("%(kind)s of %(household)s (%(title)s), by %(due)s.")


# --- opening ----------------------------------------------------------------------------------


def _important_customers(household_ids) -> dict[int, int]:
    """Each household's important customer (the earliest on the roster), owners and tenants."""
    chosen: dict[int, int] = {}
    rows = (
        Residence.objects.filter(household_id__in=household_ids, customer__is_important=True)
        .order_by("customer_id")
        .values_list("household_id", "customer_id")
    )
    for household_id, customer_id in rows:
        chosen.setdefault(household_id, customer_id)
    return chosen


def _open_for(part: CampaignOffice, *, now) -> tuple[int, int] | None:
    """The office's missing follow-ups, under its part's lock (so two runs add each once);
    None when another run has opened them meanwhile."""
    CampaignOffice.objects.select_for_update().get(pk=part.pk)
    if CampaignEvent.objects.filter(
        campaign_id=part.campaign_id, office_id=part.office_id, kind=E.FOLLOWUPS_OPENED
    ).exists():
        return None
    have = set(
        FollowUp.objects.filter(campaign_id=part.campaign_id, office_id=part.office_id).values_list(
            "household_id", "kind"
        )
    )
    common = {
        "campaign_id": part.campaign_id,
        "office_id": part.office_id,
        "due_at": part.analysis_due_at,
    }
    rows = []
    answered = Response.objects.filter(
        campaign_id=part.campaign_id, office_id=part.office_id
    ).exclude(opinion="")  # the partial index response_with_opinion
    for participant_id, household_id, answered_by, addressee in answered.values_list(
        "participant_id", "household_id", "customer_id", "participant__customer_id"
    ):
        if (household_id, K.CALLBACK) not in have:
            rows.append(
                FollowUp(
                    participant_id=participant_id,
                    household_id=household_id,
                    customer_id=answered_by or addressee,
                    kind=K.CALLBACK,
                    **common,
                )
            )
    callbacks = len(rows)
    participants = dict(
        Participant.objects.filter(
            campaign_id=part.campaign_id, office_id=part.office_id
        ).values_list("household_id", "pk")
    )
    for household_id, customer_id in _important_customers(list(participants)).items():
        if (household_id, K.VISIT) not in have:
            rows.append(
                FollowUp(
                    participant_id=participants[household_id],
                    household_id=household_id,
                    customer_id=customer_id,
                    kind=K.VISIT,
                    **common,
                )
            )
    # With their first audit row. The constraint followup_once stands behind the lock: a
    # callback opened meanwhile from a response's page makes this run fail, and the next retry.
    bulk_create_with_history(rows, FollowUp, default_date=now)
    return callbacks, len(rows) - callbacks


def _tell_office(part: CampaignOffice, *, callbacks: int, visits: int, now) -> None:
    link = reverse("console:survey_followups") + f"?campaign={part.campaign_id}"
    context = {
        "title": part.campaign.title,
        "callbacks": callbacks,
        "visits": visits,
        "due": timezone.localtime(part.analysis_due_at).strftime("%Y-%m-%d"),
    }
    for user in User.objects.desk_of(part.office_id):
        notify(
            event="survey_followups_opened",
            subject=NEW_SUBJECT,
            body=NEW_BODY,
            context=context,
            user=user,
            link=link,
            dedupe_key=f"survey:{part.campaign_id}:followups:{part.office_id}:user:{user.pk}",
            now=now,
        )


def survey_followups_open(*, now: dt.datetime) -> dict:
    """Periodic job: for each office whose analysis clock has started, a callback for every
    response with an opinion and a visit for every participating household with an important
    customer, due when its analysis is; the office's desk is told. Idempotent: an office is
    done once (its ``followups_opened`` event), and the part's lock and the constraint
    ``followup_once`` make a second run, here or on another machine, add nothing."""
    opened = Exists(
        CampaignEvent.objects.filter(
            campaign_id=OuterRef("campaign_id"),
            office_id=OuterRef("office_id"),
            kind=E.FOLLOWUPS_OPENED,
        )
    )
    parts = (
        CampaignOffice.objects.filter(analysis_due_at__isnull=False)
        .annotate(opened=opened)
        .filter(opened=False)
        .select_related("campaign", "office")
        .order_by("analysis_due_at", "pk")
    )
    totals = {"offices": 0, "callbacks": 0, "visits": 0}
    for part in parts[:OPEN_BATCH]:
        try:
            with transaction.atomic():
                counts = _open_for(part, now=now)
                if counts is not None:
                    _opened(part, *counts, now=now)
        except IntegrityError:
            continue  # a callback opened by hand meanwhile: the next run takes this office
        if counts is None:
            continue  # another run finished this office while this one waited for the lock
        callbacks, visits = counts
        totals["offices"] += 1
        totals["callbacks"] += callbacks
        totals["visits"] += visits
    return totals


def _opened(part, callbacks: int, visits: int, *, now) -> None:
    """The office's timeline entry with the counts, and its desk told of the worklist."""
    note = _("%(callbacks)s callbacks, %(visits)s visits") % {
        "callbacks": callbacks,
        "visits": visits,
    }
    _log(part.campaign, E.FOLLOWUPS_OPENED, now=now, office=part.office, note=note)
    if callbacks or visits:
        _tell_office(part, callbacks=callbacks, visits=visits, now=now)


# --- working on one ---------------------------------------------------------------------------


def _locked(followup: FollowUp, expected_version) -> FollowUp:
    fresh = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("campaign", "customer", "household")
        .get(pk=followup.pk)
    )
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this follow-up meanwhile. Reload it and try again."),
    )
    return fresh


def _seen(actor, followup: FollowUp) -> None:
    if not can_see_office(actor, followup.office_id):
        raise NotFound(field="followup")


def _save(followup: FollowUp, actor, fields) -> None:
    followup.version += 1
    followup._history_user = actor
    followup.save(update_fields=[*fields, "version", "updated_at"])


def may_take(user, followup: FollowUp) -> bool:
    """Whom a follow-up may be given to: active staff of its office's desk, or a follow-up
    specialist (they call every office's customers)."""
    if user is None or not user.is_active:
        return False
    if user.role == Role.FOLLOWUP:
        return True
    return user.role in (Role.AGENT, Role.DIRECTOR) and user.office_id == followup.office_id


def assignees(followup: FollowUp):
    return User.objects.filter(is_active=True).filter(role=Role.FOLLOWUP) | User.objects.desk_of(
        followup.office_id
    )


@transaction.atomic
def followup_assign(
    *, actor, followup: FollowUp, assignee, expected_version=None, now=None
) -> FollowUp:
    """Give the follow-up to someone of its office's desk or a follow-up specialist, who is
    told of it."""
    now = now or timezone.now()
    _seen(actor, followup)
    followup = _locked(followup, expected_version)
    FOLLOWUPS.check(followup, "assign", actor=actor)
    if assignee is None or not may_take(assignee, followup):
        raise DomainError(
            _("Choose someone of the office's service desk or a follow-up specialist."),
            code="invalid",
            field="assigned_to",
        )
    followup.assigned_to = assignee
    _save(followup, actor, ["assigned_to"])
    if assignee.pk != getattr(actor, "pk", None):
        notify(
            event="survey_followup_assigned",
            subject=ASSIGNED_SUBJECT,
            body=ASSIGNED_BODY,
            context={
                "kind": followup.get_kind_display(),
                "household": str(followup.household),
                "title": followup.campaign.title,
                "due": timezone.localtime(followup.due_at).strftime("%Y-%m-%d"),
            },
            user=assignee,
            link=reverse("console:survey_followup", args=[followup.pk]),
            dedupe_key=f"survey:followup:{followup.pk}:assigned:{followup.version}",
            now=now,
        )
    return followup


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@transaction.atomic
def followup_plan(
    *, actor, followup: FollowUp, planned_for: dt.datetime, expected_version=None, now=None
) -> FollowUp:
    """Plan a home visit: when it will be (agreed with the customer)."""
    now = now or timezone.now()
    _seen(actor, followup)
    followup = _locked(followup, expected_version)
    FOLLOWUPS.check(followup, "assign", actor=actor)  # planning is preparing, as assigning is
    if followup.kind != K.VISIT:
        raise DomainError(_("Only a home visit is planned."), code="invalid", field="planned_for")
    if planned_for is None:
        raise DomainError(
            _("Enter when the visit is planned."), code="required", field="planned_for"
        )
    planned_for = _aware(planned_for, "planned_for")
    if planned_for < now - dt.timedelta(days=1):
        raise DomainError(
            _("A visit is planned for a time to come."), code="invalid", field="planned_for"
        )
    followup.planned_for = planned_for
    _save(followup, actor, ["planned_for"])
    return followup


@transaction.atomic
def followup_record(
    *,
    actor,
    followup: FollowUp,
    outcome: str,
    planned_for: dt.datetime | None = None,
    expected_version=None,
    now=None,
) -> FollowUp:
    """The call or the visit is done: what the customer said and what was agreed. It goes on
    the customer's history (M01, M12). A visit records when it took place (``planned_for``,
    given here or planned before)."""
    now = now or timezone.now()
    _seen(actor, followup)
    followup = _locked(followup, expected_version)
    FOLLOWUPS.check(followup, "record", actor=actor)
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(
            _("Write what the customer said and what was agreed."),
            code="required",
            field="outcome",
        )
    if len(outcome) > TEXT_DESCRIPTION:
        raise DomainError(
            _("Write at most %(n)s characters.") % {"n": TEXT_DESCRIPTION},
            code="invalid",
            field="outcome",
        )
    fields = ["state", "outcome", "done_at", "done_by"]
    if followup.kind == K.VISIT:
        if planned_for is not None:
            followup.planned_for = _aware(planned_for, "planned_for")
            fields.append("planned_for")
        if followup.planned_for is None:
            raise DomainError(
                _("Enter when the visit took place."), code="required", field="planned_for"
            )
        if followup.planned_for > now:
            raise DomainError(
                _("A visit's outcome is recorded after it took place."),
                code="visit_not_yet",
                field="planned_for",
            )
    followup.state = FOLLOWUPS["record"].target
    followup.outcome, followup.done_at, followup.done_by = outcome, now, actor
    _save(followup, actor, fields)
    if followup.customer is not None:
        summary = (
            _("Survey follow-up call (%(title)s): %(outcome)s")
            if followup.kind == K.CALLBACK
            else _("Home visit after the survey (%(title)s): %(outcome)s")
        ) % {"title": followup.campaign.title, "outcome": outcome}
        contact_log(
            customer=followup.customer,
            household=followup.household,
            # A call about the survey is the survey's; a visit is a follow-up visit (M03).
            channel=Channel.SURVEY if followup.kind == K.CALLBACK else Channel.FOLLOWUP,
            direction=Contact.Direction.OUTBOUND,
            summary=str(summary),
            staff=actor,
            now=now,
        )
    return followup


# --- a request or complaint from an answer ----------------------------------------------------


def low_areas(response: Response) -> list[str]:
    """The service areas the household scored 1 or 2, worst first (labels)."""
    scores = _scores(response)
    return [Area(area).label for area, score in sorted(scores.items(), key=lambda i: i[1])]


def _scores(response: Response) -> dict[str, int]:
    """The lowest dissatisfied score per area of a response."""
    questions = Question.objects.filter(
        questionnaire_id=response.campaign.questionnaire_id, kind=Question.Kind.SCALE
    ).values_list("pk", "area")
    low: dict[str, int] = {}
    for pk, area in questions:
        score = response.data.get(str(pk))
        if isinstance(score, int) and score in DISSATISFIED:
            low[area] = min(score, low.get(area, score))
    return low


def prefill(response: Response | None) -> str:
    """What the request or complaint says, from the household's answers: the areas it scored
    1–2 and its opinion."""
    if response is None:
        return ""
    parts = [str(_("From the satisfaction survey %(title)s.") % {"title": response.campaign.title})]
    areas = low_areas(response)
    if areas:
        parts.append(
            str(_("Dissatisfied (1–2) with: %(areas)s.") % {"areas": ", ".join(map(str, areas))})
        )
    if response.opinion:
        parts.append(str(_("Opinion: %(text)s") % {"text": response.opinion}))
    return "\n".join(parts)[:TEXT_DESCRIPTION]


def _response_of(followup: FollowUp) -> Response | None:
    return (
        Response.objects.filter(participant_id=followup.participant_id)
        .select_related("campaign")
        .first()
    )


def _followup_for(response: Response, *, now) -> FollowUp:
    """The household's callback for this response, opened now if the job has not yet: the
    request or complaint is linked there, and the call back is owed anyway."""
    part = CampaignOffice.objects.get(
        campaign_id=response.campaign_id, office_id=response.office_id
    )
    participant = response.participant
    followup, _created = FollowUp.objects.get_or_create(
        campaign_id=response.campaign_id,
        household_id=response.household_id,
        kind=K.CALLBACK,
        defaults={
            "office_id": response.office_id,
            "participant": participant,
            "customer_id": response.customer_id or participant.customer_id,
            "due_at": part.analysis_due_at or now + dt.timedelta(days=7),
        },
    )
    return followup


@transaction.atomic
def followup_open_request(
    *,
    actor,
    followup: FollowUp | None = None,
    response: Response | None = None,
    what: str = "request",
    kind: str = Kind.SERVICE,
    category: str | None = None,
    description: str = "",
    expected_version=None,
    now=None,
) -> FollowUp:
    """Open a request (``what="request"``) or a complaint (``"complaint"``) from a follow-up or
    a dissatisfied response, in one action, prefilled from the household's answers, and link it
    to the follow-up (a response without one gets its callback opened now). Once per follow-up."""
    now = now or timezone.now()
    if (followup is None) == (response is None):
        raise ValueError("followup_open_request() needs a followup or a response")
    if response is not None:
        if not can_see_office(actor, response.office_id):
            raise NotFound(field="response")
        require(actor, "survey.followup", response)
        followup = _followup_for(response, now=now)
        expected_version = None  # the response's page acted on the response, not on this
    _seen(actor, followup)
    followup = _locked(followup, expected_version)
    require(actor, "survey.followup", followup)
    if followup.ticket_id is not None:
        raise Conflict(
            _("A request was opened from this follow-up already."),
            code="already_opened",
            field="ticket",
        )
    if followup.customer is None:
        raise DomainError(
            _("This household has no customer on record to open it for."),
            code="no_customer",
            field="customer",
        )
    answers = response or _response_of(followup)
    text = (
        (description or "").strip()
        or prefill(answers)
        or str(
            _("From the follow-up of the satisfaction survey %(title)s.")
            % {"title": followup.campaign.title}
        )
    )
    household = followup.household
    key = f"survey-followup:{followup.pk}"
    if what == "complaint":
        if category is None:
            low = _scores(answers) if answers else {}
            worst = min(low, key=low.get) if low else Area.OVERALL
            category = AREA_CATEGORY[worst]
        complaint = complaint_file(
            actor=actor,
            customer=followup.customer,
            channel=Channel.SURVEY,
            account=text,
            category=category,
            household=household,
            idempotency_key=key,
            now=now,
        )
        ticket = complaint.ticket
    elif what == "request":
        if kind not in REQUEST_KINDS:
            raise DomainError(
                _("Choose what kind of request this is."), code="invalid", field="kind"
            )
        ticket = ticket_create(
            actor=actor,
            customer=followup.customer,
            kind=kind,
            channel=Channel.SURVEY,
            description=text,
            household=household,
            idempotency_key=key,
            now=now,
        )
    else:
        raise DomainError(_("Open a request or a complaint."), code="invalid", field="what")
    followup.ticket = ticket
    _save(followup, actor, ["ticket"])
    return followup


__all__ = [
    "assignees",
    "followup_assign",
    "followup_open_request",
    "followup_plan",
    "followup_record",
    "low_areas",
    "may_take",
    "prefill",
    "survey_followups_open",
]
