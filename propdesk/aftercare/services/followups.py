"""M13: the weekly follow-up sample and the follow-up calls.

Every Monday the job ``weekly_sample`` draws, for every office, a random 20% (rounded up; at
least one where there were any) of the repair work orders completed in the previous ISO week,
Asia/Shanghai. The draw is reproducible: the population (ids, ascending), a fresh random seed and
the sample are stored on the office's ``FollowupBatch``, and
``random.Random(seed).sample(population, k)`` gives the same sample again (``redraw``). Each
sampled order becomes a call for a follow-up specialist, due at the end of the week of calling.

One batch per office and week, however often or wherever the job runs: the job keeps a JobRun
per ISO week (``propdesk/schedule.py``), and the batch's unique (office, week) settles a race
with a run for a chosen week (``sample_week``).

The specialist records each try (``call_attempt``: three tries without reaching anyone close the
call as not reached) and the customer's answer (``call_outcome``); an unsatisfied answer opens
rework through the request loop (M15). Each try is a contact in the customer's history (M01).

The reads the console and the API share are in ``selectors.followups``.
"""

import datetime as dt
import logging
import math
import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.lifecycle import check_version
from propdesk.core.permissions import require
from propdesk.core.templatetags.periods import week_label
from propdesk.org.models import Office
from propdesk.tickets import services as tickets
from propdesk.tickets.lifecycle import reworkable
from propdesk.tickets.models import Channel, Contact, Kind, ReworkSource, Ticket

from ..lifecycle import FOLLOWUP_CALLS, holds_call
from ..models import FollowupAttempt, FollowupBatch, FollowupCall
from ..selectors import specialists_by_workload
from ..weeks import WEEK_KEY, monday_of, week_bounds, week_key, week_start_of

log = logging.getLogger("propdesk.aftercare")

SAMPLE_PERCENT = 20
MAX_ATTEMPTS = 3  # tries without reaching anyone before a call counts as not reached
YEARS = (2000, 2099)
# A chosen week may be this far back at most: calls about older repairs would come too late to
# mean anything, and the job itself always samples last week.
WEEKS_BACK = 8


# --- weeks ------------------------------------------------------------------------------------


def parse_week(value) -> dt.date:
    """A week as its key ("2026-W23") or any day in it ("2026-06-01"): its Monday."""
    if isinstance(value, dt.datetime):
        return week_start_of(value)
    if isinstance(value, dt.date):
        return value - dt.timedelta(days=value.weekday())
    text = str(value or "").strip()
    monday = monday_of(text)
    if monday is None and not WEEK_KEY.match(text):
        try:
            day = dt.date.fromisoformat(text)
            monday = day - dt.timedelta(days=day.weekday())
        except ValueError:
            monday = None
    # Years far off are typing errors, and near the calendar's end a week's end overflows.
    if monday is None or not YEARS[0] <= monday.year <= YEARS[1]:
        raise DomainError(
            _("Give the week as 2026-W23, or any day in it as 2026-06-01."),
            code="invalid",
            field="week",
        )
    return monday


def calling_due(now: dt.datetime) -> dt.datetime:
    """When the calls drawn at ``now`` are due: Sunday 23:59:59 of this week, local time."""
    _start, end = week_bounds(week_start_of(now))
    return end - dt.timedelta(seconds=1)


# --- the draw ---------------------------------------------------------------------------------


def sample_size(population: int) -> int:
    """20% rounded up, so at least one whenever there is any: 1→1, 5→1, 6→2, 11→3."""
    return math.ceil(population * SAMPLE_PERCENT / 100)


def draw(population: list[int], seed: str) -> list[int]:
    """The sample of ``population`` (ids, ascending) that ``seed`` draws, in the order drawn."""
    return random.Random(seed).sample(sorted(population), sample_size(len(population)))


def redraw(batch: FollowupBatch) -> list[int]:
    """Draw ``batch``'s sample again from its stored population and seed: anyone can check it."""
    return draw(batch.population, batch.seed)


def _population(office_id, week_start: dt.date) -> list[int]:
    """The office's repair work orders (rework orders too) completed within the week."""
    start, end = week_bounds(week_start)
    return list(
        Ticket.objects.filter(
            office_id=office_id,
            kind=Kind.REPAIR,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class _Spreader:
    """Hands out calls to the follow-up specialists, the least loaded first: their open calls
    plus what this run has given them so far, ties broken by id (so round-robin when even)."""

    def __init__(self):
        self.load = {user.pk: user.open_calls for user in specialists_by_workload()}

    def next(self) -> int | None:
        if not self.load:
            return None
        user_id = min(self.load, key=lambda pk: (self.load[pk], pk))
        self.load[user_id] += 1
        return user_id


@dataclass(frozen=True)
class Sampled:
    batch: FollowupBatch
    created: bool  # False: the office's week had been sampled already


def sample_week(
    *, office: Office, week, now: dt.datetime | None = None, actor=None, _spreader=None
) -> Sampled:
    """Draw ``office``'s sample of the repair orders completed in ``week`` (its key, a day in it,
    or its Monday), unless done already: then the existing batch is returned unchanged.

    ``actor`` is who asked for a chosen week (None: the weekly job). The week must be over."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "followup.record", office)
    week_start = parse_week(week)
    this_week = week_start_of(now)
    if week_start >= this_week:
        raise Conflict(
            _("The week of %(week)s is not over yet: sample it from the Monday after.")
            % {"week": week_label(week_start)},
            code="week_not_over",
            field="week",
        )
    if week_start < this_week - dt.timedelta(weeks=WEEKS_BACK):
        raise DomainError(
            _("Only the last %(n)s weeks can be sampled; the week of %(week)s is older.")
            % {"n": WEEKS_BACK, "week": week_label(week_start)},
            code="week_too_old",
            field="week",
        )
    key = week_key(week_start)
    existing = FollowupBatch.objects.filter(office=office, week=key).first()
    if existing is not None:
        return Sampled(existing, created=False)
    spreader = _spreader or _Spreader()
    population = _population(office.pk, week_start)
    seed = secrets.token_hex(16)
    sample = draw(population, seed)
    due_at = calling_due(now)
    customers = dict(Ticket.objects.filter(pk__in=sample).values_list("pk", "customer_id"))
    load_before = dict(spreader.load)
    try:
        # A savepoint: a concurrent run that drew this office's week first wins, and this one
        # returns its batch instead of failing (PostgreSQL makes us wait for it to commit).
        with transaction.atomic():
            batch = FollowupBatch.objects.create(
                office=office,
                week=key,
                week_start=week_start,
                population=population,
                sample=sample,
                seed=seed,
                created_at=now,
            )
            for ticket_id in sample:
                call = FollowupCall(
                    kind=FollowupCall.Kind.SAMPLE,
                    office=office,
                    ticket_id=ticket_id,
                    customer_id=customers[ticket_id],
                    batch=batch,
                    assignee_id=spreader.next(),
                    due_at=due_at,
                )
                call._history_user = actor
                call.save()
    except IntegrityError:
        spreader.load = load_before  # none of these calls was made
        return Sampled(FollowupBatch.objects.get(office=office, week=key), created=False)
    if sample and not spreader.load and _spreader is None:  # the weekly job says it once
        log.warning("no active follow-up specialist: %s %s's calls are unassigned", office, key)
    return Sampled(batch, created=True)


def weekly_sample(*, now: dt.datetime) -> dict:
    """The weekly job: every office's sample of the week before ``now``'s week."""
    # Versions: the draw only creates calls (each starts at version 1) and changes none that a
    # person may have open, so it raises no version and takes none.
    week_start = week_start_of(now) - dt.timedelta(days=7)
    spreader = _Spreader()
    batches = calls = 0
    for office in Office.objects.order_by("pk"):
        done = sample_week(office=office, week=week_start, now=now, _spreader=spreader)
        if done.created:
            batches += 1
            calls += done.batch.sample_size
    if calls and not spreader.load:
        log.warning(
            "no active follow-up specialist: the %s calls of %s are unassigned",
            calls,
            week_key(week_start),
        )
    return {"week": week_key(week_start), "batches": batches, "calls": calls}


# --- recording the calls ----------------------------------------------------------------------


def may_record(user, call: FollowupCall) -> bool:
    """Whether ``user`` may record a try or the answer on ``call`` now (for showing buttons)."""
    return bool(FOLLOWUP_CALLS.actions_for(user, call))


STALE = _("Someone else changed this follow-up call meanwhile. Reload it and try again.")


def _locked_open(call: FollowupCall, actor, action: str, expected_version) -> FollowupCall:
    """Check who may record ``call``, lock its row, re-read it and refuse a change made against
    an older version, or a step the call's state does not allow (a closed call)."""
    require(actor, FOLLOWUP_CALLS[action].permission, call)
    # With what the try writes about (the customer, the request): locked alone, read together.
    fresh = (
        FollowupCall.objects.select_for_update(of=("self",))
        .select_related("customer", "ticket")
        .get(pk=call.pk)
    )
    check_version(fresh, expected_version, message=STALE)
    if not holds_call(actor, fresh):
        raise Forbidden(
            _("This call is assigned to %(name)s: only they (or an administrator) record it.")
            % {"name": fresh.assignee.display_name},
            code="not_assignee",
            field="assignee",
        )
    FOLLOWUP_CALLS.check(fresh, action)
    return fresh


def _attempt(call: FollowupCall, *, actor, reached: bool, summary: str, note: str, now) -> None:
    """One try at the phone: kept on the call and, as a contact, in the customer's history."""
    FollowupAttempt.objects.create(call=call, at=now, by=actor, reached=reached, note=note)
    call.attempts += 1
    call.reached = bool(call.reached) or reached
    if call.assignee_id is None:
        call.assignee = actor  # an unassigned call belongs to whoever makes it
    tickets.contact_record(
        actor=actor,
        customer=call.customer,
        ticket=call.ticket,
        summary=summary + (f" — {note}" if note else ""),
        channel=Channel.FOLLOWUP,
        direction=Contact.Direction.OUTBOUND,
        stage=Contact.Stage.AFTER,
        at=now,
        now=now,
    )


def _save(call: FollowupCall, actor, fields) -> None:
    call.version += 1
    call._history_user = actor
    call.save(update_fields=[*fields, "version", "updated_at"])


def _label(call: FollowupCall) -> str:
    return str(call.get_kind_display())


@transaction.atomic
def call_attempt(
    *,
    actor,
    call: FollowupCall,
    reached: bool,
    note: str = "",
    now=None,
    expected_version: int | None = None,
) -> FollowupCall:
    """One try at the phone without the customer's answer: nobody picked up (``reached`` False),
    or the customer asked to be called back (True). The third try without reaching anyone
    closes the call as not reached."""
    now = now or timezone.now()
    call = _locked_open(call, actor, "attempt", expected_version)
    note = (note or "").strip()
    unreached_before = call.attempts_made.filter(reached=False).count()
    if reached:
        summary = gettext("%(kind)s: reached, to call back") % {"kind": _label(call)}
    else:
        summary = gettext("%(kind)s: not reached (try %(n)s of %(max)s)") % {
            "kind": _label(call),
            "n": unreached_before + 1,
            "max": MAX_ATTEMPTS,
        }
    _attempt(call, actor=actor, reached=reached, summary=summary, note=note, now=now)
    fields = ["attempts", "reached", "assignee"]
    if not reached and unreached_before + 1 >= MAX_ATTEMPTS:
        call.state = FollowupCall.State.UNREACHED
        call.done_at, call.done_by = now, actor
        fields += ["state", "done_at", "done_by"]
    _save(call, actor, fields)
    return call


@transaction.atomic
def call_outcome(
    *,
    actor,
    call: FollowupCall,
    satisfied: bool,
    comment: str = "",
    now=None,
    expected_version: int | None = None,
) -> FollowupCall:
    """The customer answered: satisfied or not, with a comment (required when not). The call is
    done; an unsatisfied answer opens rework of the order, dispatched at once (M15)."""
    now = now or timezone.now()
    call = _locked_open(call, actor, "outcome", expected_version)
    comment = (comment or "").strip()
    if not satisfied and not comment:
        raise DomainError(
            _("Say what the customer is not satisfied with."), code="required", field="comment"
        )
    verdict = gettext("satisfied") if satisfied else gettext("not satisfied")
    summary = f"{_label(call)}: {verdict}"
    _attempt(call, actor=actor, reached=True, summary=summary, note=comment, now=now)
    call.state = FollowupCall.State.DONE
    call.satisfied, call.comment = satisfied, comment
    call.done_at, call.done_by = now, actor
    fields = ["attempts", "reached", "assignee", "state", "satisfied", "comment"]
    fields += ["done_at", "done_by"]
    # Rework is for work that is done; while the order is still being worked on (a rework's own
    # special follow-up, made within 24 hours), the open order is the answer.
    if not satisfied and reworkable(call.ticket):
        call.rework = tickets.rework_open(
            original=call.ticket,
            complaint=comment,
            source=ReworkSource.FOLLOWUP,
            actor=actor,
            complained_at=now,
            now=now,
        )
        fields.append("rework")
    _save(call, actor, fields)
    return call
