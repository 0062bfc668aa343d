"""A complaint's own lifecycle as data (M17–M20, M23): which action its state allows, what it
leads to and who may take it.

received → in_progress (respond) → resolved (resolve) → answered (answer; not satisfied: back to
in_progress) → closed (close). While it is open it may be passed up a level (escalate) or
reclassified; until it is closed its cause and preventive measures may be recorded. The table is
a ``core.lifecycle.Lifecycle``: ``rules.actions_for`` builds on ``COMPLAINTS.actions_for`` for
these actions (the console's forms, the API's ``actions``) and adds what depends on other records
(the corrective plan, the report); the services refuse through the same table
(``COMPLAINTS.check(complaint, name, actor=actor)``), each step with the refusal it has always
had, so the two cannot drift.

Who may take a step is the complaint's level (``who``): the office's service center, Quality or
leadership handles it (``rules.handles``), the follow-up contact is made by ``rules.answers``;
anyone else is refused with ``NOT_YOURS``. What the state allows but the record does not yet
(``when``: a company plan below company level, a level above leadership, closing before the
customer is answered) is not offered, and the service says why.
"""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action
from propdesk.core.permissions import allowed

from . import rules
from .models import Complaint, CorrectiveActionReport, CorrectivePlan

S = Complaint.State
Plan, Report = CorrectivePlan.State, CorrectiveActionReport.State
OPEN = Complaint.OPEN_STATES
NOT_CLOSED = (S.RECEIVED, S.IN_PROGRESS, S.RESOLVED, S.ANSWERED)
CLOSED = _("The complaint is closed.")
NOT_YOURS = _("This complaint is handled at another level: you may not do this.")


def _reclassifies(user, complaint) -> bool:
    """Its handlers correct what it is; Quality and leadership may for any complaint."""
    return rules.handles(user, complaint) or allowed(user, "complaint.reclassify")


def _handles(user, complaint) -> bool:
    return rules.handles(user, complaint)


def _answers(user, complaint) -> bool:
    return rules.answers(user, complaint)


def _escalates(user, complaint) -> bool:
    return rules.escalates(user, complaint)


def _until_closed():
    return action(
        NOT_CLOSED,
        permission="complaint.handle",
        who=_handles,
        refusal=CLOSED,
        code="closed",
    )


COMPLAINTS = Lifecycle(
    {
        "respond": action(
            [S.RECEIVED],
            S.IN_PROGRESS,
            permission="complaint.handle",
            who=_handles,
            refusal=_("The complaint has already been responded to."),
        ),
        # Not above leadership (the service's ``already_top``).
        "escalate": action(
            OPEN,
            permission="complaint.escalate",
            who=_escalates,
            when=rules.has_level_above,
            refusal=_("Only a complaint being handled can be passed up."),
        ),
        "reclassify": action(
            OPEN,
            permission="complaint.handle",
            who=_reclassifies,
            refusal=_("Only a complaint being handled can be reclassified."),
        ),
        # Its severity: Quality, leadership and administrators only.
        "reclassify_severity": action(
            OPEN,
            permission="complaint.reclassify",
            refusal=_("Only a complaint being handled can be reclassified."),
        ),
        # The company's corrective plan, for a company-level complaint once responded to (one in
        # force at a time: ``rules.actions_for`` knows its plans).
        "plan_issue": action(
            [S.IN_PROGRESS],
            permission="complaint.plan",
            who=_handles,
            when=lambda complaint: complaint.is_company_level,
            refusal=_("Respond to the complaint first."),
        ),
        # At company level only once its plan is accepted (``rules.actions_for``, the service).
        "resolve": action(
            OPEN,
            S.RESOLVED,
            permission="complaint.handle",
            who=_handles,
            refusal=_("Only a complaint being handled can be resolved."),
        ),
        # Answered, or back to being handled when the customer is not satisfied.
        "answer": action(
            [S.RESOLVED],
            permission="complaint.answer",
            who=_answers,
            refusal=_("Resolve the complaint before answering the customer."),
        ),
        "cause": _until_closed(),
        "measure_add": _until_closed(),
        # Once the customer is answered (the service's ``no_answer_contact``); also needs its
        # cause, a measure and a major one's report approved (the service's).
        "close": action(
            NOT_CLOSED,
            S.CLOSED,
            permission="complaint.handle",
            who=_handles,
            when=lambda complaint: complaint.state == S.ANSWERED,
            refusal=_("The complaint is already closed."),
            code="closed",
        ),
    },
    forbidden=NOT_YOURS,
    forbidden_code="not_your_level",
)


# Every name ``actions_for`` may answer (the permission matrix test checks each one).
ACTIONS = (
    "respond",
    "escalate",
    "reclassify",
    "reclassify_severity",
    "plan_issue",
    "plan_report",
    "plan_accept",
    "plan_return",
    "resolve",
    "answer",
    "cause",
    "measure_add",
    "close",
    "report_save",
    "report_submit",
    "report_approve",
    "report_return",
)


def actions_for(user, complaint: Complaint, *, plans, report) -> list[str]:
    """What ``user`` may do to the complaint now: its own actions as ``COMPLAINTS`` offers them,
    narrowed and completed by what depends on its other records, as the services decide them.
    ``plans`` oldest first; ``report`` or None. (Recusal is the selectors': a recused user never
    gets this far.) Here rather than in ``rules``, which the table itself builds on."""
    may = dict.fromkeys(ACTIONS, False)
    may.update(dict.fromkeys(COMPLAINTS.actions_for(user, complaint), True))
    latest = plans[-1] if plans else None
    in_force = latest if latest is not None and latest.state != Plan.ACCEPTED else None
    handles_it = rules.handles(user, complaint)
    plans_it = handles_it and allowed(user, "complaint.plan")
    writes = rules.writes_report(user, complaint)
    editable = report is None or report.state in (Report.DRAFT, Report.RETURNED)
    submitted = report is not None and report.state == Report.SUBMITTED
    # One corrective plan in force at a time; a company-level complaint resolves once it is
    # accepted.
    may["plan_issue"] = may["plan_issue"] and in_force is None
    may["resolve"] = may["resolve"] and (
        not complaint.is_company_level or (latest is not None and latest.state == Plan.ACCEPTED)
    )
    may["plan_report"] = (
        in_force is not None
        and in_force.state in (Plan.ISSUED, Plan.RETURNED)
        and rules.reports_plan(user, complaint)
    )
    may["plan_accept"] = may["plan_return"] = (
        plans_it and in_force is not None and in_force.state == Plan.REPORTED
    )
    # A report is for a major complaint (M20), though one may be written for any.
    may["report_save"] = (
        writes and editable and (report is not None or complaint.severity == "major")
    )
    may["report_submit"] = writes and report is not None and editable
    may["report_approve"] = (
        submitted
        and allowed(user, "report.approve")
        and user.pk not in (report.prepared_by_id, report.submitted_by_id)
    )
    may["report_return"] = submitted and allowed(user, "report.approve")
    return [name for name in ACTIONS if may[name]]
