"""A complaint on its request's timeline (registered with the request loop from ``ready()``): the
events its handling writes, and how it moves its request, which follows the complaint (M17–M20).
Every other request action is refused on a complaint's request."""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import action
from propdesk.tickets.models import Status as S

# M17–M20: the complaint's handling, on its request's timeline.
KINDS = {
    "complaint_respond": _("Complaint heard: understanding shown and explained"),
    "complaint_resolve": _("Complaint resolved"),
    "complaint_reopen": _("Customer not satisfied with the answer: handling resumed"),
    "complaint_close": _("Complaint closed"),
    "complaint_escalated": _("Complaint passed up to the company"),
    "complaint_note": _("Note on the complaint"),
    "complaint_reclassified": _("Complaint's severity or subject changed"),
    "plan_issued": _("Corrective plan issued to the office"),
    "plan_reported": _("Office reported the corrective plan done"),
    "plan_accepted": _("Corrective plan accepted"),
    "plan_returned": _("Corrective plan returned to the office"),
    "complaint_answered": _("Customer contacted with the outcome"),
    "cause_recorded": _("Cause analysed"),
    "measure_added": _("Preventive measure set"),
    "measure_done": _("Preventive measure done"),
    "report_submitted": _("Corrective action report submitted"),
    "report_approved": _("Corrective action report approved and announced"),
    "report_returned": _("Corrective action report returned"),
}

# What the customer reads on their timeline, and of those, whose note too.
CUSTOMER_VISIBLE = frozenset(
    {
        "complaint_respond",
        "complaint_resolve",
        "complaint_reopen",
        "complaint_close",
        "complaint_escalated",
        "complaint_answered",
    }
)
CUSTOMER_NOTES = frozenset({"complaint_respond", "complaint_resolve", "complaint_answered"})

# The request follows its complaint: heard, resolved, reopened when the customer is not satisfied
# with the answer, closed.
TRANSITIONS = {
    "complaint_respond": action([S.NEW], S.IN_PROGRESS, label=_("Responding to the complaint")),
    "complaint_resolve": action(
        [S.NEW, S.IN_PROGRESS], S.COMPLETED, label=_("Resolving the complaint")
    ),
    "complaint_reopen": action([S.COMPLETED], S.IN_PROGRESS, label=_("Reopening the complaint")),
    "complaint_close": action([S.COMPLETED], S.CLOSED, label=_("Closing the complaint")),
}
# Of the request's own actions, a complaint's request takes contacts and a deadline agreed anew.
REQUEST_ACTIONS = ("record_contact", "extend")
REFUSAL = _("A complaint is handled on its complaint page, not as a work order.")
