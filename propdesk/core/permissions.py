"""Who may do what: the one table of permissions, checked by every service.

Seeing a record is decided by office scoping (``core.scoping``); acting on it by the table below.
A role not listed for an action may not do it. ``ASSIGNEE_ONLY`` actions a technician may do only
on work orders currently assigned to him. Company roles act on every office; office roles only on
their own — another office's record is never even found.
"""

import rules
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Role

from .errors import Forbidden
from .scoping import can_see_office

A, T, D = Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR
F, Q, L, ADM = Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN
EVERYONE = frozenset(Role)

ACTIONS: dict[str, frozenset] = {
    # Requests
    "ticket.view": EVERYONE,
    "ticket.create": frozenset({A, D, F, Q, ADM}),
    "ticket.confirm": frozenset({A, D, ADM}),
    "ticket.answer": frozenset({A, D, F, Q, ADM}),
    "ticket.decline": frozenset({A, D, ADM}),
    "ticket.quote": frozenset({A, D, ADM}),
    "ticket.record_acceptance": frozenset({A, D, ADM}),
    "ticket.dispatch": frozenset({A, D, ADM}),
    "ticket.transfer": frozenset({A, D, ADM}),
    "ticket.hand_back": frozenset({T, A, D, ADM}),
    "ticket.work": frozenset({T, D, ADM}),  # tick procedure steps, start work
    "ticket.extend": frozenset({A, T, D, ADM}),
    "ticket.complete": frozenset({T, D, ADM}),
    "ticket.record_satisfaction": frozenset({A, D, F, Q, ADM}),
    "ticket.cancel": frozenset({A, D, ADM}),
    "contact.record": frozenset({A, T, D, F, Q, L, ADM}),
    # After service (M13–M15): follow-up calls, defect watches, rework
    "rework.open": frozenset({A, D, F, Q, ADM}),
    "followup.view": frozenset({A, D, F, Q, L, ADM}),
    "followup.record": frozenset({F, ADM}),  # outcomes of the calls assigned to them
    "defect.view": EVERYONE,
    "defect.inspect": frozenset({T, A, D, ADM}),  # the watch's designated person records
    "defect.assign": frozenset({D, ADM}),  # choose the designated person, change the plan
    "defect.close": frozenset({D, ADM}),  # close a watch early, with a reason
    # Before service (M05, M06): notices and the Service Guide. Company-wide notices are for
    # company roles; an office's for its agents and director.
    "notice.view": EVERYONE,
    "notice.edit": frozenset({A, D, Q, ADM}),
    "notice.publish": frozenset({D, Q, ADM}),
    "guide.view": EVERYONE,
    "guide.publish": frozenset({D, ADM}),
    # M07 community activities: agents and the director organise them; the director publishes
    # (announcing them as a notice), cancels and closes them; the desk registers callers and
    # checks people in; feedback told by phone is recorded by the desk or a follow-up specialist.
    "activity.view": EVERYONE,
    "activity.edit": frozenset({A, D, ADM}),
    "activity.publish": frozenset({D, ADM}),
    "activity.register": frozenset({A, D, ADM}),
    "activity.feedback": frozenset({A, D, F, ADM}),
    # Complaints (M17–M20, M23). The level a complaint is at narrows these further
    # (complaints.rules): the office handles its own, Quality and leadership the company's.
    "complaint.view": frozenset({A, D, F, Q, L, ADM}),
    "complaint.file": frozenset({A, D, F, Q, L, ADM}),
    "complaint.handle": frozenset({A, D, Q, L, ADM}),  # respond, resolve, cause, measures, close
    "complaint.escalate": frozenset({A, D, Q, ADM}),
    "complaint.reclassify": frozenset({Q, L, ADM}),
    "complaint.plan": frozenset({Q, L, ADM}),  # issue, accept or return a corrective plan
    "complaint.report": frozenset({A, D, ADM}),  # the office reports the plan carried out
    "complaint.answer": frozenset({A, D, F, Q, L, ADM}),
    "measure.done": EVERYONE,  # the measure's owner marks it done
    "report.view": EVERYONE,  # the corrective action register is read company-wide
    "report.edit": frozenset({A, D, Q, L, ADM}),
    "report.approve": frozenset({Q, ADM}),  # never one's own
    # Customers and catalogue
    "customer.view": EVERYONE,
    "customer.edit": frozenset({A, D, ADM}),
    "customer.import": frozenset({D, ADM}),
    "catalog.view": EVERYONE,
    "catalog.edit": frozenset({D, ADM}),
    # Hotline
    "call.log": frozenset({A, D, ADM}),
    "roster.edit": frozenset({D, ADM}),
}

# A technician may do these only on a work order that is his now.
ASSIGNEE_ONLY = frozenset({"ticket.work", "ticket.complete", "ticket.hand_back", "ticket.extend"})


def _office_id(obj):
    if obj is None:
        return None
    if hasattr(obj, "office_id"):
        return obj.office_id
    return getattr(obj, "pk", None)  # an Office itself


def allowed(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a record with an office, an Office, or None)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = ACTIONS[action]
    role = Role.ADMIN if user.is_superuser else user.role
    if role not in roles:
        return False
    if obj is not None:
        office_id = _office_id(obj)
        if office_id is not None and not can_see_office(user, office_id):
            return False
        if role == Role.TECHNICIAN and action in ASSIGNEE_ONLY:
            return getattr(obj, "assignee_id", None) == user.pk
    return True


def require(user, action: str, obj=None) -> None:
    if not allowed(user, action, obj):
        raise Forbidden(_("Your role may not do this."), code="forbidden")


# The same table, for templates and third-party code that ask ``user.has_perm("propdesk.<action>")``.
def _predicate(action: str):
    @rules.predicate(name=action)
    def check(user, obj=None):
        return allowed(user, action, obj)

    return check


for _action in ACTIONS:
    rules.add_perm(f"propdesk.{_action}", _predicate(_action))
