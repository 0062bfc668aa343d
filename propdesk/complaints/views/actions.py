"""What may be done to a complaint from its page: one small form per action, shown when
``lifecycle.actions_for`` offers it, each running one service against the complaint's version the
form was rendered with (its hidden ``version``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .. import forms
from ..models import Complaint, CorrectivePlan
from ..services import handling, prevention


@dataclass
class Situation:
    """What decides which forms a person sees on a complaint now."""

    user: object
    complaint: Complaint
    plan: CorrectivePlan | None  # the plan in force (not accepted), if any
    latest: CorrectivePlan | None  # the latest plan, whatever its state
    handles: bool
    may: frozenset = frozenset()  # lifecycle.actions_for: what the API lists too

    @property
    def state(self) -> str:
        return self.complaint.state


def _run_respond(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.complaint_respond(
        actor=user,
        complaint=complaint,
        understanding=d["understanding"],
        explanation=d["explanation"],
        channel=d["channel"],
        expected_version=version,
    )


def _run_escalate(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.complaint_escalate(
        actor=user, complaint=complaint, reason=d["reason"], expected_version=version
    )


def _run_reclassify(user, complaint, plan, form, version=None):
    handling.complaint_reclassify(
        actor=user,
        complaint=complaint,
        reason=form.cleaned_data["reason"],
        **form.changes(),
        expected_version=version,
    )


def _run_plan(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.plan_issue(
        actor=user,
        complaint=complaint,
        plan=d["plan"],
        due_at=d["due_at"],
        expected_version=version,
    )


def _run_plan_report(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.plan_report(actor=user, plan=plan, report=d["report"], expected_version=version)


def _run_plan_accept(user, complaint, plan, form, version=None):
    handling.plan_accept(actor=user, plan=plan, expected_version=version)


def _run_plan_return(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.plan_return(actor=user, plan=plan, reason=d["reason"], expected_version=version)


def _run_resolve(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.complaint_resolve(
        actor=user,
        complaint=complaint,
        resolution=d["resolution"],
        compensation_agreed=(d.get("compensation_agreed") or "").strip() or None,
        expected_version=version,
    )


def _run_answer(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    handling.complaint_answer(
        actor=user,
        complaint=complaint,
        summary=d["summary"],
        channel=d["channel"],
        reached=d["reached"],
        satisfied=d["satisfied"] if d["reached"] else None,
        expected_version=version,
    )
    if not d["reached"]:
        return _("The attempt is recorded; the customer still has to be answered.")
    if d["satisfied"] is False:
        return _("The customer is not satisfied: the complaint is being handled again.")
    return None


def _run_cause(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    prevention.cause_record(
        actor=user,
        complaint=complaint,
        cause_category=d["cause_category"],
        analysis=d["analysis"],
        substantiated=d["substantiated"],
        expected_version=version,
    )


def _run_measure(user, complaint, plan, form, version=None):
    d = form.cleaned_data
    prevention.measure_add(
        actor=user,
        complaint=complaint,
        description=d["description"],
        owner=d["owner"],
        due_on=d["due_on"],
        expected_version=version,
    )


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    shown: Callable[[Situation], bool]
    run: Callable
    done: str
    on_plan: bool = False  # posts to the plan in force's URL


def _may(name: str) -> Callable[[Situation], bool]:
    """Shown when ``lifecycle.actions_for`` offers it: the console and the API offer the same."""
    return lambda s: name in s.may


# The complaint's actions, in the order its page shows them.
ACTIONS: dict[str, Action] = {
    "respond": Action(
        _("Respond to the customer"),
        forms.RespondForm,
        _may("respond"),
        _run_respond,
        _("First response recorded."),
    ),
    "plan_report": Action(
        _("Report the corrective plan done"),
        forms.PlanReportForm,
        _may("plan_report"),
        _run_plan_report,
        _("The plan is reported done."),
        on_plan=True,
    ),
    "plan_accept": Action(
        _("Accept the office's report"),
        forms.EmptyForm,
        _may("plan_accept"),
        _run_plan_accept,
        _("Corrective plan accepted."),
        on_plan=True,
    ),
    "plan_return": Action(
        _("Return the plan to the office"),
        forms.PlanReturnForm,
        _may("plan_return"),
        _run_plan_return,
        _("Corrective plan returned to the office."),
        on_plan=True,
    ),
    "plan": Action(
        _("Issue a corrective plan"),
        forms.PlanForm,
        _may("plan_issue"),
        _run_plan,
        _("Corrective plan issued to the office."),
    ),
    "resolve": Action(
        _("Resolve"),
        forms.ResolveForm,
        _may("resolve"),
        _run_resolve,
        _("Complaint resolved: now contact the customer with the outcome."),
    ),
    "answer": Action(
        _("Contact the customer with the outcome"),
        forms.AnswerForm,
        _may("answer"),
        _run_answer,
        _("The customer's answer is recorded."),
    ),
    "cause": Action(
        _("Cause analysis"),
        forms.CauseForm,
        _may("cause"),
        _run_cause,
        _("Cause recorded."),
    ),
    "measure": Action(
        _("Add a preventive measure"),
        forms.MeasureForm,
        _may("measure_add"),
        _run_measure,
        _("Preventive measure set."),
    ),
    "escalate": Action(
        _("Pass up a level"),
        forms.EscalateForm,
        _may("escalate"),
        _run_escalate,
        _("Complaint passed up."),
    ),
    "reclassify": Action(
        _("Reclassify"),
        forms.ReclassifyForm,
        _may("reclassify"),
        _run_reclassify,
        _("Complaint reclassified."),
    ),
}
URL_NAMES = {name: f"console:complaint_{name}" for name in ACTIONS}
URL_NAMES.update(
    plan_report="console:plan_report",
    plan_accept="console:plan_accept",
    plan_return="console:plan_return",
)


def _auto_id(name: str) -> str:
    return f"id_{name}_%s"
