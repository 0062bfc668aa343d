"""Reminders to the households that have not answered (M16): sent by hand by the quality team
(every office, or one) or an office's director (his office), and automatically a week and two
days before the deadline. Never to a household that has answered, at most one a day to each,
each round once however often the job runs; in the bulk lane, so SMS wait out the quiet hours."""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.background import checkpoint, defer, resume_from
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office

from ..lifecycle import CAMPAIGNS, collecting
from ..models import Campaign, Participant
from ._common import E, S, _log
from .campaigns import REMIND_BODY, REMIND_SUBJECT, _tell

# The automatic rounds, before the deadline (largest first).
ROUNDS = (dt.timedelta(days=7), dt.timedelta(days=2))
CHUNK = 500
JOB_LIMIT = 5000  # per run of the job; the next run carries on


def _day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _waiting(campaign_id: int, *, now, office_id=None):
    """The households of the campaign not answered yet, with someone to write to, and not
    reminded today (Shanghai's day)."""
    rows = Participant.objects.filter(
        campaign_id=campaign_id, responded_at__isnull=True, customer__isnull=False
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=_day_start(now)))
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    return rows


def _send(participants, *, key: str, now, mark: bool = True) -> int:
    """Remind each of ``participants`` (one transaction); the key makes a second run write
    nothing more. ``mark``: record the reminder on each (a manual one is recorded when asked)."""
    sent = []
    for participant in participants:
        _tell(
            participant,
            subject=REMIND_SUBJECT,
            body=REMIND_BODY,
            event="survey_reminded",
            key=f"{key}:{participant.pk}",
            now=now,
        )
        sent.append(participant.pk)
    if mark:
        Participant.objects.filter(pk__in=sent).update(
            reminded_at=now, reminders=F("reminders") + 1
        )
    return len(sent)


@transaction.atomic
def campaign_remind(*, actor, campaign: Campaign, office=None, now=None) -> int:
    """Remind the campaign's households that have not answered: an office director his own
    office's, the quality team every office's or ``office``'s. Households reminded today are
    left out. The messages are written after commit, in chunks; returns how many households."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, "survey.remind")
    CAMPAIGNS.check(campaign, "remind", actor=actor)
    if not collecting(campaign, now):
        raise Conflict(
            _("The collection deadline has passed: reminders no longer make sense."),
            code="deadline_passed",
            field="campaign",
        )
    if not actor.is_company_role:
        office_id = actor.office_id  # a director reminds his own office's households
        if office is not None and office.pk != office_id:
            raise NotFound(field="office")
    else:
        office_id = office.pk if office is not None else None
    if office_id is not None and not can_see_office(actor, office_id):
        raise NotFound(field="office")
    # The households are marked reminded now, in this transaction, so a second click (or
    # another director's) finds them reminded today; the messages follow after commit.
    count = _waiting(campaign.pk, now=now, office_id=office_id).update(
        reminded_at=now, reminders=F("reminders") + 1
    )
    if not count:
        everyone = Participant.objects.filter(campaign=campaign, responded_at__isnull=True)
        if office_id is not None:
            everyone = everyone.filter(office_id=office_id)
        if everyone.filter(customer__isnull=False).exists():
            message = _("Every household that has not answered was reminded today already.")
        else:
            message = _("There is no household left to remind.")
        raise Conflict(message, code="nothing_to_remind", field="campaign")
    _log(
        campaign,
        E.REMINDED,
        now=now,
        office_id=office_id,
        actor=actor,
        note=_("%(n)s households reminded") % {"n": count},
    )
    defer(
        "propdesk.surveys.services.reminders.reminders_send",
        key=f"survey:{campaign.pk}:remind:{office_id or 'all'}:{now.isoformat()}",
        now=now,
        campaign_id=campaign.pk,
        at=now.isoformat(),
    )
    return count


def reminders_send(*, campaign_id: int, at: str) -> int:
    """Deferred work after ``campaign_remind``: the reminders to the households it marked at
    ``at`` that have still not answered, a chunk at a time, resumable (a checkpoint per chunk)
    and idempotent (keyed by the day and the household)."""
    now = timezone.now()
    marked = dt.datetime.fromisoformat(at)
    day = timezone.localtime(marked).date().isoformat()
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.state != S.RUNNING or now >= campaign.deadline:
        return 0
    written, after = 0, resume_from(0)
    rows = Participant.objects.filter(
        campaign_id=campaign_id,
        reminded_at=marked,
        responded_at__isnull=True,
        customer__isnull=False,
    ).select_related("campaign", "customer")
    while True:
        batch = list(rows.filter(pk__gt=after).order_by("pk")[:CHUNK])
        if not batch:
            return written
        with transaction.atomic():
            checkpoint(batch[-1].pk)
            written += _send(batch, key=f"survey:{campaign_id}:remind:{day}", now=now, mark=False)
        after = batch[-1].pk


def _round(campaign: Campaign, now) -> dt.timedelta | None:
    """The automatic round due now: the latest of 7 and 2 days before the deadline passed."""
    left = campaign.deadline - now
    due = [r for r in ROUNDS if left <= r]
    return due[-1] if due else None


def survey_reminders(*, now: dt.datetime) -> dict:
    """Periodic job: a week and two days before a running campaign's deadline, a reminder to
    each household that has not answered and was not reminded since the round began (nor
    today). Each round's message is keyed by household, so running twice, or on two machines at
    once, sends nothing more."""
    reminded = 0
    campaigns = Campaign.objects.filter(
        state=S.RUNNING, deadline__gt=now, deadline__lte=now + ROUNDS[0]
    )
    for campaign in campaigns:
        ahead = _round(campaign, now)
        started = campaign.deadline - ahead
        rows = (
            _waiting(campaign.pk, now=now)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=started))
            .select_related("campaign", "customer")
            .order_by("pk")
        )
        key = f"survey:{campaign.pk}:auto:{ahead.days}d"
        sent = 0
        while reminded < JOB_LIMIT:
            batch = list(rows[:CHUNK])
            if not batch:
                break
            with transaction.atomic():
                sent += _send(batch, key=key, now=now)
            reminded += len(batch)
        if sent:
            _log(
                campaign,
                E.REMINDED,
                now=now,
                note=_("%(n)s households reminded, %(days)s days before the deadline")
                % {"n": sent, "days": ahead.days},
            )
    return {"reminded": reminded}
