"""M17–M20, M23 in the console: the complaint desk and the company desk, intake, a complaint's
page with one form per action, the corrective action reports and their register, and one's own
preventive measures. Every refusal shows the service's message and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.complaints.models import (
    Complaint,
    CorrectiveActionReport,
    CorrectivePlan,
    Escalation,
    PreventiveMeasure,
)
from propdesk.complaints.services import handling, intake, prevention
from propdesk.tickets.models import Ticket
from tests.queries import count_queries, max_queries, same_queries

from .conftest import HEARD, NOW

pytestmark = pytest.mark.django_db
Owner, S = Complaint.Owner, Complaint.State
Report = CorrectiveActionReport
DESK = reverse("console:complaints")
NEW = reverse("console:complaint_new")
REPORT = {
    "title": "电梯困人投诉的纠正措施",
    "facts": "6月1日3栋电梯困人40分钟",
    "cause": "维保单位未按期更换门机板",
    "correction": "更换门机板, 对维保单位罚款",
    "prevention": "每月核查维保记录",
    "verification": "连续三个月无同类故障",
}
LATER = NOW + dt.timedelta(hours=1)  # the console's clock in these tests: 11:00 in Shanghai


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(LATER, tick=False)
    return time_machine


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def text(response) -> str:
    return response.content.decode()


def url(name, *args) -> str:
    return reverse(f"console:{name}", args=args)


def page_of(complaint) -> str:
    return url("complaint", complaint.pk)


def _intake(customer, **change) -> dict:
    data = {
        "customer": customer.pk,
        "channel": "hotline",
        "account": "楼道垃圾三天没人清理, 气味很大",
        "listened": "on",
        "understanding": HEARD["understanding"],
        "explanation": HEARD["explanation"],
        "category": "environment",
        "severity": "general",
        "idempotency_key": "k1",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def _rows(response) -> list:
    return [c.pk for c in response.context["page"]]


# --- the desk -----------------------------------------------------------------------------------


def test_m19_the_office_desk_filters_its_own_complaints(
    login, file, agent, other_agent, other_customer
):
    dirty = file()
    rude = file(account="保安态度恶劣", category="attitude", severity="serious")
    elsewhere = file(actor=other_agent, customer=other_customer)
    desk = login(agent)
    response = desk.get(DESK)
    assert response.status_code == 200
    assert _rows(response) == [rude.pk, dirty.pk]  # open, newest first; not another office's
    assert elsewhere.ticket.number not in text(response)
    assert "office" not in response.context["form"].fields
    assert _rows(desk.get(DESK, {"category": "attitude"})) == [rude.pk]
    assert _rows(desk.get(DESK, {"severity": "serious"})) == [rude.pk]
    assert _rows(desk.get(DESK, {"q": dirty.ticket.number})) == [dirty.pk]
    assert _rows(desk.get(DESK, {"q": "张"})) == [rude.pk, dirty.pk]
    assert _rows(desk.get(DESK, {"state": "received"})) == []  # heard live: being handled
    assert _rows(desk.get(DESK, {"state": "in_progress", "owner": "service_center"})) == [
        rude.pk,
        dirty.pk,
    ]
    assert _rows(desk.get(DESK, {"open": "closed"})) == []
    empty = desk.get(DESK, {"state": "closed"})
    assert "No complaints here." in text(empty)


def test_m18_the_company_desk_opens_on_its_own_level(
    login, file, agent, quality, leadership, other_agent, other_customer, other_office
):
    office_level = file()
    elsewhere = file(actor=other_agent, customer=other_customer)
    handling.complaint_escalate(actor=other_agent, complaint=elsewhere, reason="需公司协调")
    compensation = file(compensation_claimed="800")
    desk = login(quality)
    response = desk.get(DESK)
    assert "Company complaint desk" in text(response)
    assert _rows(response) == [elsewhere.pk]  # Quality's own level by default
    assert _rows(desk.get(DESK, {"owner": ""})) == [compensation.pk, elsewhere.pk, office_level.pk]
    assert _rows(desk.get(DESK, {"owner": "", "office": other_office.pk})) == [elsewhere.pk]
    assert _rows(login(leadership).get(DESK)) == [compensation.pk]


def test_m19_the_desk_reads_a_constant_number_of_queries(login, file, agent):
    file()
    desk = login(agent)
    with count_queries() as one:
        assert desk.get(DESK).status_code == 200
    for i in range(12):
        file(account=f"投诉{i}")
    with count_queries() as many:
        response = desk.get(DESK)
    assert len(response.context["page"]) == 13
    same_queries(one, many)
    with max_queries(8):
        desk.get(DESK, {"category": "environment", "q": "张"})


def test_m19_the_desk_shows_overdue_clocks_red_and_nearly_due_amber(
    login, customer, agent, time_machine
):
    late = intake.complaint_file_by_customer(
        customer=customer, account="维修工态度恶劣", category="attitude", now=NOW
    )
    soon = intake.complaint_file_by_customer(
        customer=customer,
        account="楼下噪音",
        category="neighbours",
        now=NOW + dt.timedelta(hours=10),
    )
    # 30 hours on: the first's 24 hours to respond are past; the second has 4 of its 24 left,
    # a quarter or less.
    time_machine.move_to(NOW + dt.timedelta(hours=30), tick=False)
    response = login(agent).get(DESK)
    rows = {c.pk: c for c in response.context["page"]}
    assert rows[late.pk].first_clock.state == "overdue"
    assert rows[soon.pk].first_clock.state == "soon"
    assert rows[late.pk].resolution_clock.state == "running"
    page = text(response)
    assert 'badge red">overdue' in page and 'badge amber">due soon' in page


def test_m19_a_technician_may_not_open_the_desk(login, file, technician):
    complaint = file()
    response = login(technician).get(DESK)
    assert response.status_code == 403 and "Your role may not do this." in text(response)
    assert login(technician).get(page_of(complaint)).status_code == 404


# --- intake (M17) -------------------------------------------------------------------------------


def test_m17_intake_finds_the_customer_then_records_a_live_complaint(login, agent, customer):
    desk = login(agent)
    found = desk.get(NEW, {"q": "张"})
    assert found.status_code == 200 and f"?customer={customer.pk}" in text(found)
    form = desk.get(NEW, {"customer": customer.pk})
    assert form.status_code == 200
    assert "Major: an injury or a safety risk" in text(form)  # the severity's help
    response = desk.post(NEW, _intake(customer))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == page_of(complaint)
    assert (complaint.state, complaint.owner) == (S.IN_PROGRESS, Owner.SERVICE_CENTER)
    assert complaint.listened and complaint.ticket.channel == "hotline"
    assert complaint.ticket.household == customer.households.get()  # the only one, chosen
    page = desk.get(response.url)
    assert f"Complaint {complaint.ticket.number} received." in text(page)
    assert "楼道垃圾三天没人清理" in text(page)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"account": " "}, "Write down the customer&#x27;s account, in their words."),
        ({"listened": None}, "Listen to the customer to the end before recording the complaint."),
        ({"explanation": ""}, "Note the explanation you gave."),
        ({"compensation_claimed": "abc"}, "Enter an amount in yuan."),
        ({"category": ""}, "Choose a category."),
        ({"channel": "portal"}, "Select a valid choice."),
    ],
)
def test_m17_intake_bad_input_shows_the_message_and_writes_nothing(
    login, agent, customer, change, message
):
    response = login(agent).post(NEW, _intake(customer, **change))
    assert response.status_code == 400
    assert message in text(response)
    assert "Nothing was recorded" in text(response)
    assert not Complaint.objects.exists() and not Ticket.objects.exists()


def test_m17_a_written_complaint_needs_no_listening_and_waits_for_its_response(
    login, agent, customer
):
    data = _intake(customer, channel="forum", listened=None, understanding="", explanation="")
    assert login(agent).post(NEW, data).status_code == 302
    assert Complaint.objects.get().state == S.RECEIVED


def test_m18_a_compensation_claim_lands_with_leadership(login, agent, customer):
    response = login(agent).post(NEW, _intake(customer, compensation_claimed="800"), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.owner == Owner.LEADERSHIP and complaint.severity == "serious"
    page = text(response)
    assert "It is handled by Company leadership." in page
    assert "Handled by: <strong>Company leadership</strong>" in page
    assert "Economic compensation claimed" in page  # the escalation, with its reason


def test_m18_a_director_named_never_finds_the_complaint(login, file, agent, director):
    complaint = file(about_staff=[director])
    assert complaint.owner == Owner.LEADERSHIP
    assert login(director).get(page_of(complaint)).status_code == 404
    assert complaint.ticket.number not in text(login(director).get(DESK, {"owner": ""}))
    assert login(agent).get(page_of(complaint)).status_code == 200


# --- the complaint's page -----------------------------------------------------------------------


def test_m19_an_agent_cannot_escalate_without_a_reason(login, file, agent):
    complaint = file()
    page = login(agent)
    response = page.post(url("complaint_escalate", complaint.pk), {"reason": " "})
    assert response.status_code == 400
    assert "Say why the complaint is passed up." in text(response)
    complaint.refresh_from_db()
    assert complaint.owner == Owner.SERVICE_CENTER and not Escalation.objects.exists()
    response = page.post(url("complaint_escalate", complaint.pk), {"reason": "需公司协调赔付"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.owner == Owner.QUALITY
    after = text(page.get(page_of(complaint)))
    assert "需公司协调赔付" in after and "Pass up a level" not in after  # Quality's now


def test_m19_the_office_level_path_through_the_console_ends_closed(login, file, agent, customer):
    complaint = file()
    page = login(agent)
    shown = text(page.get(page_of(complaint)))
    assert 'id="action-resolve"' in shown and "Close the complaint" not in shown
    due = (LATER + dt.timedelta(days=7)).date().isoformat()
    steps = [
        ("complaint_resolve", {"resolution": "已清理并消毒"}),
        (
            "complaint_answer",
            {
                "summary": "回访: 客户满意",
                "channel": "hotline",
                "reached": "on",
                "satisfied": "yes",
            },
        ),
        ("complaint_cause", {"cause_category": "process", "analysis": "保洁排班漏掉该楼道"}),
        ("complaint_measure", {"description": "排班表逐楼核对", "owner": agent.pk, "due_on": due}),
    ]
    for name, data in steps:
        response = page.post(url(name, complaint.pk), data)
        assert response.status_code == 302, (name, text(response))
    confirm = page.get(url("complaint_close", complaint.pk))
    assert confirm.status_code == 200
    assert "Closing ends the handling for good" in text(confirm)
    assert "Not everything is done yet" not in text(confirm)
    assert page.post(url("complaint_close", complaint.pk)).status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == S.CLOSED and complaint.answer_contact.summary == "回访: 客户满意"
    closed = text(page.get(page_of(complaint)))
    assert "Nothing for you to do on this complaint now." in closed
    assert "Complaint closed" in closed  # on the timeline


def test_m19_closing_without_the_answer_is_refused_with_its_message(login, file, agent):
    complaint = file()
    page = login(agent)
    page.post(url("complaint_resolve", complaint.pk), {"resolution": "已处理"})
    response = page.post(url("complaint_close", complaint.pk))
    assert response.status_code == 409
    assert "Contact the customer with the outcome before closing the complaint." in text(response)
    complaint.refresh_from_db()
    assert complaint.state == S.RESOLVED and complaint.closed_at is None


def test_m23_a_customer_not_satisfied_resumes_the_handling(login, file, agent):
    complaint = file()
    page = login(agent)
    page.post(url("complaint_resolve", complaint.pk), {"resolution": "已处理"})
    data = {"summary": "客户仍不满意", "channel": "hotline", "reached": "on", "satisfied": "no"}
    response = page.post(url("complaint_answer", complaint.pk), data, follow=True)
    assert "the complaint is being handled again" in text(response)
    complaint.refresh_from_db()
    assert complaint.state == S.IN_PROGRESS and complaint.reopen_count == 1


def test_m18_the_company_plan_is_issued_reported_and_accepted_through_the_pages(
    login, client, file, agent, quality, followup
):
    complaint = file()
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="需公司协调")
    as_quality = login(quality)
    shown = text(as_quality.get(page_of(complaint)))
    assert "Issue a corrective plan" in shown
    assert 'id="action-resolve"' not in shown  # the plan first (M18)
    response = as_quality.post(
        url("complaint_plan", complaint.pk), {"plan": "三日内清理并调整排班", "due_at": ""}
    )
    assert response.status_code == 400 and "Choose a time in the future." in text(response)
    assert not CorrectivePlan.objects.exists()
    response = as_quality.post(
        url("complaint_plan", complaint.pk),
        {"plan": "三日内清理并调整排班", "due_at": "2026-06-04T10:00"},
    )
    assert response.status_code == 302
    plan = CorrectivePlan.objects.get()
    as_agent = login(agent)
    assert "Report the corrective plan done" in text(as_agent.get(page_of(complaint)))
    response = as_agent.post(url("plan_report", complaint.pk, plan.pk), {"report": "已完成清理"})
    assert response.status_code == 302
    as_quality = login(quality)
    assert "Accept the office&#x27;s report" in text(as_quality.get(page_of(complaint)))
    assert as_quality.post(url("plan_accept", complaint.pk, plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.state == CorrectivePlan.State.ACCEPTED
    response = as_quality.post(url("complaint_resolve", complaint.pk), {"resolution": "按方案"})
    assert response.status_code == 302
    # At company level a company department makes the contact (M18): not the office.
    as_agent = login(agent)
    assert "Contact the customer with the outcome" not in text(as_agent.get(page_of(complaint)))
    refused = as_agent.post(
        url("complaint_answer", complaint.pk),
        {"summary": "x", "channel": "hotline", "reached": "on", "satisfied": "yes"},
    )
    assert refused.status_code == 403
    assert "handled at another level" in text(refused)
    assert "Contact the customer with the outcome" in text(login(followup).get(page_of(complaint)))


def test_m18_returning_a_plan_needs_what_is_still_to_be_done(login, file, agent, quality):
    complaint = file()
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="需公司协调")
    plan = handling.plan_issue(
        actor=quality, complaint=complaint, plan="清理", due_at=LATER + dt.timedelta(days=3)
    )
    handling.plan_report(actor=agent, plan=plan, report="已完成")
    response = login(quality).post(url("plan_return", complaint.pk, plan.pk), {"reason": ""})
    assert response.status_code == 400 and "Say what is still to be done." in text(response)
    plan.refresh_from_db()
    assert plan.state == CorrectivePlan.State.REPORTED


def test_m18_quality_reclassifies_to_major_and_naming_the_director_goes_to_leadership(
    login, file, agent, quality, director
):
    complaint = file()
    response = login(quality).post(
        url("complaint_reclassify", complaint.pk),
        {
            "reason": "客户反映主任处理不当",
            "severity": "major",
            "about_staff": [director.pk],
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.severity, complaint.owner) == ("major", Owner.LEADERSHIP)
    assert login(director).get(page_of(complaint)).status_code == 404


def test_m19_an_agent_changes_no_severity(login, file, agent):
    complaint = file()
    page = login(agent)
    assert 'id="id_reclassify_severity"' not in text(page.get(page_of(complaint)))
    # Posted anyway: the form has no such field, so the severity stays.
    page.post(url("complaint_reclassify", complaint.pk), {"reason": "x", "severity": "major"})
    complaint.refresh_from_db()
    assert complaint.severity == "general"


# --- corrective action reports (M20) ------------------------------------------------------------


@pytest.fixture
def major(file):
    return file(severity="major", account="电梯困人40分钟")


def test_m20_a_report_is_submitted_then_approved_by_another_quality_manager(
    login, major, quality, quality2
):
    as_quality = login(quality)
    assert "Write the report" in text(as_quality.get(page_of(major)))
    edit = url("complaint_report", major.pk)
    response = as_quality.post(edit, {**REPORT, "verification": "", "submit": "1"})
    assert response.status_code == 400
    assert "Fill in every section of the report: verification is empty." in text(response)
    assert not Report.objects.exists()  # a refused submission saves nothing either
    response = as_quality.post(edit, {**REPORT, "submit": "1"})
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == url("report", report.pk)
    assert report.state == Report.State.SUBMITTED and report.submitted_by == quality
    own = text(as_quality.get(url("report", report.pk)))
    assert "Approve and announce" not in own  # never one's own
    refused = as_quality.post(url("report_approve", report.pk), {"version": report.version})
    assert refused.status_code == 403
    assert "You cannot approve a report you wrote or submitted." in text(refused)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and report.notice is None
    as_other = login(quality2)
    assert "Approve and announce" in text(as_other.get(url("report", report.pk)))
    assert f'name="version" value="{report.version}"' in text(
        as_other.get(url("report", report.pk))
    )
    response = as_other.post(
        url("report_approve", report.pk), {"version": report.version}, follow=True
    )
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED and report.approved_by == quality2
    page = text(response)
    assert f"Report {report.number} approved and announced to all staff." in page
    assert url("notice", report.notice_id) in page


def test_m20_a_report_returned_needs_a_reason(login, major, quality, quality2):
    report = prevention.report_save(actor=quality, complaint=major, **REPORT)
    report = prevention.report_submit(actor=quality, report=report)
    page = login(quality2)
    seen = report.version
    response = page.post(url("report_return", report.pk), {"reason": " ", "version": seen})
    assert response.status_code == 400 and "Say what the report needs." in text(response)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    returned = page.post(url("report_return", report.pk), {"reason": "原因不具体", "version": seen})
    assert returned.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED


def test_m20_the_register_lists_approved_reports_for_every_member_of_staff(
    login, major, quality, quality2, technician
):
    draft_complaint = major
    report = prevention.report_save(actor=quality, complaint=major, **REPORT)
    prevention.report_submit(actor=quality, report=report)
    report = prevention.report_approve(actor=quality2, report=report)
    page = login(technician)
    with max_queries(8):
        response = page.get(url("reports"))
    assert response.status_code == 200 and _rows(response) == [report.pk]
    assert report.number in text(response)
    assert _rows(page.get(url("reports"), {"q": "维保"})) == [report.pk]
    assert _rows(page.get(url("reports"), {"q": "水管"})) == []
    assert "No approved reports." in text(page.get(url("reports"), {"q": "水管"}))
    detail = page.get(url("report", report.pk))
    assert detail.status_code == 200 and "每月核查维保记录" in text(detail)
    assert page_of(draft_complaint) not in text(detail)  # he does not see the complaint
    assert "Approve and announce" not in text(detail)


def test_m20_a_draft_report_is_not_in_the_register_nor_readable_by_a_technician(
    login, major, quality, technician
):
    report = prevention.report_save(actor=quality, complaint=major, **REPORT)
    page = login(technician)
    assert _rows(page.get(url("reports"))) == []
    assert page.get(url("report", report.pk)).status_code == 404


# --- preventive measures (M20) ------------------------------------------------------------------


def test_m20_my_measures_open_first_overdue_highlighted_and_marked_done(
    login, file, agent, director, time_machine
):
    complaint = file()
    today = LATER.date()
    soon = prevention.measure_add(
        actor=director,
        complaint=complaint,
        description="主管每日抽查",
        owner=agent,
        due_on=today + dt.timedelta(days=1),
    )
    later = prevention.measure_add(
        actor=director,
        complaint=complaint,
        description="排班表逐楼核对",
        owner=agent,
        due_on=today + dt.timedelta(days=10),
    )
    prevention.measure_add(
        actor=director, complaint=complaint, description="主任的", owner=director, due_on=today
    )
    time_machine.move_to(LATER + dt.timedelta(days=3), tick=False)
    page = login(agent)
    with max_queries(8):
        response = page.get(url("measures"))
    assert _rows(response) == [soon.pk, later.pk]  # only his own
    assert 'class="overdue"' in text(response) and "badge red" in text(response)
    done = page.post(
        url("measure_done", soon.pk), {"note": "已落实", "next": "measures", "version": 1}
    )
    assert done.status_code == 302 and done.url == url("measures")
    soon.refresh_from_db()
    assert soon.is_done and soon.done_note == "已落实"
    assert _rows(page.get(url("measures"))) == [later.pk, soon.pk]  # open first
    again = page.post(url("measure_done", soon.pk), {"next": "measures", "version": 2})
    assert again.status_code == 409 and "The measure is already done." in text(again)


def test_m20_a_handler_marks_a_measure_done_from_the_complaint(
    login, file, agent, director, technician
):
    complaint = file()
    measure = prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="维修工培训",
        owner=technician,
        due_on=LATER.date() + dt.timedelta(days=5),
    )
    page = login(director)
    assert url("measure_done", measure.pk) in text(page.get(page_of(complaint)))
    response = page.post(url("measure_done", measure.pk), {"next": "complaint", "version": 1})
    assert response.status_code == 302 and response.url == page_of(complaint)
    measure.refresh_from_db()
    assert measure.done_by == director
    # The technician owns one too and sees it on his own list (without the complaint's page).
    other = prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="工具检查",
        owner=technician,
        due_on=LATER.date() + dt.timedelta(days=5),
    )
    mine = login(technician).get(url("measures"))
    assert other.pk in _rows(mine) and page_of(complaint) not in text(mine)
    assert login(technician).post(url("measure_done", other.pk), {"version": 1}).status_code == 302


def test_m20_someone_else_s_measure_is_not_found(login, file, agent, other_agent):
    complaint = file()
    measure = prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="核对",
        owner=agent,
        due_on=LATER.date(),
    )
    assert login(other_agent).post(url("measure_done", measure.pk)).status_code == 404
    assert not PreventiveMeasure.objects.filter(done_at__isnull=False).exists()


# --- languages ----------------------------------------------------------------------------------


def test_m17_the_complaint_pages_render_in_chinese(
    settings, login, major, agent, quality, quality2
):
    settings.LANGUAGE_CODE = "zh-hans"
    report = prevention.report_save(actor=quality, complaint=major, **REPORT)
    prevention.report_submit(actor=quality, report=report)
    prevention.report_approve(actor=quality2, report=report)
    prevention.measure_add(
        actor=agent, complaint=major, description="每月核查", owner=agent, due_on=LATER.date()
    )
    page = login(agent)
    for address in (
        DESK,
        NEW,
        NEW + f"?customer={major.customer_id}",
        NEW + "?q=张",
        page_of(major),
        url("complaint_close", major.pk),
        url("reports"),
        url("report", report.pk),
        url("measures"),
    ):
        response = page.get(address)
        assert response.status_code == 200, address
        assert 'lang="zh-hans"' in text(response)


def test_m17_the_complaint_pages_render_in_english(login, major, agent, customer):
    page = login(agent)
    for address in (DESK, NEW + f"?customer={customer.pk}", page_of(major), url("measures")):
        response = page.get(address)
        assert response.status_code == 200 and 'lang="en"' in text(response), address


def test_m23_console_complaint_numbers_per_office_and_company(client, quality, agent, file):
    import time_machine

    from .conftest import NOW

    with time_machine.travel(NOW, tick=False):
        file()
    client.force_login(quality)
    page = client.get("/console/complaints/numbers/", {"start": "2026-05-31", "end": "2026-06-02"})
    assert page.status_code == 200
    total = page.context["total"]
    assert (total.received, total.responded) == (1, 1)
    assert "翠苑管理处" in page.content.decode()
    bad = client.get("/console/complaints/numbers/", {"start": "2026-06-05", "end": "2026-06-01"})
    assert (
        bad.status_code == 400 and "The period must start before it ends." in bad.content.decode()
    )
    client.force_login(agent)
    own = client.get("/console/complaints/numbers/", {"start": "2026-05-31", "end": "2026-06-02"})
    assert [row.office.pk for row in own.context["rows"]] == [agent.office_id]


def test_m17_a_follow_up_call_leads_to_the_complaint_intake(client, followup, customer):
    client.force_login(followup)
    page = client.get("/console/complaints/new/", {"customer": customer.pk, "channel": "followup"})
    assert page.status_code == 200
    assert page.context["form"]["channel"].value() == "followup"


def test_m20_the_staff_notice_of_a_report_is_marked_for_staff_in_the_console(
    client, technician, quality
):
    from propdesk.notices.services import notice_create, notice_publish

    notice = notice_create(
        actor=quality,
        scope="company",
        audience="staff",
        category="corrective_action",
        title="纠正措施报告 CAR-2026-00001",
        body="事实……",
        by_network=False,
        by_notification=True,
    )
    notice_publish(actor=quality, notice=notice)
    client.force_login(technician)
    page = client.get(f"/console/notices/{notice.pk}/").content.decode()
    assert "For staff only" in page and "纠正措施报告" in page
    assert "For staff only" in client.get("/console/notices/").content.decode()
