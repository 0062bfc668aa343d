"""M18–M20, M23: the company's corrective plan, the answer to the customer, no closing without
the contact, the cause and the prevention; the corrective action report announced to all staff;
and the clocks."""

import pytest

from propdesk.complaints import selectors
from propdesk.complaints.models import Complaint, CorrectiveActionReport, CorrectivePlan
from propdesk.complaints.services import clocks, handling, prevention
from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.jobs import run_job
from propdesk.core.models import Notification
from propdesk.notices import selectors as notice_selectors
from propdesk.notices.models import Notice
from propdesk.notices.services import notice_fan_out
from propdesk.org.models import User
from propdesk.tickets.models import Status

from .conftest import NOW, close_out

pytestmark = pytest.mark.django_db
Owner, S = Complaint.Owner, Complaint.State
REPORT = {
    "title": "电梯困人投诉的纠正措施",
    "facts": "6月1日3栋电梯困人40分钟",
    "cause": "维保单位未按期更换门机板",
    "correction": "更换门机板, 对维保单位罚款",
    "prevention": "每月核查维保记录",
    "verification": "连续三个月无同类故障",
}


def _inbox(user, event=None):
    qs = Notification.objects.filter(user=user, channel="in_app")
    return qs.filter(event=event) if event else qs


def test_m19_an_office_complaint_is_closed_with_the_contact_cause_and_prevention(
    file, agent, customer
):
    complaint = close_out(file(), handler=agent)
    assert complaint.state == S.CLOSED and complaint.ticket.status == Status.CLOSED
    assert complaint.answer_contact.direction == "out"
    assert Notification.objects.filter(customer=customer, event="complaint.closed").exists()


def test_m19_closing_without_the_answer_is_refused_and_changes_nothing(file, agent, at):
    complaint = file()
    handling.complaint_resolve(actor=agent, complaint=complaint, resolution="已处理", now=at(1))
    prevention.cause_record(
        actor=agent, complaint=complaint, cause_category="process", analysis="排班", now=at(1)
    )
    prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="核对",
        owner=agent,
        due_on=at(48).date(),
        now=at(1),
    )
    with pytest.raises(Conflict) as err:
        handling.complaint_close(actor=agent, complaint=complaint, now=at(2))
    assert (err.value.code, err.value.field) == ("no_answer_contact", "answer")
    complaint.refresh_from_db()
    assert complaint.state == S.RESOLVED and complaint.closed_at is None


def test_m20_closing_without_cause_or_prevention_is_refused(file, agent, at):
    complaint = file()
    handling.complaint_resolve(actor=agent, complaint=complaint, resolution="已处理", now=at(1))
    handling.complaint_answer(
        actor=agent, complaint=complaint, summary="客户满意", satisfied=True, now=at(1)
    )
    with pytest.raises(Conflict) as err:
        handling.complaint_close(actor=agent, complaint=complaint, now=at(2))
    assert err.value.code == "no_cause"
    prevention.cause_record(
        actor=agent, complaint=complaint, cause_category="staff", analysis="新员工不熟悉", now=at(2)
    )
    with pytest.raises(Conflict) as err:
        handling.complaint_close(actor=agent, complaint=complaint, now=at(2))
    assert (err.value.code, err.value.field) == ("no_prevention", "measures")
    complaint.refresh_from_db()
    assert complaint.state == S.ANSWERED


def test_m20_a_measure_needs_an_owner_and_a_date_not_past(file, agent, other_agent, director, at):
    complaint = file(about_staff=[])
    with pytest.raises(DomainError) as err:
        prevention.measure_add(
            actor=agent,
            complaint=complaint,
            description="x",
            owner=agent,
            due_on=at(-48).date(),
            now=at(),
        )
    assert err.value.field == "due_on"
    with pytest.raises(DomainError) as err:
        prevention.measure_add(
            actor=agent,
            complaint=complaint,
            description="x",
            owner=other_agent,
            due_on=at(48).date(),
            now=at(),
        )
    assert err.value.field == "owner"
    measure = prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="培训",
        owner=director,
        due_on=at(48).date(),
        now=at(),
    )
    assert _inbox(director, "complaint.measure").exists()
    prevention.measure_done(actor=director, measure=measure, note="已培训", now=at(30))
    with pytest.raises(Conflict):
        prevention.measure_done(actor=director, measure=measure, now=at(31))


def test_m23_not_satisfied_with_the_answer_resumes_the_handling(file, agent, director, at):
    complaint = file()
    handling.complaint_resolve(actor=agent, complaint=complaint, resolution="已清理", now=at(1))
    handling.complaint_answer(
        actor=agent, complaint=complaint, summary="未接通", reached=False, now=at(2)
    )
    complaint.refresh_from_db()
    assert complaint.state == S.RESOLVED  # still to be answered
    handling.complaint_answer(
        actor=agent, complaint=complaint, summary="客户认为仍有异味", satisfied=False, now=at(3)
    )
    complaint.refresh_from_db()
    assert (complaint.state, complaint.reopen_count) == (S.IN_PROGRESS, 1)
    assert complaint.ticket.status == Status.IN_PROGRESS
    assert _inbox(director, "complaint.reopened").exists()


def test_m18_company_level_plan_report_accept_then_a_company_department_answers(
    file, agent, director, quality, followup, customer, at
):
    complaint = file()
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="需公司协调", now=at(1))
    with pytest.raises(Conflict) as err:  # no plan carried out yet
        handling.complaint_resolve(actor=quality, complaint=complaint, resolution="x", now=at(2))
    assert err.value.code == "plan_not_accepted"
    plan = handling.plan_issue(
        actor=quality,
        complaint=complaint,
        plan="三日内完成楼道清理并调整排班",
        due_at=at(72),
        now=at(2),
    )
    assert _inbox(director, "complaint.plan_issued").exists()
    with pytest.raises(Conflict):  # not reported yet
        handling.plan_accept(actor=quality, plan=plan, now=at(3))
    handling.plan_report(actor=agent, plan=plan, report="已完成清理并调整排班", now=at(20))
    with pytest.raises(DomainError) as err:
        handling.plan_return(actor=quality, plan=plan, reason="", now=at(21))
    assert err.value.field == "reason"
    handling.plan_return(actor=quality, plan=plan, reason="缺少排班表", now=at(21))
    handling.plan_report(actor=agent, plan=plan, report="附排班表", now=at(22))
    handling.plan_accept(actor=quality, plan=plan, now=at(23))
    plan.refresh_from_db()
    assert plan.state == CorrectivePlan.State.ACCEPTED
    handling.complaint_resolve(
        actor=quality, complaint=complaint, resolution="按方案解决", now=at(24)
    )
    assert _inbox(followup, "complaint.to_answer").exists()
    with pytest.raises(Forbidden):  # at company level a company department makes the contact
        handling.complaint_answer(
            actor=agent, complaint=complaint, summary="x", satisfied=True, now=at(25)
        )
    handling.complaint_answer(
        actor=followup,
        complaint=complaint,
        summary="公司回访, 客户满意",
        satisfied=True,
        now=at(25),
    )
    complaint.refresh_from_db()
    assert complaint.state == S.ANSWERED and complaint.answer_contact.staff == followup
    kinds = list(complaint.ticket.events.values_list("kind", flat=True))
    for kind in ("complaint_escalated", "plan_issued", "plan_returned", "plan_accepted"):
        assert kind in kinds


def _major_answered(file, leadership, quality, at):
    complaint = file(severity="major", compensation_claimed="5000", account="电梯困人")
    plan = handling.plan_issue(
        actor=leadership, complaint=complaint, plan="更换部件", due_at=at(48), now=at(1)
    )
    return complaint, plan


def test_m20_a_major_complaint_closes_only_with_an_approved_report_announced_to_all_staff(
    file, agent, director, leadership, quality, quality2, followup, technician, customer, at
):
    complaint, plan = _major_answered(file, leadership, quality, at)
    handling.plan_report(actor=agent, plan=plan, report="已更换", now=at(10))
    handling.plan_accept(actor=leadership, plan=plan, now=at(11))
    handling.complaint_resolve(
        actor=leadership,
        complaint=complaint,
        resolution="更换部件并赔偿",
        compensation_agreed="3000",
        now=at(12),
    )
    handling.complaint_answer(
        actor=followup, complaint=complaint, summary="客户接受", satisfied=True, now=at(13)
    )
    prevention.cause_record(
        actor=leadership,
        complaint=complaint,
        cause_category="supplier",
        analysis="维保不到位",
        now=at(13),
    )
    prevention.measure_add(
        actor=leadership,
        complaint=complaint,
        description="每月核查",
        owner=quality,
        due_on=at(200).date(),
        now=at(13),
    )
    with pytest.raises(Conflict) as err:
        handling.complaint_close(actor=leadership, complaint=complaint, now=at(14))
    assert err.value.code == "report_not_approved"
    report = prevention.report_save(
        actor=quality, complaint=complaint, **{**REPORT, "verification": ""}, now=at(14)
    )
    with pytest.raises(DomainError) as err:  # the empty section is named
        prevention.report_submit(actor=quality, report=report, now=at(14))
    assert err.value.field == "verification"
    report = prevention.report_save(actor=quality, complaint=complaint, **REPORT, now=at(14))
    prevention.report_submit(actor=quality, report=report, now=at(15))
    assert _inbox(quality2, "complaint.report_submitted").exists()
    with pytest.raises(Forbidden) as err:  # never one's own
        prevention.report_approve(actor=quality, report=report, now=at(16))
    assert err.value.code == "own_report"
    report.refresh_from_db()
    assert report.state == CorrectiveActionReport.State.SUBMITTED and report.notice is None
    with pytest.raises(Forbidden):  # only Quality approves
        prevention.report_approve(actor=leadership, report=report, now=at(16))
    prevention.report_approve(actor=quality2, report=report, now=at(16))
    report.refresh_from_db()
    assert report.number == f"CAR-2026-{report.pk:05d}"
    notice = report.notice
    assert (notice.audience, notice.scope, notice.state) == ("staff", "company", "published")
    notice_fan_out(notice_id=notice.pk, now=at(16))  # the task after commit
    notice_fan_out(notice_id=notice.pk, now=at(17))  # run again: nothing more
    staff = User.objects.filter(is_active=True)
    for person in staff:
        assert _inbox(person, "notice_published").count() == 1, person
    assert not Notification.objects.filter(customer=customer, event="notice_published").exists()
    assert not notice_selectors.notices_for_customer(customer).exists()
    assert list(selectors.register(technician)) == [report]  # the register is company-wide
    assert list(selectors.register(technician, q="维保")) == [report]
    handling.complaint_close(actor=leadership, complaint=complaint, now=at(18))


def test_m19_clocks_remind_then_escalate_once(customer, agent, director, quality, at):
    from propdesk.complaints.services import intake

    complaint = intake.complaint_file_by_customer(
        customer=customer, account="保安不让快递进门", category="security", now=NOW
    )
    assert clocks.clock_alerts(now=at(10))["reminded"] == 0  # 14 of 24 hours left
    clocks.clock_alerts(now=at(19))
    clocks.clock_alerts(now=at(20))
    assert _inbox(agent, "complaint.first_response_due").count() == 1
    run_job("complaint_clocks", now=at(25))
    run_job("complaint_clocks", now=at(26))
    complaint.refresh_from_db()
    assert complaint.owner == Owner.QUALITY
    assert complaint.escalations.filter(cause="first_response_late").count() == 1
    assert _inbox(quality, "complaint.escalated").count() == 1
    assert _inbox(director, "complaint.first_response_late").count() == 1


def test_m19_deadline_alerts_of_requests_leave_complaints_to_their_clocks(file, director, at):
    from propdesk.tickets.jobs import ticket_deadline_alerts

    file()
    ticket_deadline_alerts(now=at(71))
    ticket_deadline_alerts(now=at(73))
    assert not _inbox(director).filter(event__startswith="ticket.").exists()


def test_m23_the_customer_sees_progress_not_internal_notes(file, agent, customer, at):
    complaint = file()
    handling.complaint_escalate(
        actor=agent, complaint=complaint, reason="内部: 保洁外包合同问题", now=at(1)
    )
    visible = complaint.ticket.events.filter(customer_visible=True)
    assert "complaint_escalated" in visible.values_list("kind", flat=True)
    from propdesk.tickets.events import customer_note

    escalated = visible.get(kind="complaint_escalated")
    assert customer_note(escalated) == ""  # the internal reason stays internal
    assert list(selectors.complaints_of_customer(customer)) == [complaint]


def test_m20_a_staff_notice_is_never_shown_to_customers(quality, customer):
    from propdesk.notices.services import notice_create, notice_publish

    with pytest.raises(DomainError):  # never on the portal
        notice_create(
            actor=quality,
            scope="company",
            audience="staff",
            category="internal",
            title="内部通告",
            body="x",
            by_network=True,
        )
    notice = notice_create(
        actor=quality,
        scope="company",
        audience="staff",
        category="internal",
        title="内部通告",
        body="x",
        by_network=False,
        by_notification=True,
    )
    notice_publish(actor=quality, notice=notice, now=NOW)
    assert not notice_selectors.notices_for_customer(customer).exists()
    assert Notice.objects.get().audience == "staff"
    assert not notice_selectors.audience_customers(notice).exists()
