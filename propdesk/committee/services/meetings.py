"""A meeting's life: planned, changed while planned, held (attendees, minutes, the opinions
raised) or cancelled. Each member or representative who attended has the meeting on their history
as a contact on the channel "meeting" (M12)."""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_DOCUMENT, TEXT_LINE
from propdesk.core.permissions import require
from propdesk.org.models import User
from propdesk.tickets.models import Channel, Contact
from propdesk.tickets.services import contact_record

from ..lifecycle import MEETINGS
from ..models import Committee, Meeting, Seat, current_seats
from ._common import E, _bump, _locked, _log, _moment, _tell_committee, _text, portal_link
from .items import _add_item

State = Meeting.State
STALE = _("Someone else changed this meeting meanwhile. Reload it and try again.")


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@transaction.atomic
def meeting_plan(
    *, actor, committee: Committee, planned_for, place: str, agenda: str, now=None
) -> Meeting:
    """A meeting planned; the members and representatives are invited."""
    now = now or timezone.now()
    require(actor, "meeting.record", committee)
    planned_for = _moment(planned_for, "planned_for", _("When is the meeting?"))
    place = _text(place, "place", _("Where is the meeting?"), limit=TEXT_LINE)
    agenda = _text(agenda, "agenda", _("Write the agenda."), limit=TEXT_DESCRIPTION)
    meeting = Meeting.objects.create(
        committee=committee,
        office_id=committee.office_id,
        planned_for=planned_for,
        place=place,
        agenda=agenda,
        created_by=actor,
    )
    _log(committee, E.PLANNED, now=now, actor=actor, meeting=meeting, note=_when(planned_for))
    if planned_for > now:
        _tell_committee(
            committee,
            "committee_meeting_planned",
            _("Committee meeting on %(when)s"),
            _(
                "%(committee)s meets the management office on %(when)s at %(place)s. Agenda: "
                "%(agenda)s"
            ),
            key=f"planned:{meeting.pk}",
            link=portal_link("committee_meeting", meeting.pk),
            now=now,
            when=_when(planned_for),
            place=place,
            agenda=agenda[:200],
        )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    planned_for,
    place: str,
    agenda: str,
    expected_version=None,
    now=None,
) -> Meeting:
    now = now or timezone.now()
    require(actor, "meeting.record", meeting)
    meeting = _locked(Meeting, meeting, expected_version, STALE)
    MEETINGS.check(meeting, "edit")
    meeting.planned_for = _moment(planned_for, "planned_for", _("When is the meeting?"))
    meeting.place = _text(place, "place", _("Where is the meeting?"), limit=TEXT_LINE)
    meeting.agenda = _text(agenda, "agenda", _("Write the agenda."), limit=TEXT_DESCRIPTION)
    _bump(meeting, ["planned_for", "place", "agenda"])
    _log(meeting.committee, E.EDITED, now=now, actor=actor, meeting=meeting)
    return meeting


def _attendees(meeting: Meeting, staff, seats, held_at):
    staff = list(dict.fromkeys(staff or []))
    seats = list(dict.fromkeys(seats or []))
    if not seats:
        raise DomainError(
            _("Who of the committee and the representatives came? Choose at least one."),
            code="required",
            field="seats",
        )
    day = timezone.localdate(held_at)
    seat_ids = [s.pk if isinstance(s, Seat) else s for s in seats]
    found = list(
        Seat.objects.filter(current_seats(day), committee=meeting.committee, pk__in=seat_ids)
        .select_related("customer")
        .order_by("pk")
    )
    if len(found) != len(set(seat_ids)):
        raise DomainError(
            _("Choose members and representatives of this committee, seated on that day."),
            code="invalid",
            field="seats",
        )
    if not staff:
        raise DomainError(
            _("Who of the staff attended? Choose at least one."), code="required", field="staff"
        )
    user_ids = [u.pk if isinstance(u, User) else u for u in staff]
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    if len(users) != len(set(user_ids)) or any(
        not u.is_company_role and u.office_id != meeting.office_id for u in users
    ):
        raise DomainError(
            _("Choose staff of this office or of the company."), code="invalid", field="staff"
        )
    return users, found


@transaction.atomic
def meeting_hold(
    *,
    actor,
    meeting: Meeting,
    minutes: str,
    staff=None,
    seats=None,
    held_at=None,
    opinions=(),
    expected_version=None,
    now=None,
) -> Meeting:
    """The meeting was held: when, who came, the minutes and the opinions raised (each an
    ``(text, seat or None)`` or a text). Minutes are refused for a meeting still in the future."""
    now = now or timezone.now()
    require(actor, "meeting.record", meeting)
    meeting = _locked(Meeting, meeting, expected_version, STALE)
    MEETINGS.check(meeting, "hold")
    held_at = _moment(held_at or meeting.planned_for, "held_at", _("When was it held?"))
    if held_at > now:
        raise DomainError(
            _("This meeting has not happened yet: minutes are recorded after it is held."),
            code="meeting_in_future",
            field="held_at",
        )
    minutes = _text(minutes, "minutes", _("Write the minutes."), limit=TEXT_DOCUMENT)
    users, found = _attendees(meeting, staff if staff else [actor], seats, held_at)
    meeting.state, meeting.held_at, meeting.minutes = State.HELD, held_at, minutes
    _bump(meeting, ["state", "held_at", "minutes"])
    meeting.staff_attendees.set(users)
    meeting.seat_attendees.set(found)
    summary = gettext("Owners' committee meeting: %(agenda)s") % {"agenda": meeting.agenda}
    for customer_id, seat in {s.customer_id: s for s in found}.items():
        del customer_id
        contact_record(
            actor=actor,
            customer=seat.customer,
            summary=summary[:TEXT_DESCRIPTION],
            channel=Channel.MEETING,
            direction=Contact.Direction.INBOUND,
            stage=Contact.Stage.AFTER,
            at=held_at,
            now=now,
        )
    _log(meeting.committee, E.HELD, now=now, actor=actor, meeting=meeting, note=_when(held_at))
    for opinion in opinions or ():
        text, seat = (opinion, None) if isinstance(opinion, str) else opinion
        _add_item(actor=actor, meeting=meeting, text=text, raised_by=seat, now=now)
    _tell_committee(
        meeting.committee,
        "committee_minutes",
        _("Minutes of the committee meeting of %(when)s"),
        _(
            "The minutes of the meeting of %(when)s are in the portal, with what each opinion "
            "led to."
        ),
        key=f"held:{meeting.pk}",
        link=portal_link("committee_meeting", meeting.pk),
        now=now,
        when=_when(held_at),
    )
    return meeting


@transaction.atomic
def meeting_minutes(
    *, actor, meeting: Meeting, minutes: str, expected_version=None, now=None
) -> Meeting:
    """Correct the minutes of a held meeting."""
    now = now or timezone.now()
    require(actor, "meeting.record", meeting)
    meeting = _locked(Meeting, meeting, expected_version, STALE)
    MEETINGS.check(meeting, "edit_minutes")
    meeting.minutes = _text(minutes, "minutes", _("Write the minutes."), limit=TEXT_DOCUMENT)
    _bump(meeting, ["minutes"])
    _log(meeting.committee, E.EDITED, now=now, actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor, meeting: Meeting, reason: str, expected_version=None, now=None
) -> Meeting:
    now = now or timezone.now()
    require(actor, "meeting.cancel", meeting)
    meeting = _locked(Meeting, meeting, expected_version, STALE)
    MEETINGS.check(meeting, "cancel")
    reason = _text(reason, "reason", _("Give the reason for cancelling."), limit=300)
    meeting.state, meeting.cancelled_at, meeting.cancel_reason = State.CANCELLED, now, reason
    _bump(meeting, ["state", "cancelled_at", "cancel_reason"])
    _log(meeting.committee, E.CANCELLED, now=now, actor=actor, meeting=meeting, note=reason)
    if meeting.planned_for > now:
        _tell_committee(
            meeting.committee,
            "committee_meeting_cancelled",
            _("Committee meeting of %(when)s cancelled"),
            _("The meeting of %(when)s is cancelled: %(reason)s"),
            key=f"cancelled:{meeting.pk}",
            link=portal_link("committee_meeting", meeting.pk),
            now=now,
            when=_when(meeting.planned_for),
            reason=reason,
        )
    return meeting
