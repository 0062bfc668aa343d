"""Every hotline change goes through one of these (M02): lines, the phone system's call events,
logging a call as an answered inquiry or turning it into a request, and the duty roster."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.phones import display_phone, normalize_phone, try_normalize_phone
from propdesk.core.scoping import can_see_office
from propdesk.customers.models import Customer
from propdesk.org.models import HotlineLine, User
from propdesk.tickets.models import Channel, Kind
from propdesk.tickets.services import ticket_answer, ticket_create

from .models import Call, DutyShift

EVENTS = ("ringing", "answered", "hung_up")
MAX_SHIFT = dt.timedelta(hours=24)


# --- helpers ----------------------------------------------------------------------------------


def _required(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    return text


def _aware(value, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Enter a date and time."), code="invalid", field=field)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _save(obj, actor, fields) -> None:
    obj._history_user = actor
    obj.save(update_fields=[*fields, "updated_at"])


def recognise_one(office_id, e164: str) -> int | None:
    """The id of the one customer of ``office_id`` with this number, or None (none, or several)."""
    if not e164:
        return None
    ids = list(
        Customer.objects.filter(office_id=office_id, phones__number=e164)
        .values_list("pk", flat=True)
        .distinct()[:2]
    )
    return ids[0] if len(ids) == 1 else None


# --- lines ------------------------------------------------------------------------------------


@transaction.atomic
def line_set(*, actor, office, kind: str, number: str, now=None) -> HotlineLine:
    """Give ``office``'s line of ``kind`` (complaints, service, 24-hour duty) its phone number."""
    require(actor, "roster.edit", office)
    if kind not in HotlineLine.Kind.values:
        raise DomainError(
            _("Choose the line: complaints, service or 24-hour duty."), code="invalid", field="kind"
        )
    e164 = normalize_phone(number, field="number")
    taken = HotlineLine.objects.filter(number=e164).exclude(office=office, kind=kind).first()
    if taken is not None:
        raise Conflict(
            _("%(number)s is already the number of another line.")
            % {"number": display_phone(e164)},
            code="number_taken",
            field="number",
        )
    line = HotlineLine.objects.select_for_update().filter(office=office, kind=kind).first()
    if line is not None:
        if line.number != e164:
            line.number = e164
            _save(line, actor, ["number"])
        return line
    line = HotlineLine(office=office, kind=kind, number=e164)
    line._history_user = actor
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        # Someone set the same number or line at the same moment.
        raise Conflict(
            _("This line was changed meanwhile. Reload and try again."),
            code="line_conflict",
            field="number",
        ) from None
    return line


# --- the phone system's events ------------------------------------------------------------


def _line_by_number(line_number, actor) -> HotlineLine:
    e164 = try_normalize_phone(line_number or "")
    line = (
        HotlineLine.objects.select_related("office").filter(number=e164).first() if e164 else None
    )
    # Another office's line is as unknown to its caller as a number we do not have.
    if line is None or (actor is not None and not can_see_office(actor, line.office_id)):
        raise DomainError(
            _("“%(number)s” is not the number of any hotline line.")
            % {"number": line_number or ""},
            code="unknown_line",
            field="line_number",
        )
    return line


def _agent(username, line: HotlineLine):
    username = (username or "").strip()
    if not username:
        return None
    agent = User.objects.filter(username=username, is_active=True).first()
    if agent is None or not can_see_office(agent, line.office_id):
        raise DomainError(
            _("No staff member “%(name)s” answers this line's office.") % {"name": username},
            code="unknown_agent",
            field="agent",
        )
    return agent


def _new_call(*, call_id, event, line, caller_number, e164, at, agent) -> Call:
    call = Call(
        external_id=call_id,
        line=line,
        office_id=line.office_id,
        caller_number=caller_number,
        caller_e164=e164 or "",
        customer_id=recognise_one(line.office_id, e164),
        started_at=at,
    )
    if event == "answered":
        call.state, call.answered_at, call.handler = Call.State.ANSWERED, at, agent
    elif event == "hung_up":
        # The first we hear of it is the hang-up: nobody answered.
        call.state, call.ended_at = Call.State.MISSED, at
    return call


def _apply(call: Call, event: str, at, agent) -> list[str]:
    """Move an existing call on by one event; the fields changed (none for a repeat)."""
    changed = []
    if event == "ringing":
        if at < call.started_at:  # a late-delivered ringing tells us when it really began
            call.started_at = at
            changed.append("started_at")
    elif event == "answered":
        if call.state == Call.State.RINGING:
            call.state, call.answered_at = Call.State.ANSWERED, max(at, call.started_at)
            changed += ["state", "answered_at"]
        if call.state == Call.State.ANSWERED and agent and call.handler_id is None:
            call.handler = agent
            changed.append("handler")
        # An answered arriving after the hang-up changes nothing: the call is over.
    elif event == "hung_up":
        ended = max(at, call.answered_at or call.started_at)
        if call.state == Call.State.RINGING:
            call.state, call.ended_at = Call.State.MISSED, ended
            changed += ["state", "ended_at"]
        elif call.state == Call.State.ANSWERED:
            call.state, call.ended_at = Call.State.ENDED, ended
            changed += ["state", "ended_at"]
    return changed


def _find_call(call_id: str) -> Call | None:
    return Call.objects.select_for_update().filter(external_id=call_id).first()


@transaction.atomic
def call_event(
    *,
    call_id: str,
    event: str,
    line_number: str,
    caller_number: str,
    at: dt.datetime | None = None,
    agent: str | None = None,
    actor=None,
    now=None,
) -> tuple[Call, bool]:
    """Record one event the phone system reports: ringing, answered or hung_up.

    Idempotent on ``call_id``: a repeated event changes nothing; events out of order are handled
    (a hang-up before any answer makes the call missed; an answer after the hang-up is ignored).
    ``actor`` is the staff user whose token the phone system used, None for the shared secret.
    Returns the call and whether this event created it.
    """
    now = now or timezone.now()
    call_id = _required(call_id, "call_id", _("Give the phone system's call id."))
    if len(call_id) > 80:
        raise DomainError(
            _("The call id is longer than 80 characters."), code="invalid", field="call_id"
        )
    if event not in EVENTS:
        raise DomainError(
            _("The event must be ringing, answered or hung_up."), code="invalid", field="event"
        )
    line = _line_by_number(line_number, actor)
    if actor is not None:
        require(actor, "call.log", line)
    handler = _agent(agent, line)
    at = _aware(at, "at") if at is not None else now
    caller_number = (caller_number or "").strip()[:40]

    call = _find_call(call_id)
    if call is None:
        call = _new_call(
            call_id=call_id,
            event=event,
            line=line,
            caller_number=caller_number,
            e164=try_normalize_phone(caller_number),
            at=at,
            agent=handler,
        )
        call._history_user = actor
        try:
            with transaction.atomic():
                call.save()
            return call, True
        except IntegrityError:
            # The same event (or another of this call) raced in and won: apply ours to its call.
            call = Call.objects.select_for_update().get(external_id=call_id)
    if call.line_id != line.pk:
        # A call keeps the line it rang on: an event naming another line is someone else's call
        # (and must neither change nor reveal it).
        raise DomainError(
            _("This call id belongs to a call on another line."),
            code="call_on_another_line",
            field="call_id",
        )
    changed = _apply(call, event, at, handler)
    if changed:
        _save(call, actor, changed)
    return call, False


# --- logging a call from the intake screen -------------------------------------------------


def _intake(*, actor, call, line, caller_number):
    """Check who logs which call on which line; returns (the call locked or None, line, e164)."""
    if call is not None:
        call = Call.objects.select_for_update().select_related("line__office").get(pk=call.pk)
        if not can_see_office(actor, call.office_id):
            raise NotFound(field="call")
        if call.outcome:
            raise Conflict(_("This call is already logged."), code="already_logged", field="call")
        line = call.line
    elif line is None:
        raise DomainError(_("Choose the line the call came in on."), code="required", field="line")
    if not can_see_office(actor, line.office_id):
        raise NotFound(field="line")
    require(actor, "call.log", line)
    number = (caller_number or "").strip()
    if call is not None and not number:
        return call, line, call.caller_e164
    return call, line, normalize_phone(number, field="caller_number")


def _customer_of(line: HotlineLine, customer):
    if customer is not None and customer.office_id != line.office_id:
        raise DomainError(
            _("This customer belongs to another office than the line."),
            code="invalid",
            field="customer",
        )
    return customer


def _open_call(*, actor, call, line, e164, customer, now) -> Call:
    """The call being logged: the phone system's one, or a new record for a call typed in."""
    if call is None:
        call = Call(
            line=line,
            office_id=line.office_id,
            caller_number=display_phone(e164),
            caller_e164=e164,
            state=Call.State.ENDED,
            started_at=now,
            answered_at=now,
            ended_at=now,
            handler=actor,
            customer=customer,
        )
        call._history_user = actor
        call.save()
        return call
    if e164 and not call.caller_e164:
        # The caller id was withheld; the agent asked for the number.
        call.caller_e164 = e164
    if call.handler_id is None:
        call.handler = actor
    call.customer = customer or call.customer
    return call


@transaction.atomic
def call_log_inquiry(
    *,
    actor,
    call: Call | None = None,
    line: HotlineLine | None = None,
    caller_number: str = "",
    customer=None,
    household=None,
    summary: str,
    answer: str,
    now=None,
) -> Call:
    """Log a call as an inquiry answered on the spot (M02, M08).

    With a known customer the inquiry becomes a request of kind inquiry, answered and closed, so
    the answer is on the customer's history; an unknown caller's call keeps the answer itself.
    """
    now = now or timezone.now()
    call, line, e164 = _intake(actor=actor, call=call, line=line, caller_number=caller_number)
    summary = _required(summary, "summary", _("Summarise what the caller asked."))
    answer = _required(answer, "answer", _("Write down the answer given to the caller."))
    customer = _customer_of(line, customer)
    call = _open_call(actor=actor, call=call, line=line, e164=e164, customer=customer, now=now)
    if customer is not None:
        ticket = ticket_create(
            actor=actor,
            customer=customer,
            household=household,
            kind=Kind.INQUIRY,
            channel=Channel.HOTLINE,
            description=summary,
            call=call,
            now=now,
        )
        call.ticket = ticket_answer(
            actor=actor, ticket=ticket, answer=answer, channel=Channel.HOTLINE, now=now
        )
    call.outcome = Call.Outcome.INQUIRY_ANSWERED
    call.summary, call.answer = summary, answer
    _save(
        call,
        actor,
        ["outcome", "summary", "answer", "ticket", "customer", "handler", "caller_e164"],
    )
    return call


@transaction.atomic
def call_to_request(
    *,
    actor,
    call: Call | None = None,
    line: HotlineLine | None = None,
    caller_number: str = "",
    customer,
    kind: str,
    item=None,
    description: str,
    requested_deadline: dt.datetime | None = None,
    household=None,
    now=None,
) -> Call:
    """Turn a call into a request in one step (M02): the request is created with channel hotline,
    linked to the call, and its contact log entry points at the call."""
    now = now or timezone.now()
    call, line, e164 = _intake(actor=actor, call=call, line=line, caller_number=caller_number)
    if customer is None:
        raise DomainError(
            _("Choose the customer, or create one, before turning the call into a request."),
            code="required",
            field="customer",
        )
    customer = _customer_of(line, customer)
    description = _required(description, "description", _("Describe what the customer needs."))
    call = _open_call(actor=actor, call=call, line=line, e164=e164, customer=customer, now=now)
    # ticket_create checks kind, item, household and deadline; its error rolls the call back too.
    call.ticket = ticket_create(
        actor=actor,
        customer=customer,
        household=household,
        kind=kind,
        channel=Channel.HOTLINE,
        item=item,
        description=description,
        requested_deadline=requested_deadline,
        call=call,
        now=now,
    )
    call.outcome = Call.Outcome.REQUEST_CREATED
    call.summary = description
    _save(call, actor, ["outcome", "summary", "ticket", "customer", "handler", "caller_e164"])
    return call


@transaction.atomic
def call_to_complaint(
    *,
    actor,
    call: Call | None = None,
    line: HotlineLine | None = None,
    caller_number: str = "",
    customer,
    account: str,
    category: str,
    household=None,
    now=None,
    **intake,
) -> Call:
    """Turn a call (on the complaint line, M17, or any other) into a complaint in one step: the
    account, how it was heard and whom it is about go to the complaints intake, which routes it
    to the level that handles it (M18)."""
    from propdesk.complaints.services.intake import complaint_file

    now = now or timezone.now()
    call, line, e164 = _intake(actor=actor, call=call, line=line, caller_number=caller_number)
    if customer is None:
        raise DomainError(
            _("Choose the customer, or create one, before recording the complaint."),
            code="required",
            field="customer",
        )
    customer = _customer_of(line, customer)
    call = _open_call(actor=actor, call=call, line=line, e164=e164, customer=customer, now=now)
    complaint = complaint_file(
        actor=actor,
        customer=customer,
        household=household,
        channel=Channel.HOTLINE,
        account=account,
        category=category,
        call=call,
        now=now,
        **intake,
    )
    call.ticket = complaint.ticket
    call.outcome = Call.Outcome.REQUEST_CREATED
    call.summary = complaint.account
    _save(call, actor, ["outcome", "summary", "ticket", "customer", "handler", "caller_e164"])
    return call


# --- the duty roster ------------------------------------------------------------------------


def _shift_times(starts_at, ends_at) -> tuple[dt.datetime, dt.datetime]:
    starts_at = _aware(starts_at, "starts_at")
    ends_at = _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("A shift must end after it starts."), code="invalid", field="ends_at")
    if ends_at - starts_at > MAX_SHIFT:
        # Mostly a mistyped date, which would make the roster look covered when it is not.
        raise DomainError(
            _("A shift cannot be longer than 24 hours."), code="invalid", field="ends_at"
        )
    return starts_at, ends_at


def _check_staff(staff, line: HotlineLine) -> None:
    if staff is None or not staff.is_active or staff.office_id != line.office_id:
        raise DomainError(
            _("Choose an active staff member of this line's office."),
            code="invalid",
            field="staff",
        )


def _span(shift: DutyShift) -> dict:
    return {
        "start": f"{timezone.localtime(shift.starts_at):%Y-%m-%d %H:%M}",
        "end": f"{timezone.localtime(shift.ends_at):%Y-%m-%d %H:%M}",
    }


@transaction.atomic
def shift_add(
    *, actor, line: HotlineLine, staff, starts_at: dt.datetime, ends_at: dt.datetime, now=None
) -> DutyShift:
    """Roster ``staff`` on ``line`` from ``starts_at`` to ``ends_at`` (M02)."""
    require(actor, "roster.edit", line)
    starts_at, ends_at = _shift_times(starts_at, ends_at)
    _check_staff(staff, line)
    # Lock the line so two roster edits of it cannot both pass the overlap check.
    HotlineLine.objects.select_for_update().filter(pk=line.pk).first()
    clash = (
        DutyShift.objects.filter(
            line=line, staff=staff, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("%(name)s already has a shift on this line from %(start)s to %(end)s.")
            % {"name": staff.display_name, **_span(clash)},
            code="overlap",
            field="starts_at",
        )
    shift = DutyShift(line=line, staff=staff, starts_at=starts_at, ends_at=ends_at)
    shift._history_user = actor
    shift.save()
    return shift


def _first_clash(planned: list[DutyShift], existing: list[DutyShift]):
    """The first overlap of one person's shifts on one line that involves a planned shift, as
    (planned shift, the shift it overlaps), or None. Shifts already on the roster that overlap
    each other are not the run's business."""
    runs: dict[tuple[int, int], list[DutyShift]] = {}
    for shift in [*existing, *planned]:
        runs.setdefault((shift.line_id, shift.staff_id), []).append(shift)
    new = {id(shift) for shift in planned}
    clashes = []
    for shifts in runs.values():
        shifts.sort(key=lambda s: (s.starts_at, s.ends_at))
        latest = None  # of the shifts so far, the one that ends last
        for shift in shifts:
            overlaps = latest is not None and shift.starts_at < latest.ends_at
            if overlaps and (id(shift) in new or id(latest) in new):
                clashes.append((shift, latest))
            if latest is None or shift.ends_at > latest.ends_at:
                latest = shift
    if not clashes:
        return None
    shift, other = min(clashes, key=lambda pair: pair[0].starts_at)
    return (shift, other) if id(shift) in new else (other, shift)


@transaction.atomic
def shifts_add(*, actor, office, shifts, now=None) -> list[DutyShift]:
    """Roster a run of shifts on ``office``'s lines at once (M02): a week's roster drawn up in
    one go. ``shifts`` gives each one's ``line``, ``staff``, ``starts_at`` and ``ends_at``, with
    the rules of ``shift_add``; all are written, with their history, or none is."""
    require(actor, "roster.edit", office)
    planned = []
    for spec in shifts:
        line = spec["line"]
        if line.office_id != office.pk:
            raise DomainError(
                _("Every shift must be on one of this office's lines."),
                code="invalid",
                field="line",
            )
        starts_at, ends_at = _shift_times(spec["starts_at"], spec["ends_at"])
        _check_staff(spec["staff"], line)
        planned.append(
            DutyShift(line=line, staff=spec["staff"], starts_at=starts_at, ends_at=ends_at)
        )
    if not planned:
        return []
    line_ids = sorted({shift.line_id for shift in planned})
    # Lock the lines so two roster edits of them cannot both pass the overlap check.
    list(HotlineLine.objects.select_for_update().filter(pk__in=line_ids).values_list("pk"))
    existing = list(
        DutyShift.objects.filter(
            line_id__in=line_ids,
            staff_id__in={shift.staff_id for shift in planned},
            starts_at__lt=max(shift.ends_at for shift in planned),
            ends_at__gt=min(shift.starts_at for shift in planned),
        )
    )
    clash = _first_clash(planned, existing)
    if clash is not None:
        shift, other = clash
        values = {"name": shift.staff.display_name, "line": shift.line.get_kind_display()}
        if other.pk is None:
            message = _(
                "%(name)s would have two shifts on the %(line)s line at once: from %(start)s "
                "to %(end)s and from %(other_start)s to %(other_end)s."
            ) % {
                **values,
                **_span(shift),
                **{f"other_{k}": v for k, v in _span(other).items()},
            }
        else:
            message = _(
                "%(name)s already has a shift on the %(line)s line from %(start)s to %(end)s."
            ) % {**values, **_span(other)}
        raise DomainError(message, code="overlap", field="starts_at")
    return bulk_create_with_history(planned, DutyShift, default_user=actor)


@transaction.atomic
def shift_remove(*, actor, shift: DutyShift, now=None) -> None:
    require(actor, "roster.edit", shift.line)
    shift._history_user = actor
    shift.delete()
