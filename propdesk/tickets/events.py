"""The timeline: one event kind per business action, with the wording staff and customers read."""

from django.utils.translation import gettext_lazy as _

from .models import TicketEvent

KINDS = {
    "created": _("Request received"),
    "confirmed": _("Content and requirements confirmed with the customer"),
    "answered": _("Answered"),
    "declined": _("Declined as outside the service scope"),
    "quoted": _("Fee quoted to the customer"),
    "quote_accepted": _("Customer accepted the fee"),
    "quote_rejected": _("Customer did not accept the fee"),
    "dispatched": _("Dispatched to a technician"),
    "transferred": _("Transferred to another technician"),
    "handed_back": _("Handed back for dispatch"),
    "started": _("Work started"),
    "step_done": _("Procedure step done"),
    "extension_proposed": _("New deadline proposed to the customer"),
    "extension_refused": _("Customer refused the proposed deadline"),
    "extended": _("Deadline extended with the customer's agreement"),
    "completed": _("Work completed"),
    "closed": _("Confirmed by the customer and closed"),
    "reopened": _("Customer not satisfied: reopened for rework"),
    "rework_opened": _("Rework order opened"),
    "cancelled": _("Cancelled"),
    "contact": _("Contact with the customer"),
    # M14: the watch of a major-defect repair (internal: staff read these).
    "defect_watch_opened": _("Major defect: result watched with periodic inspections"),
    "inspection_done": _("Defect inspection recorded"),
    "defect_watch_changed": _("Defect watch: designated person or plan changed"),
    "defect_watch_closed": _("Defect watch closed"),
    # M17–M20: the complaint's handling, on its request's timeline.
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

# What the customer may read on their own timeline; the rest stays internal.
CUSTOMER_VISIBLE = frozenset(
    {
        "created",
        "confirmed",
        "answered",
        "declined",
        "quoted",
        "quote_accepted",
        "quote_rejected",
        "dispatched",
        "extension_proposed",
        "extension_refused",
        "extended",
        "completed",
        "closed",
        "reopened",
        "rework_opened",
        "cancelled",
        "complaint_respond",
        "complaint_resolve",
        "complaint_reopen",
        "complaint_close",
        "complaint_escalated",
        "complaint_answered",
    }
)


# Events whose note the customer may read too: what was said to them or by them. Other notes
# (a dispatch note, how a fee was answered) are for staff.
CUSTOMER_NOTES = frozenset(
    {
        "confirmed",
        "answered",
        "declined",
        "extension_proposed",
        "extended",
        "completed",
        "closed",
        "reopened",
        "rework_opened",
        "cancelled",
        "complaint_respond",
        "complaint_resolve",
        "complaint_answered",
    }
)


def customer_note(event) -> str:
    return event.note if event.kind in CUSTOMER_NOTES else ""


def record(
    *, ticket, kind: str, actor, at, from_status: str = "", to_status: str = "", note: str = ""
) -> TicketEvent:
    if kind not in KINDS:
        raise ValueError(f"unknown ticket event kind {kind!r}")
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status or (ticket.status if from_status else ""),
        note=note,
        customer_visible=kind in CUSTOMER_VISIBLE,
    )


def label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
