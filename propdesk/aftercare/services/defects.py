"""M14: watching the result of a major-defect repair.

The manual: after repairing a major defect of a house (a roof or bathroom leak, a crack in an
external wall…) the office watches the result; it sends a designated person (派专人) to inspect
on site, periodically, and keeps each visit as a special record (专项记录).

- ``watch_open_for``: a completed repair of an item marked as a major defect (the item or its
  category, ``ServiceItem.watches_result``) opens a ``DefectWatch``, with its first inspection
  due ``INTERVAL_DAYS`` later. The designated person is the office's director, who may hand it
  to someone else (``watch_reassign``).
- ``inspection_record``: the designated person (or the director) records what he found. Clean:
  the next inspection falls due ``interval_days`` later, or, after ``planned_inspections`` clean
  ones in a row, the watch closes by itself. The defect is back: rework is opened (M15) and the
  watch goes on, its count of clean inspections starting again.
- ``watch_reassign`` and ``watch_close``: the director changes the person or the plan, or closes
  the watch early with a reason.
- ``defect_inspection_reminders``: the daily job that reminds the designated person of an
  inspection due within a day, and tells the director of overdue ones, each once.

Overdue is computed (an open inspection whose ``due_at`` has passed), never stored. Every change
is kept by the models' history and written on the repaired request's timeline.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.lifecycle import check_version
from propdesk.core.models import Notification
from propdesk.core.notify import Channel, notify
from propdesk.core.permissions import allowed, require
from propdesk.core.uploads import validate_photo
from propdesk.org.models import OFFICE_ROLES, Role, User
from propdesk.tickets import events
from propdesk.tickets.models import Kind, ReworkSource, Ticket
from propdesk.tickets.services import rework_open

from ..lifecycle import DEFECT_WATCHES, designated_or_director
from ..models import DefectWatch, Inspection, InspectionPhoto
from ..selectors.defects import clean_streak

log = logging.getLogger(__name__)

# The plan a new watch starts with: an inspection every 30 days until three in a row are clean.
INTERVAL_DAYS = 30
PLANNED_INSPECTIONS = 3
# What the director may set the plan to.
MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS = 1, 365
MIN_PLANNED, MAX_PLANNED = 1, 12
MAX_PHOTOS = 5
MAX_TEXT = 5000
# The reminder job: the designated person hears of an inspection due within this time.
DUE_SOON = dt.timedelta(days=1)

STAFF_MESSAGES = {
    "opened": (
        _("Watch the repair %(number)s: first inspection by %(due)s"),
        _(
            "The repair %(number)s (%(item)s) for %(customer)s (%(address)s) was a major "
            "defect. You are the designated person: inspect on site by %(due)s, then every "
            "%(interval)s days until %(planned)s inspections in a row find no defect."
        ),
    ),
    "assigned": (
        _("You now watch the repair %(number)s"),
        _(
            "You are the designated person for the major-defect repair %(number)s (%(item)s) "
            "for %(customer)s (%(address)s). Next inspection due by %(due)s."
        ),
    ),
    "due_soon": (
        _("Inspection %(inspection)s of %(number)s is due by %(due)s"),
        _(
            "Inspection %(inspection)s of the major-defect repair %(number)s (%(item)s) for "
            "%(customer)s (%(address)s) is due by %(due)s."
        ),
    ),
    "overdue": (
        _("Inspection %(inspection)s of %(number)s is overdue"),
        _(
            "Inspection %(inspection)s of the major-defect repair %(number)s (%(item)s) for "
            "%(customer)s (%(address)s) was due by %(due)s and is not recorded. Designated "
            "person: %(watcher)s."
        ),
    ),
}


# --- helpers ----------------------------------------------------------------------------------


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _text(value, field: str, message) -> str:
    text = (value or "").strip() if isinstance(value, str | type(None)) else str(value).strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("At most %(max)d characters.") % {"max": MAX_TEXT}, code="too_long", field=field
        )
    return text


def _number(value, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high or isinstance(value, bool | float):
        raise DomainError(
            _("Enter a whole number from %(min)d to %(max)d.") % {"min": low, "max": high},
            code="invalid",
            field=field,
        )
    return number


STALE = _("Someone else changed this defect watch meanwhile. Reload it and try again.")


def _locked(watch: DefectWatch, expected_version: int | None = None) -> DefectWatch:
    """Lock the watch's row and re-read it: changes to one watch happen one after the other; a
    change made against an older version is refused."""
    fresh = (
        DefectWatch.objects.select_for_update(of=("self",))
        .select_related("ticket", "watcher")
        .get(pk=watch.pk)
    )
    check_version(fresh, expected_version, message=STALE)
    return fresh


def _save(watch: DefectWatch, actor, fields) -> None:
    watch.version += 1
    watch._history_user = actor
    watch.save(update_fields=[*fields, "version", "updated_at"])


def _next_inspection(watch: DefectWatch) -> Inspection | None:
    return watch.inspections.filter(done_at__isnull=True).order_by("number").first()


def _context(watch: DefectWatch, inspection: Inspection | None = None) -> dict:
    ticket = watch.ticket
    return {
        "number": ticket.number,
        "item": ticket.item.name if ticket.item_id else "",
        "customer": watch.customer.name,
        "address": watch.household.address if watch.household_id else "",
        "interval": watch.interval_days,
        "planned": watch.planned_inspections,
        "inspection": inspection.number if inspection else "",
        "due": _when(inspection.due_at) if inspection else "",
        "watcher": watch.watcher.display_name,
    }


def _tell(watch: DefectWatch, user, message: str, *, inspection, now, dedupe_key: str):
    subject, body = STAFF_MESSAGES[message]
    notify(
        event=f"defect.{message}",
        subject=subject,
        body=body,
        context=_context(watch, inspection),
        user=user,
        channels=[Channel.IN_APP],
        link=reverse("console:defect_watch", args=[watch.pk]),
        now=now,
        dedupe_key=dedupe_key,
    )


def _is_office_staff(user, office_id) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.role in OFFICE_ROLES
        and user.office_id == office_id
        and allowed(user, "defect.inspect")
    )


def _default_watcher(ticket: Ticket, actor):
    """The office's director (管理处派专人: the office decides, and he may hand it on); with no
    director, whoever completed the repair, else its last technician, if still in the office."""
    director = (
        User.objects.filter(office_id=ticket.office_id, role=Role.DIRECTOR, is_active=True)
        .order_by("pk")
        .first()
    )
    if director is not None:
        return director
    last = ticket.assignments.select_related("technician").order_by("-assigned_at").first()
    for person in (actor, last.technician if last else None):
        if _is_office_staff(person, ticket.office_id):
            return person
    return None


def _root(ticket: Ticket) -> list[int]:
    """The ids of ``ticket`` and of every order it is the rework of, up to the first one."""
    chain, seen = [], set()
    current = ticket
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(current.pk)
        current = current.rework_of if current.rework_of_id else None
    return chain


# --- opening a watch --------------------------------------------------------------------------


def watches(ticket: Ticket) -> bool:
    """M14: does completing ``ticket`` open a watch? A repair of a major-defect item does."""
    return bool(ticket.kind == Kind.REPAIR and ticket.item_id and ticket.item.watches_result)


@transaction.atomic
def watch_open_for(*, ticket: Ticket, now, actor=None) -> DefectWatch | None:
    """Open a watch when ``ticket`` repaired a major defect; otherwise do nothing.

    Called inside the completion's transaction (``tickets.signals.ticket_completed``). Once per
    repair (the watch is one-to-one with it); a rework order of a watched repair opens none,
    the original's watch goes on."""
    if not watches(ticket):
        return None
    chain = _root(ticket)
    if DefectWatch.objects.filter(ticket_id__in=chain).exists():
        return None
    watcher = _default_watcher(ticket, actor)
    if watcher is None:
        log.warning("no one in office %s to watch the repair %s", ticket.office_id, ticket.pk)
        return None
    watch = DefectWatch(
        office_id=ticket.office_id,
        ticket=ticket,
        customer_id=ticket.customer_id,
        household_id=ticket.household_id,
        watcher=watcher,
        interval_days=INTERVAL_DAYS,
        planned_inspections=PLANNED_INSPECTIONS,
        opened_at=now,
    )
    watch._history_user = actor
    watch.save()
    first = Inspection.objects.create(
        watch=watch, number=1, due_at=now + dt.timedelta(days=watch.interval_days)
    )
    events.record(
        ticket=ticket,
        kind="defect_watch_opened",
        actor=actor,
        at=now,
        note=str(
            _("Designated person: %(watcher)s. First inspection due by %(due)s.")
            % {"watcher": watcher.display_name, "due": _when(first.due_at)}
        ),
    )
    _tell(
        watch,
        watcher,
        "opened",
        inspection=first,
        now=now,
        dedupe_key=f"defect_watch:{watch.pk}:opened:user:{watcher.pk}",
    )
    return watch


# --- inspections ------------------------------------------------------------------------------


def _check_photos(photos) -> list:
    photos = [p for p in (photos or ()) if p]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many", field="photos"
        )
    for photo in photos:
        validate_photo(photo, field="photos")
    return photos


def can_record(user, watch: DefectWatch) -> bool:
    """The designated person, or the office's director (or the administrator)."""
    return allowed(user, "defect.inspect", watch) and designated_or_director(user, watch)


@transaction.atomic
def inspection_record(
    *,
    actor,
    inspection: Inspection,
    findings: str,
    result: str,
    photos=(),
    now=None,
    expected_version: int | None = None,
) -> Inspection:
    """The special record (专项记录) of one on-site inspection. It changes the watch (its next
    inspection, or its end): its version goes up."""
    now = now or timezone.now()
    require(actor, DEFECT_WATCHES["inspect"].permission, inspection.watch)
    # The designated person as he is now, not as read before.
    watch = _locked(inspection.watch, expected_version)
    if not can_record(actor, watch):
        raise Forbidden(
            _("Only the designated person or the office's director records this inspection."),
            field="watcher",
        )
    DEFECT_WATCHES.check(watch, "inspect")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.done_at is not None:
        raise Conflict(
            _("This inspection is already recorded."), code="already_recorded", field="inspection"
        )
    findings = _text(findings, "findings", _("Say what you found on site."))
    if result not in Inspection.Result.values:
        raise DomainError(
            _("Say whether the defect is back or not."), code="invalid", field="result"
        )
    photos = _check_photos(photos)

    inspection.done_at, inspection.inspector = now, actor
    inspection.findings, inspection.result = findings, result
    rework = None
    if result == Inspection.Result.RECURRED:
        # A technician may not open rework himself ("rework.open"); the inspection does, on
        # propdesk's authority, and the timeline names who inspected.
        rework = rework_open(
            original=watch.ticket,
            complaint=findings,
            source=ReworkSource.INSPECTION,
            actor=actor if allowed(actor, "rework.open", watch.ticket) else None,
            complained_at=now,
            now=now,
        )
        inspection.rework = rework
    inspection.save(update_fields=["done_at", "inspector", "findings", "result", "rework"])
    for photo in photos:  # one by one: each file is stored as its row is saved
        InspectionPhoto.objects.create(inspection=inspection, image=photo, created_at=now)

    note = str(
        _("Inspection %(n)d: %(result)s. %(findings)s")
        % {"n": inspection.number, "result": inspection.get_result_display(), "findings": findings}
    )
    if rework is not None:
        note += " " + str(_("Rework %(number)s opened.") % {"number": rework.number})
    events.record(ticket=watch.ticket, kind="inspection_done", actor=actor, at=now, note=note)

    streak = clean_streak(watch)
    if result == Inspection.Result.CLEAN and streak >= watch.planned_inspections:
        DEFECT_WATCHES.check(watch, "complete")
        _close(
            watch,
            actor=actor,
            closed_by=None,
            reason=str(
                _("Closed after %(n)d clean inspections in a row.")
                % {"n": watch.planned_inspections}
            ),
            now=now,
        )
    else:
        Inspection.objects.create(
            watch=watch,
            number=inspection.number + 1,
            due_at=now + dt.timedelta(days=watch.interval_days),
        )
        _save(watch, actor, [])  # the next inspection is part of what the watch shows
    return inspection


# --- the director's changes -------------------------------------------------------------------


@transaction.atomic
def watch_reassign(
    *,
    actor,
    watch: DefectWatch,
    watcher,
    interval_days=None,
    planned_inspections=None,
    now=None,
    expected_version: int | None = None,
) -> DefectWatch:
    """Change the designated person and, optionally, the plan. A new interval moves the open
    inspection's due time (from the last inspection, or from the opening); the number of clean
    inspections cannot go below those already done in a row plus the one still to do."""
    now = now or timezone.now()
    require(actor, DEFECT_WATCHES["reassign"].permission, watch)
    watch = _locked(watch, expected_version)
    DEFECT_WATCHES.check(watch, "reassign")
    if watcher is None:
        raise DomainError(_("Choose the designated person."), code="required", field="watcher")
    if not _is_office_staff(watcher, watch.office_id):
        raise DomainError(
            _("The designated person must be active staff of this office."),
            code="invalid",
            field="watcher",
        )
    changed = []
    if interval_days not in (None, ""):
        interval_days = _number(
            interval_days, "interval_days", MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS
        )
        if interval_days != watch.interval_days:
            watch.interval_days = interval_days
            changed.append("interval_days")
    if planned_inspections not in (None, ""):
        planned = _number(planned_inspections, "planned_inspections", MIN_PLANNED, MAX_PLANNED)
        streak = clean_streak(watch)
        if planned <= streak:
            raise DomainError(
                _(
                    "%(n)d inspections in a row already found no defect: plan at least "
                    "%(min)d, or close the watch."
                )
                % {"n": streak, "min": streak + 1},
                code="invalid",
                field="planned_inspections",
            )
        if planned != watch.planned_inspections:
            watch.planned_inspections = planned
            changed.append("planned_inspections")
    new_watcher = watcher.pk != watch.watcher_id
    if new_watcher:
        watch.watcher = watcher
        changed.append("watcher")
    if not changed:
        return watch
    _save(watch, actor, changed)

    upcoming = _next_inspection(watch)
    if upcoming is not None and "interval_days" in changed:
        last = watch.inspections.filter(done_at__isnull=False).order_by("-number").first()
        upcoming.due_at = (last.done_at if last else watch.opened_at) + dt.timedelta(
            days=watch.interval_days
        )
        upcoming.save(update_fields=["due_at"])
    events.record(
        ticket=watch.ticket,
        kind="defect_watch_changed",
        actor=actor,
        at=now,
        note=str(
            _(
                "Designated person: %(watcher)s; an inspection every %(interval)d days until "
                "%(planned)d in a row find no defect. Next due by %(due)s."
            )
            % {
                "watcher": watch.watcher.display_name,
                "interval": watch.interval_days,
                "planned": watch.planned_inspections,
                "due": _when(upcoming.due_at) if upcoming else "—",
            }
        ),
    )
    if new_watcher:
        _tell(
            watch,
            watch.watcher,
            "assigned",
            inspection=upcoming,
            now=now,
            dedupe_key=f"defect_watch:{watch.pk}:assigned:{int(now.timestamp())}:user:{watcher.pk}",
        )
    return watch


def _close(watch: DefectWatch, *, actor, closed_by, reason: str, now) -> None:
    watch.state, watch.closed_at = DefectWatch.State.CLOSED, now
    watch.closed_by, watch.close_reason = closed_by, reason
    _save(watch, actor, ["state", "closed_at", "closed_by", "close_reason"])
    # An inspection still to do is no longer due: it goes, so nothing counts it as overdue.
    watch.inspections.filter(done_at__isnull=True).delete()
    events.record(ticket=watch.ticket, kind="defect_watch_closed", actor=actor, at=now, note=reason)


@transaction.atomic
def watch_close(
    *, actor, watch: DefectWatch, reason: str, now=None, expected_version: int | None = None
) -> DefectWatch:
    """Close the watch before its plan is done (the director, with a reason)."""
    now = now or timezone.now()
    require(actor, DEFECT_WATCHES["close"].permission, watch)
    reason = _text(reason, "reason", _("Say why the watch is closed early."))
    watch = _locked(watch, expected_version)
    DEFECT_WATCHES.check(watch, "close")
    _close(watch, actor=actor, closed_by=actor, reason=reason, now=now)
    return watch


# --- the daily reminders ----------------------------------------------------------------------


def _open_inspections() -> QuerySet:
    return Inspection.objects.filter(
        done_at__isnull=True, watch__state=DefectWatch.State.OPEN
    ).select_related(
        "watch__ticket__item",
        "watch__customer",
        "watch__household__unit__building__community",
        "watch__watcher",
    )


def defect_inspection_reminders(*, now: dt.datetime) -> dict[str, int]:
    """Remind the designated person of inspections due within a day, and tell the office's
    director of overdue ones. Each person hears of each due time once (the dedupe key carries
    it), so running again sends nothing more; a due time moved by a new plan reminds again."""
    # Versions: the job only writes messages; the watch, its plan and its inspections stay as
    # they are, so what a person sees on the watch does not change and its version stays.
    windows = {
        # (done_at, due_at) is indexed: inspection_due.
        "due_soon": _open_inspections().filter(due_at__gte=now, due_at__lt=now + DUE_SOON),
        "overdue": _open_inspections().filter(due_at__lt=now),
    }
    told = dict.fromkeys(windows, 0)
    for message, inspections in windows.items():
        inspections = list(inspections.order_by("due_at", "pk"))
        directors: dict[int, list] = {}
        if message == "overdue":
            for user in User.objects.filter(
                office_id__in={i.watch.office_id for i in inspections},
                role=Role.DIRECTOR,
                is_active=True,
            ).order_by("pk"):
                directors.setdefault(user.office_id, []).append(user)
        plan = []
        for inspection in inspections:
            watch = inspection.watch
            if message == "due_soon":
                users = [watch.watcher] if watch.watcher.is_active else []
            else:
                users = directors.get(watch.office_id, [])
            due = int(inspection.due_at.timestamp())
            plan += [
                (inspection, user, f"inspection:{inspection.pk}:{message}:{due}:user:{user.pk}")
                for user in users
            ]
        written = set(
            Notification.objects.filter(
                dedupe_key__in=[f"{key}:{Channel.IN_APP}" for _i, _u, key in plan]
            ).values_list("dedupe_key", flat=True)
        )
        for inspection, user, key in plan:
            if f"{key}:{Channel.IN_APP}" in written:
                continue
            with transaction.atomic():
                _tell(
                    inspection.watch, user, message, inspection=inspection, now=now, dedupe_key=key
                )
            told[message] += 1
    return told
