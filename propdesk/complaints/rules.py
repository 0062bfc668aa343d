"""The complaint's rules as data: its clocks, the levels it moves up through, and who handles it
at each level (M17–M19). Pure functions; the services and selectors consult nothing else. What
its state allows, and so what may be done to it now, is ``complaints.lifecycle``'s, built on
these."""

import datetime as dt

from propdesk.core.permissions import allowed
from propdesk.org.models import Role

from .models import Complaint

Owner, Severity, State = Complaint.Owner, Complaint.Severity, Complaint.State

# The manual sets no complaint times; the company's policy (docs/decisions.md): a graver
# complaint is heard sooner, and given longer to resolve, as the company's plan takes time.
CLOCKS: dict[str, tuple[dt.timedelta, dt.timedelta]] = {
    Severity.GENERAL: (dt.timedelta(hours=24), dt.timedelta(hours=72)),
    Severity.SERIOUS: (dt.timedelta(hours=4), dt.timedelta(days=5)),
    Severity.MAJOR: (dt.timedelta(hours=2), dt.timedelta(days=7)),
}
# Reminded when this share of a clock is left.
REMIND_AT = 0.25

# Up one level: the office's service center → Quality Management → company leadership.
NEXT_OWNER = {
    Owner.SERVICE_CENTER: Owner.QUALITY,
    Owner.QUALITY: Owner.LEADERSHIP,
    Owner.LEADERSHIP: None,
}
RANK = {Owner.SERVICE_CENTER: 0, Owner.QUALITY: 1, Owner.LEADERSHIP: 2}

# Who handles a complaint at each level (the office's roles only for their own office).
HANDLERS = {
    Owner.SERVICE_CENTER: frozenset({Role.AGENT, Role.DIRECTOR, Role.ADMIN}),
    Owner.QUALITY: frozenset({Role.QUALITY, Role.ADMIN}),
    Owner.LEADERSHIP: frozenset({Role.LEADERSHIP, Role.ADMIN}),
}
# Who makes the follow-up contact with the customer (M18: a company department at company level;
# M19: the office's service center, proactively, for its own).
ANSWERERS = {
    Owner.SERVICE_CENTER: frozenset({Role.AGENT, Role.DIRECTOR, Role.ADMIN}),
    Owner.QUALITY: frozenset({Role.FOLLOWUP, Role.QUALITY, Role.ADMIN}),
    Owner.LEADERSHIP: frozenset({Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN}),
}

LIVE_CHANNELS = frozenset({"hotline", "walk_in", "on_site", "followup", "meeting"})


def floor(*, involves_compensation: bool, against_director: bool) -> str:
    """The lowest level that may handle it (M18): compensation and complaints against a
    director are company leadership's."""
    if involves_compensation or against_director:
        return Owner.LEADERSHIP
    return Owner.SERVICE_CENTER


def clocks(severity: str, received_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first-response and resolution deadlines of a complaint received at ``received_at``."""
    first, resolution = CLOCKS[severity]
    return received_at + first, received_at + resolution


def _role(user) -> str:
    return Role.ADMIN if user.is_superuser else user.role


def _in_reach(user, complaint: Complaint) -> bool:
    """An office role acts for its own office only; company roles for every office."""
    return user.is_company_role or user.office_id == complaint.office_id


def _handles_at_its_level(user, complaint: Complaint) -> bool:
    return _role(user) in HANDLERS[complaint.owner] and _in_reach(user, complaint)


def handles(user, complaint: Complaint) -> bool:
    """May ``user`` handle the complaint at its current level? (Recusal is checked by the
    selectors: a recused user never even finds it.)"""
    return allowed(user, "complaint.handle") and _handles_at_its_level(user, complaint)


def answers(user, complaint: Complaint) -> bool:
    if not allowed(user, "complaint.answer"):
        return False
    return _role(user) in ANSWERERS[complaint.owner] and _in_reach(user, complaint)


def reports_plan(user, complaint: Complaint) -> bool:
    """The office carries out the company's plan and reports on it (M18)."""
    return allowed(user, "complaint.report") and _in_reach(user, complaint)


def writes_report(user, complaint: Complaint) -> bool:
    """The corrective action report is written by the company, or by the complaint's handlers."""
    return allowed(user, "report.edit", complaint) and (
        user.is_company_role or handles(user, complaint)
    )


def escalates(user, complaint: Complaint) -> bool:
    """Whoever handles it passes up what they cannot handle: the office to Quality, Quality to
    leadership (whether there is a level above is ``has_level_above``)."""
    return allowed(user, "complaint.escalate") and _handles_at_its_level(user, complaint)


def has_level_above(complaint: Complaint) -> bool:
    return NEXT_OWNER[complaint.owner] is not None
