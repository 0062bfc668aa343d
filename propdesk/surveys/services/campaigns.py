"""Campaigns (M16): created for June and November by the schedule or by hand, launched over every
household of every office with the participant list frozen, and closed; the questionnaire they
ask; the invitation of each household by its one-time link; the analysis clock of each office."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.background import checkpoint, defer, resume_from
from propdesk.core.errors import DomainError
from propdesk.core.limits import DATE_CEILING
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.customers.models import Customer, Household, Residence
from propdesk.org.models import Office

from .. import defaults
from ..lifecycle import CAMPAIGNS
from ..models import Campaign, CampaignOffice, Participant, Question, Questionnaire
from ._common import E, S, _locked, _log, _save, participant_token, participant_token_hash

# The manual's months, and how long each campaign collects: to the end of its month.
SEASON_MONTH = {Campaign.Season.JUNE: 6, Campaign.Season.NOVEMBER: 11}
# The analysis, follow-up and public replies are due within a week (M16).
ANALYSIS_WINDOW = dt.timedelta(days=7)
INVITE_CHUNK = 500
LAUNCH_BATCH = 2000


# --- the questionnaire ------------------------------------------------------------------------


@transaction.atomic
def questionnaire_install_default(*, now=None, actor=None) -> Questionnaire:
    """The latest published questionnaire; the company's default (as version 1) when there is
    none yet. Safe to call any number of times."""
    now = now or timezone.now()
    latest = Questionnaire.objects.filter(state=Questionnaire.State.PUBLISHED).first()
    if latest is not None:
        return latest
    spec = defaults.QUESTIONNAIRE
    questionnaire, created = Questionnaire.objects.get_or_create(
        number=1,
        defaults={
            "title": spec["title"],
            "title_en": spec["title_en"],
            "intro": spec["intro"],
            "intro_en": spec["intro_en"],
            "state": Questionnaire.State.PUBLISHED,
            "published_at": now,
            "created_by": actor,
        },
    )
    if created:
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                position=position,
                kind=q["kind"],
                area=q.get("area", ""),
                text=q["text"],
                text_en=q.get("text_en", ""),
                required=q.get("required", True),
                options=q.get("options", []),
                is_opinion=q.get("is_opinion", False),
            )
            for position, q in enumerate(spec["questions"], start=1)
        )
    return questionnaire


# --- creating and launching -------------------------------------------------------------------


def _clean_deadline(deadline, *, now) -> dt.datetime:
    if deadline is None:
        raise DomainError(_("Enter the collection deadline."), code="required", field="deadline")
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= now:
        raise DomainError(
            _("The collection deadline must be in the future."), code="invalid", field="deadline"
        )
    if deadline.date() > DATE_CEILING:
        raise DomainError(_("Enter a sensible deadline."), code="invalid", field="deadline")
    return deadline


def _clean_rate(target_rate):
    if target_rate is None:
        return Campaign._meta.get_field("target_rate").default
    if not 0 < target_rate <= 1:
        raise DomainError(
            _("The target return rate is a share between 0 and 1, such as 0.60."),
            code="invalid",
            field="target_rate",
        )
    return target_rate


@transaction.atomic
def campaign_create(
    *,
    actor,
    title: str,
    year: int,
    season: str,
    deadline: dt.datetime,
    audience: str = Campaign.Audience.OWNERS,
    questionnaire: Questionnaire | None = None,
    target_rate=None,
    now=None,
) -> Campaign:
    """A campaign being prepared: nobody is invited until it is launched."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "survey.manage")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the campaign a title."), code="required", field="title")
    if season not in Campaign.Season.values:
        raise DomainError(_("Choose June, November or special."), code="invalid", field="season")
    if audience not in Campaign.Audience.values:
        raise DomainError(_("Choose whom to invite."), code="invalid", field="audience")
    deadline = _clean_deadline(deadline, now=now)
    if not (now.year - 1 <= int(year) <= now.year + 1):
        raise DomainError(_("Enter this year or the next."), code="invalid", field="year")
    if (
        season != Campaign.Season.SPECIAL
        and Campaign.objects.filter(year=year, season=season).exists()
    ):
        raise DomainError(
            _("There is a campaign for this season already."), code="duplicate", field="season"
        )
    if questionnaire is None:
        questionnaire = questionnaire_install_default(now=now, actor=actor)
    elif questionnaire.state != Questionnaire.State.PUBLISHED:
        raise DomainError(
            _("Ask a published questionnaire: a draft may still change."),
            code="invalid",
            field="questionnaire",
        )
    campaign = Campaign.objects.create(
        title=title[:200],
        year=year,
        season=season,
        questionnaire=questionnaire,
        audience=audience,
        deadline=deadline,
        target_rate=_clean_rate(target_rate),
        created_by=actor,
    )
    _log(campaign, E.CREATED, now=now, actor=actor)
    return campaign


@transaction.atomic
def campaign_edit(
    *, actor, campaign: Campaign, expected_version=None, now=None, **changes
) -> Campaign:
    """Change the title, the deadline (a running campaign's may be extended, never moved into
    the past) or, before launch, the audience and the target rate."""
    now = now or timezone.now()
    campaign = _locked(campaign, expected_version)
    CAMPAIGNS.check(campaign, "edit", actor=actor)
    allowed = {"title", "deadline"} | (
        {"audience", "target_rate"} if campaign.state == S.DRAFT else set()
    )
    unknown = set(changes) - allowed
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(_("This cannot be changed now."), code="invalid", field=field)
    if "title" in changes:
        title = (changes["title"] or "").strip()
        if not title:
            raise DomainError(_("Give the campaign a title."), code="required", field="title")
        campaign.title = title[:200]
    if "deadline" in changes:
        deadline = _clean_deadline(changes["deadline"], now=now)
        if campaign.state == S.RUNNING and deadline < campaign.deadline:
            raise DomainError(
                _("A running campaign's deadline may be extended, not brought forward."),
                code="invalid",
                field="deadline",
            )
        campaign.deadline = deadline
    if "audience" in changes:
        if changes["audience"] not in Campaign.Audience.values:
            raise DomainError(_("Choose whom to invite."), code="invalid", field="audience")
        campaign.audience = changes["audience"]
    if "target_rate" in changes:
        campaign.target_rate = _clean_rate(changes["target_rate"])
    _save(campaign, [f for f in ("title", "deadline", "audience", "target_rate") if f in changes])
    _log(campaign, E.EDITED, now=now, actor=actor, note=", ".join(sorted(changes)))
    return campaign


def _addressees(audience: str) -> dict[int, int]:
    """Each active household's addressee: its owner; with the residents invited, the tenant who
    lives there where there is one. Ties go to the earliest on the roster."""
    kinds = [Customer.Kind.OWNER]
    if audience == Campaign.Audience.RESIDENTS:
        kinds.append(Customer.Kind.TENANT)
    chosen: dict[int, tuple[int, int]] = {}
    rows = Residence.objects.filter(household__is_active=True, kind__in=kinds).values_list(
        "household_id", "customer_id", "kind"
    )
    for household_id, customer_id, kind in rows.iterator(chunk_size=5000):
        rank = (0 if kind == Customer.Kind.TENANT else 1, customer_id)
        if household_id not in chosen or rank < chosen[household_id]:
            chosen[household_id] = rank
    return {household: rank[1] for household, rank in chosen.items()}


@transaction.atomic
def campaign_launch(*, actor, campaign: Campaign, expected_version=None, now=None) -> Campaign:
    """Freeze the participants, every active household of every office once, and invite them.

    The list never changes afterwards: a household that moves in later is not asked, so each
    office's return rate has a fixed denominator. Invitations are written after commit, in chunks
    (``invitations_send``), as deferred work that survives a worker's death."""
    now = now or timezone.now()
    campaign = _locked(campaign, expected_version)
    CAMPAIGNS.check(campaign, "launch", actor=actor)
    _clean_deadline(campaign.deadline, now=now)
    addressees = _addressees(campaign.audience)
    offices = {o.pk: o for o in Office.objects.all()}
    counts: dict[int, int] = dict.fromkeys(offices, 0)
    batch: list[Participant] = []
    households = (
        Household.objects.filter(is_active=True)
        .order_by("office_id", "pk")
        .values_list("pk", "office_id")
    )
    for household_id, office_id in households.iterator(chunk_size=5000):
        counts[office_id] += 1
        participant = Participant(
            campaign=campaign,
            office_id=office_id,
            household_id=household_id,
            customer_id=addressees.get(household_id),
            code=f"{offices[office_id].code}-{counts[office_id]:05d}"[:20],
            salt=secrets.token_hex(16),
        )
        participant.token_hash = participant_token_hash(participant)
        batch.append(participant)
        if len(batch) >= LAUNCH_BATCH:
            Participant.objects.bulk_create(batch)
            batch = []
    Participant.objects.bulk_create(batch)
    CampaignOffice.objects.bulk_create(
        CampaignOffice(campaign=campaign, office_id=office_id, households=n)
        for office_id, n in counts.items()
        if n
    )
    campaign.state, campaign.launched_at, campaign.launched_by = S.RUNNING, now, actor
    _save(campaign, ["state", "launched_at", "launched_by"])
    _log(
        campaign,
        E.LAUNCHED,
        now=now,
        actor=actor,
        note=_("%(n)s households invited") % {"n": sum(counts.values())},
    )
    defer(
        "propdesk.surveys.services.invitations_send",
        key=f"survey:{campaign.pk}:invite",
        now=now,
        campaign_id=campaign.pk,
    )
    return campaign


def answer_link(participant: Participant) -> str:
    """The household's one-time link (a path; messages make it absolute)."""
    return reverse("survey_answer", args=[participant_token(participant)])


INVITE_SUBJECT = _("Satisfaction survey: %(title)s")
INVITE_BODY = _(
    "Please tell us how we are doing: %(title)s, a few minutes, one answer per household, until "
    "%(deadline)s. Answer here: %(link)s"
)
REMIND_SUBJECT = _("Reminder: %(title)s")
REMIND_BODY = _(
    "We have not yet had your household's answer to %(title)s. It is open until %(deadline)s: "
    "%(link)s"
)


def _tell(participant: Participant, *, subject, body, event: str, key: str, now) -> None:
    campaign = participant.campaign
    link = answer_link(participant)
    notify(
        event=event,
        subject=subject,
        body=body,
        context={
            "title": campaign.title,
            "deadline": timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M"),
            "link": link,
        },
        customer=participant.customer,
        link=link,
        dedupe_key=key,
        now=now,
    )


def invitations_send(*, campaign_id: int, chunk: int | None = None) -> int:
    """Deferred work after launch: each household's invitation, with its link, to its addressee,
    a chunk at a time. Resumable (a checkpoint per chunk) and idempotent (one message per
    household and channel whatever the number of runs). Bulk lane: SMS wait out quiet hours."""
    now = timezone.now()
    written, after = 0, resume_from(0)
    participants = (
        Participant.objects.filter(campaign_id=campaign_id, customer__isnull=False)
        .select_related("campaign", "customer")
        .order_by("pk")
    )
    while True:
        batch = list(participants.filter(pk__gt=after)[: chunk or INVITE_CHUNK])
        if not batch:
            return written
        with transaction.atomic():
            checkpoint(batch[-1].pk)
            for participant in batch:
                _tell(
                    participant,
                    subject=INVITE_SUBJECT,
                    body=INVITE_BODY,
                    event="survey_invited",
                    key=f"survey:{campaign_id}:invite:{participant.pk}",
                    now=now,
                )
            Participant.objects.filter(pk__in=[p.pk for p in batch], invited_at=None).update(
                invited_at=now
            )
            written += len(batch)
        after = batch[-1].pk


# --- closing and the analysis clock -------------------------------------------------------------


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, expected_version=None, now=None) -> Campaign:
    now = now or timezone.now()
    campaign = _locked(campaign, expected_version)
    CAMPAIGNS.check(campaign, "close", actor=actor)
    if now < campaign.deadline:
        raise DomainError(
            _("A campaign is closed after its collection deadline."),
            code="before_deadline",
            field="state",
        )
    campaign.state, campaign.closed_at = S.CLOSED, now
    _save(campaign, ["state", "closed_at"])
    _log(campaign, E.CLOSED, now=now, actor=actor)
    return campaign


def analysis_clocks(*, now: dt.datetime) -> dict:
    """Periodic job: once a campaign's deadline has passed, each office that reached the target
    rate gets its analysis clock (due a week later, M16). Idempotent: an office whose clock is
    set is never set again, whatever the number of runs or machines."""
    started = 0
    parts = CampaignOffice.objects.filter(
        campaign__state=S.RUNNING,
        campaign__deadline__lte=now,
        reached_at__isnull=False,
        analysis_due_at__isnull=True,
    ).select_related("campaign", "office")
    for part in parts[:1000]:
        with transaction.atomic():
            due = max(part.reached_at, part.campaign.deadline) + ANALYSIS_WINDOW
            if CampaignOffice.objects.filter(pk=part.pk, analysis_due_at__isnull=True).update(
                analysis_due_at=due, version=F("version") + 1
            ):
                _log(part.campaign, E.ANALYSIS_DUE, now=now, office=part.office)
                started += 1
    return {"clocks_started": started}


# --- the seasons ------------------------------------------------------------------------------


def seasonal_campaigns(*, now: dt.datetime) -> dict:
    """Periodic job: the first time it runs in June or November (the 1st, unless the machine was
    down), the season's campaign is created and launched over every household, collecting to the
    end of the month. Once per season however often it runs (unique per year and season)."""
    local = timezone.localtime(now)
    season = {6: Campaign.Season.JUNE, 11: Campaign.Season.NOVEMBER}.get(local.month)
    if season is None or Campaign.objects.filter(year=local.year, season=season).exists():
        return {"created": 0}
    next_month = (local.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    deadline = next_month.replace(hour=0, minute=0, second=0, microsecond=0)
    title = _("%(year)s %(season)s satisfaction survey") % {
        "year": local.year,
        "season": Campaign.Season(season).label,
    }
    try:
        with transaction.atomic():
            campaign = campaign_create(
                actor=None, title=title, year=local.year, season=season, deadline=deadline, now=now
            )
            campaign_launch(actor=None, campaign=campaign, now=now)
    except (DomainError, IntegrityError):
        return {"created": 0}  # another machine created it meanwhile
    return {"created": 1, "campaign": campaign.pk}
