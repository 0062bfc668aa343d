"""M20: after handling, the cause is analysed and preventive measures are set (each with an
owner and a due date, followed until done); a major complaint gets a corrective action report
(纠正措施报告), approved by the Quality Management Department and announced to all staff."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.lifecycle import check_version
from propdesk.core.permissions import require
from propdesk.org.models import COMPANY_ROLES, Role, User

from .. import rules
from ..lifecycle import NOT_YOURS
from ..models import Complaint, CorrectiveActionReport, PreventiveMeasure
from .common import check_visible, locked, record, required, take, tell_staff

State = Complaint.State
Report = CorrectiveActionReport


@transaction.atomic
def cause_record(
    *,
    actor,
    complaint: Complaint,
    cause_category: str,
    analysis: str,
    substantiated: bool | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Why it happened (M20). May be revised until the complaint is closed."""
    now = now or timezone.now()
    complaint = take(actor, complaint, "cause", expected_version=expected_version)
    if cause_category not in Complaint.Cause.values:
        raise DomainError(_("Choose the cause."), code="invalid", field="cause_category")
    analysis = required(analysis, "cause_analysis", _("Write the cause analysis."))
    complaint.cause_category, complaint.cause_analysis = cause_category, analysis
    complaint.substantiated = substantiated
    complaint.analysed_at, complaint.analysed_by = now, actor
    complaint.save(
        update_fields=[
            "cause_category",
            "cause_analysis",
            "substantiated",
            "analysed_at",
            "analysed_by",
            "updated_at",
        ]
    )
    record(complaint, "cause_recorded", actor=actor, now=now, note=analysis)
    return complaint


def _measure_owner(owner, complaint: Complaint):
    if not isinstance(owner, User):
        owner = User.objects.filter(pk=owner).first()
    if (
        owner is None
        or not owner.is_active
        or (owner.office_id != complaint.office_id and owner.role not in COMPANY_ROLES)
        or owner.complaints_about.filter(pk=complaint.pk).exists()
    ):
        raise DomainError(
            _("Choose a member of staff of the office or the company (not one it is about)."),
            code="invalid",
            field="owner",
        )
    return owner


@transaction.atomic
def measure_add(
    *,
    actor,
    complaint: Complaint,
    description: str,
    owner,
    due_on: dt.date,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PreventiveMeasure:
    now = now or timezone.now()
    complaint = take(actor, complaint, "measure_add", expected_version=expected_version)
    description = required(description, "description", _("Describe the preventive measure."))
    owner = _measure_owner(owner, complaint)
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise DomainError(_("Enter a date."), code="invalid", field="due_on")
    if due_on < timezone.localdate(now):
        raise DomainError(_("The due date cannot be in the past."), code="past_due", field="due_on")
    measure = PreventiveMeasure.objects.create(
        complaint=complaint, description=description, owner=owner, due_on=due_on, created_by=actor
    )
    record(complaint, "measure_added", actor=actor, now=now, note=description)
    if owner.pk != actor.pk:
        tell_staff(
            complaint,
            "measure",
            _("A preventive measure for you, due %(due_on)s"),
            _("After complaint %(number)s, you are to see to this by %(due_on)s: %(measure)s"),
            users=[owner],
            now=now,
            key=f"measure:{measure.pk}",
            due_on=due_on.isoformat(),
            measure=description[:200],
        )
    return measure


@transaction.atomic
def measure_done(
    *,
    actor,
    measure: PreventiveMeasure,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PreventiveMeasure:
    """The measure's owner (or a handler of the complaint) marks it done — also after closing.
    Refused if the measure changed since ``expected_version``."""
    now = now or timezone.now()
    measure = PreventiveMeasure.objects.select_for_update().get(pk=measure.pk)
    check_version(
        measure,
        expected_version,
        message=_("Someone else changed this measure meanwhile. Reload it and try again."),
    )
    complaint = measure.complaint
    if actor.pk != measure.owner_id:
        check_visible(actor, complaint)
        if not rules.handles(actor, complaint):
            raise Forbidden(
                _("Only the measure's owner or the complaint's handlers mark it done."),
                code="forbidden",
            )
    require(actor, "measure.done")
    if measure.done_at is not None:
        raise Conflict(_("The measure is already done."), code="done", field="done_at")
    measure.done_at, measure.done_by, measure.done_note = now, actor, (note or "").strip()[:300]
    measure.version += 1
    measure.save(update_fields=["done_at", "done_by", "done_note", "version", "updated_at"])
    record(complaint, "measure_done", actor=actor, now=now, note=measure.description[:200])
    return measure


# --- the corrective action report -------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    actor,
    complaint: Complaint,
    title: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **sections,
) -> CorrectiveActionReport:
    """Write (or rewrite) the report while it is a draft or was returned."""
    now = now or timezone.now()
    complaint = locked(complaint, expected_version)
    check_visible(actor, complaint)
    if not rules.writes_report(actor, complaint):
        raise Forbidden(NOT_YOURS, code="not_your_level")
    unknown = set(sections) - set(Report.SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections: {sorted(unknown)}")
    title = required(title, "title", _("Give the report a title."))
    report = Report.objects.select_for_update().filter(complaint=complaint).first()
    if report is None:
        report = Report(complaint=complaint, office_id=complaint.office_id, prepared_by=actor)
    elif report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise Conflict(
            _("A submitted or approved report cannot be changed."),
            code="report_locked",
            field="state",
        )
    report.title = title
    for name, value in sections.items():
        setattr(report, name, (value or "").strip())
    if report.pk is not None:
        report.version += 1  # a new text: a step taken on the old one is refused
    report.save()
    return report


def _locked_report(report: CorrectiveActionReport, expected_version: int | None, *related):
    """Lock the report's row and re-read it; refuse a step taken against an older version."""
    report = (
        Report.objects.select_for_update(of=("self",)).select_related(*related).get(pk=report.pk)
    )
    check_version(
        report,
        expected_version,
        message=_("Someone else changed this report meanwhile. Reload it and try again."),
    )
    return report


@transaction.atomic
def report_submit(
    *, actor, report: CorrectiveActionReport, expected_version: int | None = None, now=None
) -> CorrectiveActionReport:
    now = now or timezone.now()
    report = _locked_report(report, expected_version, "complaint")
    check_visible(actor, report.complaint)
    if not rules.writes_report(actor, report.complaint):
        raise Forbidden(NOT_YOURS, code="not_your_level")
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise Conflict(
            _("The report has already been submitted."), code="report_locked", field="state"
        )
    for name in Report.SECTIONS:
        if not getattr(report, name).strip():
            raise DomainError(
                _("Fill in every section of the report: %(section)s is empty.")
                % {"section": Report._meta.get_field(name).verbose_name},
                code="required",
                field=name,
            )
    report.state, report.submitted_by, report.submitted_at = Report.State.SUBMITTED, actor, now
    report.version += 1
    report.save(update_fields=["state", "submitted_by", "submitted_at", "version", "updated_at"])
    record(report.complaint, "report_submitted", actor=actor, now=now, note=report.title)
    quality = User.objects.filter(role=Role.QUALITY, is_active=True).exclude(
        pk__in={report.prepared_by_id, actor.pk}
    )
    tell_staff(
        report.complaint,
        "report_submitted",
        _("Corrective action report to approve: %(title)s"),
        _("A corrective action report on complaint %(number)s waits for approval: %(title)s"),
        users=quality,
        now=now,
        key=f"report:{report.pk}:submitted:{now.timestamp()}",
        title=report.title,
    )
    return report


def _announcement(report: CorrectiveActionReport) -> tuple[str, str]:
    """The report as the company's internal notice: its five sections, no customer's name."""
    with translation.override(settings.LANGUAGE_CODE):
        title = str(_("Corrective action report %(number)s: %(title)s")) % {
            "number": report.number,
            "title": report.title,
        }
        parts = [
            f"{_('Office')}: {report.office.name}",
            f"{_('Complaint')}: {report.complaint.ticket.number}",
        ]
        for name in Report.SECTIONS:
            label = Report._meta.get_field(name).verbose_name
            parts += ["", f"{str(label).capitalize()}:", getattr(report, name)]
        return title[:200], "\n".join(parts)


@transaction.atomic
def report_approve(
    *, actor, report: CorrectiveActionReport, expected_version: int | None = None, now=None
) -> CorrectiveActionReport:
    """Quality approves (never one's own report): it is numbered, announced company-wide as an
    internal notice that reaches every member of staff's inbox, and kept in the register."""
    from propdesk.notices.models import Notice
    from propdesk.notices.services import notice_create, notice_publish

    now = now or timezone.now()
    report = _locked_report(report, expected_version, "complaint__ticket", "office")
    check_visible(actor, report.complaint)
    require(actor, "report.approve")
    if report.state != Report.State.SUBMITTED:
        raise Conflict(
            _("Only a submitted report can be approved."),
            code="transition_not_allowed",
            field="state",
        )
    if actor.pk in (report.prepared_by_id, report.submitted_by_id):
        raise Forbidden(
            _("You cannot approve a report you wrote or submitted."),
            code="own_report",
            field="approved_by",
        )
    report.state, report.approved_by, report.approved_at = Report.State.APPROVED, actor, now
    report.number = f"CAR-{timezone.localtime(now):%Y}-{report.pk:05d}"
    title, body = _announcement(report)
    with translation.override(settings.LANGUAGE_CODE):
        notice = notice_create(
            actor=actor,
            scope=Notice.Scope.COMPANY,
            audience=Notice.Audience.STAFF,
            category=Notice.Category.CORRECTIVE_ACTION,
            title=title,
            body=body,
            by_board=True,
            by_notification=True,
            by_network=False,
        )
        report.notice = notice_publish(actor=actor, notice=notice, now=now)
    report.version += 1
    fields = ["state", "approved_by", "approved_at", "number", "notice", "version", "updated_at"]
    report.save(update_fields=fields)
    record(report.complaint, "report_approved", actor=actor, now=now, note=report.number)
    return report


@transaction.atomic
def report_return(
    *,
    actor,
    report: CorrectiveActionReport,
    reason: str,
    expected_version: int | None = None,
    now=None,
) -> CorrectiveActionReport:
    now = now or timezone.now()
    report = _locked_report(report, expected_version, "complaint")
    check_visible(actor, report.complaint)
    require(actor, "report.approve")
    reason = required(reason, "reason", _("Say what the report needs."))
    if report.state != Report.State.SUBMITTED:
        raise Conflict(
            _("Only a submitted report can be returned."),
            code="transition_not_allowed",
            field="state",
        )
    report.state, report.return_reason = Report.State.RETURNED, reason
    report.version += 1
    report.save(update_fields=["state", "return_reason", "version", "updated_at"])
    record(report.complaint, "report_returned", actor=actor, now=now, note=reason)
    tell_staff(
        report.complaint,
        "report_returned",
        _("Corrective action report returned: %(title)s"),
        _("Your corrective action report on complaint %(number)s was returned: %(reason)s"),
        users=User.objects.filter(pk__in={report.prepared_by_id, report.submitted_by_id}),
        now=now,
        key=f"report:{report.pk}:returned:{now.timestamp()}",
        title=report.title,
        reason=reason,
    )
    return report
