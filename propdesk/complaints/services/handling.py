"""M18, M19, M23: handling a complaint at the right level, the company's corrective plan, the
resolution, the follow-up contact with the customer, and closing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.permissions import allowed
from propdesk.tickets.models import Channel, Contact
from propdesk.tickets.services import contact_record, ticket_follow_complaint, ticket_recuse

from .. import rules
from ..lifecycle import COMPLAINTS, NOT_YOURS
from ..models import Complaint, CorrectivePlan, Escalation
from .common import (
    check_visible,
    handlers,
    locked,
    office_desk,
    record,
    required,
    take,
    tell_customer,
    tell_staff,
)
from .intake import against_director, escalate_to, money, staff_named

Owner, Severity, State = Complaint.Owner, Complaint.Severity, Complaint.State


def _take(
    actor, complaint: Complaint, *, may=rules.handles, expected_version: int | None = None
) -> Complaint:
    """Lock and re-read the complaint (refused if changed since ``expected_version``, else its
    version raised); NotFound if the actor may not see it, Forbidden if ``may`` does not let them
    act on it at its level (a plan's steps; the complaint's own are ``take``'s)."""
    complaint = locked(complaint, expected_version)
    check_visible(actor, complaint)
    if not may(actor, complaint):
        raise Forbidden(NOT_YOURS, code="not_your_level")
    return complaint


def _respond(complaint: Complaint, *, actor, now, note: str) -> None:
    complaint.state, complaint.first_responded_at = State.IN_PROGRESS, now
    complaint.save(update_fields=["state", "first_responded_at", "updated_at"])
    complaint.ticket = ticket_follow_complaint(
        ticket=complaint.ticket, action="complaint_respond", actor=actor, now=now, note=note
    )


@transaction.atomic
def complaint_respond(
    *,
    actor,
    complaint: Complaint,
    understanding: str,
    explanation: str,
    channel: str = Channel.HOTLINE,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The first response to a written complaint (M17): the handler calls the customer, shows
    understanding and explains; recorded as a contact and on the timeline."""
    now = now or timezone.now()
    complaint = take(actor, complaint, "respond", expected_version=expected_version)
    understanding = required(
        understanding, "understanding", _("Note how you showed understanding.")
    )
    explanation = required(explanation, "explanation", _("Note the explanation you gave."))
    if channel not in Channel.values:
        raise DomainError(_("Choose the channel."), code="invalid", field="channel")
    contact_record(
        actor=actor,
        customer=complaint.customer,
        ticket=complaint.ticket,
        summary=f"{understanding}\n{explanation}",
        channel=channel,
        direction=Contact.Direction.OUTBOUND,
        now=now,
    )
    complaint.understanding, complaint.explanation = understanding, explanation
    complaint.save(update_fields=["understanding", "explanation", "updated_at"])
    _respond(complaint, actor=actor, now=now, note=explanation)
    return complaint


@transaction.atomic
def complaint_escalate(
    *,
    actor,
    complaint: Complaint,
    reason: str,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Pass the complaint up a level, with the reason (M19: what the office cannot handle goes to
    the company). Ownership never goes back down."""
    now = now or timezone.now()
    complaint = locked(complaint, expected_version)
    check_visible(actor, complaint)
    reason = required(reason, "reason", _("Say why the complaint is passed up."))
    # Said before who may: leadership has no one to pass it to, whoever asks.
    if not COMPLAINTS["escalate"].when(complaint):
        raise Conflict(
            _("The complaint is already with company leadership."),
            code="already_top",
            field="owner",
        )
    COMPLAINTS.check(complaint, "escalate", actor=actor)
    to_owner = rules.NEXT_OWNER[complaint.owner]
    cause = (
        Escalation.Cause.CANNOT_HANDLE
        if complaint.owner == Owner.SERVICE_CENTER
        else Escalation.Cause.BY_QUALITY
    )
    escalate_to(complaint, to_owner, cause=cause, reason=reason, actor=actor, now=now)
    tell_customer(
        complaint,
        "escalated",
        _("Your complaint %(number)s is with the company"),
        _(
            "Your complaint %(number)s has been passed to the company's %(owner)s, who will "
            "see it through and contact you."
        ),
        now=now,
        key=f"escalated:{to_owner}",
        owner=Owner(to_owner).label,
    )
    return complaint


@transaction.atomic
def complaint_reclassify(
    *,
    actor,
    complaint: Complaint,
    reason: str,
    severity: str | None = None,
    about_staff=None,
    involves_compensation: bool | None = None,
    compensation_claimed=None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Correct what the complaint is: its severity, whom it is about, whether compensation is
    claimed. If that raises its floor (M18), it goes up to leadership at once; staff it is now
    about are recused. Nothing is ever routed back down."""
    now = now or timezone.now()
    complaint = take(actor, complaint, "reclassify", expected_version=expected_version)
    reason = required(reason, "reason", _("Say why the complaint is reclassified."))
    changed = []
    if severity is not None and severity != complaint.severity:
        if severity not in Severity.values:
            raise DomainError(_("Choose the severity."), code="invalid", field="severity")
        if not COMPLAINTS.permits(actor, complaint, "reclassify_severity"):
            raise Forbidden(
                _("Only the Quality Management Department or leadership changes the severity."),
                code="forbidden",
                field="severity",
            )
        complaint.severity = severity
        changed.append("severity")
    if about_staff is not None:
        staff = staff_named(about_staff, office_id=complaint.office_id)
        complaint.about_staff.set(staff)
        ticket_recuse(ticket=complaint.ticket, users=staff, now=now)
        complaint.against_director = against_director(staff, office_id=complaint.office_id)
        changed.append("against_director")
    if involves_compensation is not None or compensation_claimed is not None:
        claimed = money(compensation_claimed, "compensation_claimed")
        complaint.compensation_claimed = claimed
        complaint.involves_compensation = bool(involves_compensation) or claimed is not None
        changed += ["involves_compensation", "compensation_claimed"]
    floor = rules.floor(
        involves_compensation=complaint.involves_compensation,
        against_director=complaint.against_director,
    )
    if rules.RANK[floor] > rules.RANK[complaint.owner]:
        from_owner, complaint.owner = complaint.owner, floor
        changed.append("owner")
    else:
        from_owner = None
    if changed:
        complaint.save(update_fields=[*changed, "updated_at"])
    record(complaint, "complaint_reclassified", actor=actor, now=now, note=reason)
    if from_owner is not None:
        from .intake import _routing_reason, log_escalation

        cause, why = _routing_reason(
            compensation=complaint.involves_compensation, director=complaint.against_director
        )
        log_escalation(complaint, from_owner, floor, cause=cause, reason=why, actor=actor, now=now)
    return complaint


# --- the company's corrective plan (M18) ------------------------------------------------------


def _plan_in_force(complaint: Complaint) -> CorrectivePlan | None:
    return (
        complaint.plans.exclude(state=CorrectivePlan.State.ACCEPTED)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def plan_issue(
    *,
    actor,
    complaint: Complaint,
    plan: str,
    due_at: dt.datetime,
    now=None,
    expected_version: int | None = None,
) -> CorrectivePlan:
    """The company's corrective plan for a company-level complaint, for the office to carry out."""
    now = now or timezone.now()
    complaint = _take(
        actor,
        complaint,
        may=lambda user, c: COMPLAINTS.permits(user, c, "plan_issue"),
        expected_version=expected_version,
    )
    # Said before what its state allows: no state of an office-level complaint has a plan.
    if not COMPLAINTS["plan_issue"].when(complaint):
        raise Conflict(
            _("The office handles this complaint itself: there is no company plan."),
            code="office_level",
            field="owner",
        )
    COMPLAINTS.check(complaint, "plan_issue")
    if _plan_in_force(complaint) is not None:
        raise Conflict(
            _("A corrective plan is already with the office."), code="plan_in_force", field="plan"
        )
    text = required(plan, "plan", _("Write the corrective plan."))
    if due_at is None or timezone.is_naive(due_at) or due_at <= now:
        raise DomainError(_("Choose a time in the future."), code="past_due", field="due_at")
    issued = CorrectivePlan.objects.create(
        complaint=complaint,
        state=CorrectivePlan.State.ISSUED,
        plan=text,
        due_at=due_at,
        issued_by=actor,
    )
    record(complaint, "plan_issued", actor=actor, now=now, note=text)
    tell_staff(
        complaint,
        "plan_issued",
        _("Corrective plan for complaint %(number)s"),
        _("The company has issued a corrective plan for complaint %(number)s: %(plan)s"),
        users=office_desk(complaint),
        now=now,
        key=f"plan:{issued.pk}:issued",
        plan=text[:120],
    )
    return issued


def _take_plan(
    actor, plan: CorrectivePlan, *, may, expected_version: int | None = None
) -> tuple[Complaint, CorrectivePlan]:
    """The plan's complaint (its version checked and raised: its plan is part of it) and the
    plan, both locked."""
    complaint = _take(actor, plan.complaint, may=may, expected_version=expected_version)
    plan = CorrectivePlan.objects.select_for_update().get(pk=plan.pk)
    return complaint, plan


@transaction.atomic
def plan_report(
    *, actor, plan: CorrectivePlan, report: str, now=None, expected_version: int | None = None
) -> CorrectivePlan:
    """The office reports the plan carried out."""
    now = now or timezone.now()
    complaint, plan = _take_plan(
        actor, plan, may=rules.reports_plan, expected_version=expected_version
    )
    if plan.state not in (CorrectivePlan.State.ISSUED, CorrectivePlan.State.RETURNED):
        raise Conflict(
            _("This plan is not waiting for the office's report."),
            code="transition_not_allowed",
            field="state",
        )
    plan.report = required(report, "report", _("Say what the office has done."))
    plan.state, plan.reported_by, plan.reported_at = CorrectivePlan.State.REPORTED, actor, now
    plan.save(update_fields=["report", "state", "reported_by", "reported_at", "updated_at"])
    record(complaint, "plan_reported", actor=actor, now=now, note=plan.report)
    tell_staff(
        complaint,
        "plan_reported",
        _("Corrective plan done: complaint %(number)s"),
        _("%(office)s reports the corrective plan for complaint %(number)s done: %(report)s"),
        users=handlers(complaint),
        now=now,
        key=f"plan:{plan.pk}:reported:{now.timestamp()}",
        report=plan.report[:120],
    )
    return plan


def _decide(actor, plan, *, now, expected_version=None) -> tuple[Complaint, CorrectivePlan]:
    complaint, plan = _take_plan(actor, plan, may=rules.handles, expected_version=expected_version)
    if not allowed(actor, "complaint.plan"):
        raise Forbidden(NOT_YOURS, code="not_your_level")
    if plan.state != CorrectivePlan.State.REPORTED:
        raise Conflict(
            _("The office has not reported this plan done yet."),
            code="transition_not_allowed",
            field="state",
        )
    plan.decided_by, plan.decided_at = actor, now
    return complaint, plan


@transaction.atomic
def plan_accept(
    *, actor, plan: CorrectivePlan, now=None, expected_version: int | None = None
) -> CorrectivePlan:
    now = now or timezone.now()
    complaint, plan = _decide(actor, plan, now=now, expected_version=expected_version)
    plan.state = CorrectivePlan.State.ACCEPTED
    plan.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    record(complaint, "plan_accepted", actor=actor, now=now)
    return plan


@transaction.atomic
def plan_return(
    *,
    actor,
    plan: CorrectivePlan,
    reason: str,
    now=None,
    expected_version: int | None = None,
) -> CorrectivePlan:
    now = now or timezone.now()
    reason = required(reason, "reason", _("Say what is still to be done."))
    complaint, plan = _decide(actor, plan, now=now, expected_version=expected_version)
    plan.state, plan.return_reason = CorrectivePlan.State.RETURNED, reason
    plan.save(update_fields=["state", "return_reason", "decided_by", "decided_at", "updated_at"])
    record(complaint, "plan_returned", actor=actor, now=now, note=reason)
    tell_staff(
        complaint,
        "plan_returned",
        _("Corrective plan returned: complaint %(number)s"),
        _("The company returned the corrective plan for complaint %(number)s: %(reason)s"),
        users=office_desk(complaint),
        now=now,
        key=f"plan:{plan.pk}:returned:{now.timestamp()}",
        reason=reason,
    )
    return plan


# --- resolving, answering, closing ------------------------------------------------------------


@transaction.atomic
def complaint_resolve(
    *,
    actor,
    complaint: Complaint,
    resolution: str,
    compensation_agreed=None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The problem is solved. A company-level complaint first needs its corrective plan carried
    out and accepted (M18)."""
    now = now or timezone.now()
    complaint = take(actor, complaint, "resolve", expected_version=expected_version)
    resolution = required(resolution, "resolution", _("Say how the complaint was resolved."))
    if complaint.is_company_level:
        latest = complaint.plans.order_by("-created_at", "-pk").first()
        if latest is None or latest.state != CorrectivePlan.State.ACCEPTED:
            raise Conflict(
                _("The company's corrective plan must be carried out and accepted first."),
                code="plan_not_accepted",
                field="plan",
            )
    agreed = money(compensation_agreed, "compensation_agreed")
    if agreed is not None and not complaint.involves_compensation:
        raise DomainError(
            _("No compensation was claimed in this complaint."),
            code="invalid",
            field="compensation_agreed",
        )
    if complaint.first_responded_at is None:
        complaint.first_responded_at = now
    complaint.state, complaint.resolution, complaint.resolved_at = State.RESOLVED, resolution, now
    complaint.compensation_agreed = agreed
    complaint.save(
        update_fields=[
            "state",
            "resolution",
            "resolved_at",
            "first_responded_at",
            "compensation_agreed",
            "updated_at",
        ]
    )
    complaint.ticket = ticket_follow_complaint(
        ticket=complaint.ticket, action="complaint_resolve", actor=actor, now=now, note=resolution
    )
    if complaint.is_company_level:
        from propdesk.org.models import Role, User

        tell_staff(
            complaint,
            "to_answer",
            _("Contact the customer: complaint %(number)s"),
            _(
                "Complaint %(number)s from %(customer)s is resolved: make the company's "
                "follow-up contact with the customer."
            ),
            users=User.objects.filter(role=Role.FOLLOWUP, is_active=True),
            now=now,
            key=f"to_answer:{now.timestamp()}",
        )
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    actor,
    complaint: Complaint,
    summary: str,
    channel: str = Channel.HOTLINE,
    reached: bool = True,
    satisfied: bool | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Contact:
    """The follow-up contact with the customer once it is resolved (M18: by a company department
    for a company-level complaint; M19: by the office's service center, proactively). Not
    reached: the attempt is recorded, and it stays to be answered. Not satisfied: handling
    resumes (M23: every complaint ends answered)."""
    now = now or timezone.now()
    complaint = take(actor, complaint, "answer", expected_version=expected_version)
    summary = required(summary, "summary", _("Summarise what the customer was told."))
    if channel not in Channel.values:
        raise DomainError(_("Choose the channel."), code="invalid", field="channel")
    if satisfied is not None and not reached:
        raise DomainError(
            _("The customer was not reached: there is no answer to record."),
            code="invalid",
            field="satisfied",
        )
    contact = contact_record(
        actor=actor,
        customer=complaint.customer,
        ticket=complaint.ticket,
        summary=summary,
        channel=channel,
        direction=Contact.Direction.OUTBOUND,
        stage=Contact.Stage.AFTER,
        now=now,
    )
    if not reached:
        return contact
    record(complaint, "complaint_answered", actor=actor, now=now, note=summary)
    if satisfied is False:
        complaint.state, complaint.reopen_count = State.IN_PROGRESS, complaint.reopen_count + 1
        complaint.answer_satisfied = False
        complaint.save(update_fields=["state", "reopen_count", "answer_satisfied", "updated_at"])
        complaint.ticket = ticket_follow_complaint(
            ticket=complaint.ticket, action="complaint_reopen", actor=actor, now=now, note=summary
        )
        tell_staff(
            complaint,
            "reopened",
            _("Complaint %(number)s: the customer is not satisfied"),
            _("The customer is not satisfied with the outcome of complaint %(number)s: %(note)s"),
            users=handlers(complaint),
            now=now,
            key=f"reopened:{complaint.reopen_count}",
            note=summary,
        )
        return contact
    complaint.state, complaint.answered_at = State.ANSWERED, now
    complaint.answer_contact, complaint.answer_satisfied = contact, satisfied
    complaint.save(
        update_fields=["state", "answered_at", "answer_contact", "answer_satisfied", "updated_at"]
    )
    return contact


@transaction.atomic
def complaint_close(
    *,
    actor,
    complaint: Complaint,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Close it — only once the customer has been answered (M19, M23), the cause is analysed and
    preventive measures are set (M20), and a major complaint's corrective action report is
    approved."""
    from ..models import CorrectiveActionReport

    now = now or timezone.now()
    complaint = take(actor, complaint, "close", expected_version=expected_version)
    if not COMPLAINTS["close"].when(complaint):
        raise Conflict(
            _("Contact the customer with the outcome before closing the complaint."),
            code="no_answer_contact",
            field="answer",
        )
    if not complaint.cause_category or not complaint.cause_analysis:
        raise Conflict(
            _("Analyse the complaint's cause before closing it."),
            code="no_cause",
            field="cause_analysis",
        )
    if not complaint.measures.exists():
        raise Conflict(
            _("Set at least one preventive measure before closing the complaint."),
            code="no_prevention",
            field="measures",
        )
    if (
        complaint.severity == Severity.MAJOR
        and not CorrectiveActionReport.objects.filter(
            complaint=complaint, state=CorrectiveActionReport.State.APPROVED
        ).exists()
    ):
        raise Conflict(
            _("A major complaint needs its corrective action report approved before closing."),
            code="report_not_approved",
            field="report",
        )
    complaint.state, complaint.closed_at, complaint.closed_by = State.CLOSED, now, actor
    complaint.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    complaint.ticket = ticket_follow_complaint(
        ticket=complaint.ticket, action="complaint_close", actor=actor, now=now
    )
    tell_customer(
        complaint,
        "closed",
        _("Complaint %(number)s closed"),
        _(
            "Thank you for telling us. Your complaint %(number)s is closed, and we have taken "
            "measures so that it does not happen again."
        ),
        now=now,
        key="closed",
    )
    return complaint
