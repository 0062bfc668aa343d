"""M17–M20, M23 through the API: staff file and handle complaints at the right level, set the
cause and the prevention and write the corrective action report; a customer files a complaint
and follows its progress through the customer API. The clock stands at ``NOW`` throughout."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from propdesk.complaints.models import (
    Complaint,
    CorrectiveActionReport,
    CorrectivePlan,
    Escalation,
    PreventiveMeasure,
)
from propdesk.complaints.services import handling, prevention
from propdesk.org.tokens import token_issue
from propdesk.tickets.models import Ticket, TicketPhoto
from tests import factories as f
from tests.queries import count_queries, same_queries
from tests.versions import ReadingClient

from .conftest import HEARD, NOW

pytestmark = pytest.mark.django_db
Owner, S = Complaint.Owner, Complaint.State

URL = "/api/v1/complaints/"
REPORTS = "/api/v1/reports/"
MEASURES = "/api/v1/complaint-measures/"
PORTAL = "/api/v1/portal/complaints/"
LATER = (NOW + dt.timedelta(days=3)).isoformat()
REPORT = {
    "title": "电梯困人投诉的纠正措施",
    "facts": "6月1日3栋电梯困人40分钟",
    "cause": "维保单位未按期更换门机板",
    "correction": "更换门机板, 对维保单位罚款",
    "prevention": "每月核查维保记录",
    "verification": "连续三个月无同类故障",
}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The views read the real clock: it stands still at NOW (before any token is issued)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def as_user():
    """``as_user(user)``: a client of its own, signed in as ``user``, that reads before it
    writes (``ReadingClient``)."""

    def sign_in(user):
        client = ReadingClient()
        client.force_authenticate(user)
        return client

    return sign_in


@pytest.fixture
def new(customer):
    """The body of a complaint taken on the office's complaint line."""
    return {
        "customer": customer.pk,
        "channel": "hotline",
        "account": "楼道垃圾三天没人清理, 气味很大",
        "category": "environment",
        **HEARD,
    }


def detail(complaint, name="") -> str:
    return f"{URL}{complaint.pk}/" + (f"{name}/" if name else "")


def png(name="photo.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def queries(client, url, **params):
    with count_queries() as captured:
        answer = client.get(url, params)
    assert answer.status_code == 200, answer.json()
    return captured


def refused(answer, status, *, field=None, code=None):
    body = answer.json()
    assert answer.status_code == status, body
    if field is not None:
        assert body["field"] == field, body
    if code is not None:
        assert body["code"] == code, body
    return body


def unchanged(complaint, **expected):
    """Nothing changed: the complaint's state, level and timeline are as before."""
    before = complaint.ticket.events.count()
    complaint.refresh_from_db()
    for name, value in expected.items():
        assert getattr(complaint, name) == value, name
    assert complaint.ticket.events.count() == before


def written(file, **kwargs):
    """A complaint sent in writing (the forum): it waits for its first response."""
    kwargs.setdefault("channel", "forum")
    return file(listened=False, understanding="", explanation="", **kwargs)


def company_level(file, agent, **kwargs):
    complaint = file(**kwargs)
    return handling.complaint_escalate(
        actor=agent, complaint=complaint, reason="需公司协调", now=NOW
    )


# --- intake ------------------------------------------------------------------------------------


def test_m17_api_file_a_complaint_heard_on_the_phone_once_per_key(as_user, agent, new):
    api = as_user(agent)
    answer = api.post(URL, new, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    body = refused(answer, 201)
    assert (body["state"], body["owner"], body["severity"]) == (
        "in_progress",
        "service_center",
        "general",
    )
    assert body["listened"] and body["explanation"] == HEARD["explanation"]
    assert body["first_responded_at"] is not None and body["number"].startswith("")
    assert [e["kind"] for e in body["timeline"]] == ["created", "complaint_respond"]
    assert body["first_response_overdue"] is False and body["resolution_overdue"] is False
    assert body["actions"] == ["escalate", "reclassify", "resolve", "cause", "measure_add"]
    again = api.post(URL, new, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Complaint.objects.count() == 1
    assert refused(api.get(detail(Complaint.objects.get())), 200)["id"] == body["id"]


def test_m18_api_a_compensation_claim_goes_to_leadership(as_user, agent, leadership, new):
    body = refused(
        as_user(agent).post(URL, {**new, "compensation_claimed": "5000"}, format="json"), 201
    )
    assert (body["owner"], body["severity"], body["compensation_claimed"]) == (
        "leadership",
        "serious",
        "5000.00",
    )
    assert [e["cause"] for e in body["escalations"]] == ["compensation"]
    assert body["actions"] == []  # the office only carries out the company's plan
    led = refused(as_user(leadership).get(f"{URL}{body['id']}/"), 200)
    assert "plan_issue" in led["actions"] and "escalate" not in led["actions"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"compensation_claimed": "abc"}, "compensation_claimed"),
        ({"compensation_claimed": "-5"}, "compensation_claimed"),
        ({"compensation_claimed": "2000000"}, "compensation_claimed"),
        ({"severity": "huge"}, "severity"),
        ({"requested_deadline": "tomorrow"}, "requested_deadline"),
        ({"about_staff": ["x"]}, "about_staff"),
        ({"about_staff": "x"}, "about_staff"),
        ({"about_staff": [987654]}, "about_staff"),
        ({"category": "noise"}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "portal"}, "channel"),
        ({"listened": "perhaps"}, "listened"),
        ({"listened": False}, "listened"),
        ({"explanation": ""}, "explanation"),
        ({"account": " "}, "account"),
        ({"customer": "abc"}, "customer"),
        ({"household": "abc"}, "household"),
        ({"about_department": 987654}, "about_department"),
    ],
)
def test_m17_api_bad_intake_is_400_naming_the_field_and_files_nothing(
    as_user, agent, new, change, field
):
    refused(as_user(agent).post(URL, {**new, **change}, format="json"), 400, field=field)
    assert not Complaint.objects.exists() and not Ticket.objects.exists()


def test_m17_api_another_offices_customer_is_not_found(as_user, agent, new, other_customer):
    answer = as_user(agent).post(URL, {**new, "customer": other_customer.pk}, format="json")
    refused(answer, 404, field="customer")
    assert not Complaint.objects.exists()


def test_m17_api_a_technician_files_nothing_and_sees_no_complaint(as_user, technician, new, file):
    complaint = file()
    api = as_user(technician)
    refused(api.post(URL, new, format="json"), 403, code="forbidden")
    assert Complaint.objects.count() == 1
    listed = refused(api.get(URL), 200)
    assert (listed["count"], listed["results"]) == (0, [])
    refused(api.get(detail(complaint)), 404)
    refused(api.post(detail(complaint, "escalate"), {"reason": "x"}, format="json"), 404)


# --- the list ----------------------------------------------------------------------------------


def test_m19_api_list_filters_with_clocks_and_overdue_flags(
    as_user, quality, file, customer, _clock
):
    waiting = written(file)
    claim = file(compensation_claimed="800", account="装修噪音导致误工", category="neighbours")
    _clock.move_to(NOW + dt.timedelta(hours=25), tick=False)  # the first response was due at 24h
    api = as_user(quality)
    rows = {r["id"]: r for r in refused(api.get(URL), 200)["results"]}
    assert rows[waiting.pk]["first_response_overdue"] is True
    assert rows[waiting.pk]["resolution_overdue"] is False  # 72 hours
    assert rows[claim.pk]["first_response_overdue"] is False  # heard on the phone
    assert rows[waiting.pk]["due_at"] and rows[waiting.pk]["summary"] == waiting.account[:80]
    assert rows[claim.pk]["customer"] == {"id": customer.pk, "name": customer.name}

    def ids(**params):
        return [r["id"] for r in refused(api.get(URL, params), 200)["results"]]

    assert ids(state="received") == [waiting.pk]
    assert ids(owner="leadership") == [claim.pk]
    assert ids(severity="serious") == [claim.pk]
    assert ids(category="environment") == [waiting.pk]
    assert ids(open="true") == [claim.pk, waiting.pk]
    assert ids(open="false") == []
    assert ids(q=waiting.ticket.number) == [waiting.pk]
    assert ids(q="张") == [claim.pk, waiting.pk]
    assert ids(office=customer.office_id) == [claim.pk, waiting.pk]
    assert ids(office=f.OfficeFactory().pk) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "open"}, "state"),
        ({"owner": "ceo"}, "owner"),
        ({"severity": "huge"}, "severity"),
        ({"open": "maybe"}, "open"),
        ({"office": "x"}, "office"),
    ],
)
def test_m19_api_list_bad_filters_name_the_field(as_user, agent, params, field):
    refused(as_user(agent).get(URL, params), 400, field=field)


def test_m19_api_list_query_count_does_not_grow(as_user, director, file, office, agent):
    file()
    api = as_user(director)
    few = queries(api, URL)
    for n in range(6):
        customer = f.CustomerFactory(office=office, name=f"住户{n}")
        complaint = file(customer=customer, account=f"投诉{n}")
        handling.complaint_escalate(actor=agent, complaint=complaint, reason="需协调", now=NOW)
    same_queries(few, queries(api, URL))
    assert refused(api.get(URL), 200)["count"] == 7


def test_m19_api_detail_query_count_does_not_grow(as_user, agent, technician, file):
    complaint = file()
    api = as_user(agent)
    few = queries(api, detail(complaint))
    for n in range(4):
        prevention.measure_add(
            actor=agent,
            complaint=complaint,
            description=f"措施{n}",
            owner=technician if n % 2 else agent,
            due_on=NOW.date(),
            now=NOW,
        )
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="需协调", now=NOW)
    same_queries(few, queries(api, detail(complaint)))
    body = refused(api.get(detail(complaint)), 200)
    assert len(body["measures"]) == 4 and len(body["escalations"]) == 1


# --- handling ----------------------------------------------------------------------------------


def test_m17_api_the_first_response_to_a_written_complaint(as_user, agent, file):
    complaint = written(file)
    api = as_user(agent)
    assert refused(api.get(detail(complaint)), 200)["actions"][0] == "respond"
    answer = api.post(detail(complaint, "respond"), {"understanding": "理解您"}, format="json")
    refused(answer, 400, field="explanation")
    unchanged(complaint, state=S.RECEIVED, first_responded_at=None)
    bad = api.post(detail(complaint, "respond"), {"channel": "pigeon"}, format="json")
    refused(bad, 400, field="channel")
    body = {"understanding": "理解您", "explanation": "今天下午处理", "channel": "hotline"}
    done = refused(api.post(detail(complaint, "respond"), body, format="json"), 200)
    assert done["state"] == "in_progress" and done["first_responded_at"]
    assert done["understanding"] == "理解您" and "respond" not in done["actions"]
    twice = api.post(detail(complaint, "respond"), body, format="json")
    refused(twice, 409, code="transition_not_allowed")


def test_m19_api_escalating_needs_a_reason(as_user, agent, quality, file):
    complaint = file()
    api = as_user(agent)
    refused(api.post(detail(complaint, "escalate"), {}, format="json"), 400, field="reason")
    refused(api.post(detail(complaint, "escalate"), {"reason": "  "}, format="json"), 400)
    unchanged(complaint, owner=Owner.SERVICE_CENTER)
    assert not Escalation.objects.exists()
    answer = api.post(detail(complaint, "escalate"), {"reason": "涉及外包合同"}, format="json")
    body = refused(answer, 200)
    assert body["owner"] == "quality"
    assert [(e["from_owner"], e["to_owner"], e["reason"]) for e in body["escalations"]] == [
        ("service_center", "quality", "涉及外包合同")
    ]
    assert body["actions"] == []  # the office now waits for the company's plan
    assert "plan_issue" in refused(as_user(quality).get(detail(complaint)), 200)["actions"]


def test_m18_api_reclassify(as_user, agent, quality, file):
    complaint = file()
    api = as_user(agent)
    url = detail(complaint, "reclassify")
    bad = api.post(url, {"reason": "定级", "severity": "huge"}, format="json")
    refused(bad, 400, field="severity")
    money = api.post(url, {"reason": "x", "compensation_claimed": "abc"}, format="json")
    refused(money, 400, field="compensation_claimed")
    refused(api.post(url, {"severity": "major"}, format="json"), 400, field="reason")
    # The office corrects whom it is about, not how grave it is.
    refused(api.post(url, {"reason": "定级", "severity": "major"}, format="json"), 403)
    unchanged(complaint, severity="general", owner=Owner.SERVICE_CENTER)
    assert "reclassify_severity" not in refused(api.get(detail(complaint)), 200)["actions"]
    body = {"reason": "客户提出赔偿", "involves_compensation": True, "compensation_claimed": "300"}
    up = refused(api.post(url, body, format="json"), 200)
    assert (up["owner"], up["compensation_claimed"]) == ("leadership", "300.00")
    assert up["escalations"][-1]["cause"] == "compensation"
    graver = as_user(quality).post(url, {"reason": "影响面大", "severity": "major"}, format="json")
    assert refused(graver, 200)["severity"] == "major"


def test_m18_api_no_plan_for_an_office_level_complaint(as_user, admin_user, quality, file):
    complaint = file()
    body = {"plan": "清理楼道", "due_at": LATER}
    answer = as_user(admin_user).post(detail(complaint, "plan"), body, format="json")
    refused(answer, 409, code="office_level", field="owner")
    refused(as_user(quality).post(detail(complaint, "plan"), body, format="json"), 403)
    report = as_user(admin_user).post(detail(complaint, "plan/report"), {"report": "x"})
    refused(report, 409, code="no_plan", field="plan")
    assert not CorrectivePlan.objects.exists()


def test_m18_api_the_company_plan_through_to_the_answer_and_closing(
    as_user, agent, quality, followup, file
):
    complaint = company_level(file, agent)
    q = as_user(quality)
    next_week = {"plan": "调整排班", "due_at": "next week"}
    refused(q.post(detail(complaint, "plan"), next_week), 400, field="due_at")
    past = {"plan": "调整排班", "due_at": (NOW - dt.timedelta(hours=1)).isoformat()}
    refused(q.post(detail(complaint, "plan"), past, format="json"), 400, field="due_at")
    refused(q.post(detail(complaint, "plan"), {"due_at": LATER}, format="json"), 400, field="plan")
    assert not CorrectivePlan.objects.exists()
    issued = refused(
        q.post(detail(complaint, "plan"), {"plan": "调整排班", "due_at": LATER}, format="json"),
        201,
    )
    assert [p["state"] for p in issued["plans"]] == ["issued"]
    refused(
        q.post(detail(complaint, "resolve"), {"resolution": "x"}), 409, code="plan_not_accepted"
    )
    a = as_user(agent)
    assert refused(a.get(detail(complaint)), 200)["actions"] == ["plan_report"]
    refused(a.post(detail(complaint, "plan/report"), {}, format="json"), 400, field="report")
    a.post(detail(complaint, "plan/report"), {"report": "已调整"}, format="json")
    refused(q.post(detail(complaint, "plan/return"), {}, format="json"), 400, field="reason")
    assert CorrectivePlan.objects.get().state == "reported"
    returned = q.post(detail(complaint, "plan/return"), {"reason": "缺排班表"}, format="json")
    assert refused(returned, 200)["plans"][0]["return_reason"] == "缺排班表"
    refused(a.post(detail(complaint, "plan/report"), {"report": "附排班表"}, format="json"), 200)
    refused(a.post(detail(complaint, "plan/accept")), 403, code="not_your_level")
    accepted = refused(q.post(detail(complaint, "plan/accept")), 200)
    assert accepted["plans"][0]["state"] == "accepted" and "resolve" in accepted["actions"]
    bad = q.post(detail(complaint, "resolve"), {"resolution": "ok", "compensation_agreed": "x"})
    refused(bad, 400, field="compensation_agreed")
    refused(q.post(detail(complaint, "resolve"), {"resolution": "按方案解决"}), 200)
    f_api = as_user(followup)
    assert refused(f_api.get(detail(complaint)), 200)["actions"] == ["answer"]
    wrong = f_api.post(detail(complaint, "answer"), {"summary": "x", "satisfied": "sort of"})
    refused(wrong, 400, field="satisfied")
    answered = f_api.post(
        detail(complaint, "answer"), {"summary": "公司回访, 客户满意", "satisfied": True}
    )
    body = refused(answered, 200)
    assert body["state"] == "answered" and body["answer"]["summary"] == "公司回访, 客户满意"
    cause = {"cause_category": "process", "cause_analysis": "排班漏楼道", "substantiated": True}
    refused(q.post(detail(complaint, "cause"), cause, format="json"), 200)
    measure = {"description": "排班逐楼核对", "owner": agent.pk, "due_on": "2026-06-30"}
    refused(q.post(detail(complaint, "measures"), measure, format="json"), 201)
    closed = refused(q.post(detail(complaint, "close")), 200)
    assert closed["state"] == "closed" and closed["actions"] == []
    assert closed["closed_by"]["id"] == quality.pk


def test_m19_api_closing_without_the_contact_or_the_cause_is_refused(as_user, agent, file):
    complaint = file()
    api = as_user(agent)
    refused(api.post(detail(complaint, "close")), 409, code="no_answer_contact")
    unchanged(complaint, state=S.IN_PROGRESS, closed_at=None)
    refused(api.post(detail(complaint, "resolve"), {"resolution": "已清理"}), 200)
    refused(api.post(detail(complaint, "close")), 409, code="no_answer_contact")
    answered = api.post(detail(complaint, "answer"), {"summary": "客户满意", "satisfied": True})
    assert refused(answered, 200)["state"] == "answered"
    refused(api.post(detail(complaint, "close")), 409, code="no_cause", field="cause_analysis")
    unchanged(complaint, state=S.ANSWERED, closed_at=None)
    bad = api.post(detail(complaint, "cause"), {"cause_category": "fate", "cause_analysis": "x"})
    refused(bad, 400, field="cause_category")
    empty = api.post(detail(complaint, "cause"), {"cause_category": "staff"}, format="json")
    refused(empty, 400, field="cause_analysis")
    cause = {"cause_category": "staff", "cause_analysis": "漏扫"}
    refused(api.post(detail(complaint, "cause"), cause), 200)
    refused(api.post(detail(complaint, "close")), 409, code="no_prevention")
    unchanged(complaint, state=S.ANSWERED, closed_at=None)


def test_m23_api_not_satisfied_resumes_the_handling(as_user, agent, file):
    complaint = file()
    api = as_user(agent)
    api.post(detail(complaint, "resolve"), {"resolution": "已清理"}, format="json")
    body = {"summary": "未接通", "reached": False}
    assert refused(api.post(detail(complaint, "answer"), body, format="json"), 200)["state"] == (
        "resolved"
    )
    body = {"summary": "仍有异味", "satisfied": False}
    again = refused(api.post(detail(complaint, "answer"), body, format="json"), 200)
    assert (again["state"], again["reopen_count"]) == ("in_progress", 1)


# --- preventive measures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"owner": "abc"}, "owner", "invalid"),
        ({"owner": None}, "owner", "invalid"),
        ({"owner": 987654}, "owner", "invalid"),
        ({"owner": "OTHER"}, "owner", "invalid"),  # another office's staff
        ({"due_on": "soon"}, "due_on", "invalid"),
        ({"due_on": "2026-05-01"}, "due_on", "past_due"),
        ({"description": ""}, "description", "required"),
    ],
)
def test_m20_api_bad_measures_are_refused(as_user, agent, other_agent, file, change, field, code):
    complaint = file()
    body = {"description": "排班核对", "owner": agent.pk, "due_on": "2026-06-30", **change}
    if body["owner"] == "OTHER":
        body["owner"] = other_agent.pk
    answer = as_user(agent).post(detail(complaint, "measures"), body, format="json")
    refused(answer, 400, field=field, code=code)
    assert not PreventiveMeasure.objects.exists()


def test_m20_api_the_measures_owner_marks_it_done(as_user, agent, technician, other_agent, file):
    complaint = file()
    body = {"description": "电梯每月检查", "owner": technician.pk, "due_on": "2026-06-30"}
    added = refused(as_user(agent).post(detail(complaint, "measures"), body, format="json"), 201)
    (row,) = added["measures"]
    assert (row["owner"]["id"], row["may_mark_done"]) == (technician.pk, True)  # a handler
    done_url = f"{MEASURES}{row['id']}/done/"
    refused(as_user(other_agent).post(done_url, {"note": "x"}, format="json"), 404)
    long = as_user(technician).post(done_url, {"note": "x" * 301}, format="json")
    refused(long, 400, field="note")
    # The technician cannot see the complaint, but the measure is his.
    done = refused(as_user(technician).post(done_url, {"note": "已排期"}, format="json"), 200)
    assert done["done_at"] and done["done_by"]["id"] == technician.pk
    assert done["may_mark_done"] is False
    refused(as_user(agent).post(done_url, {}, format="json"), 409, code="done")


# --- the corrective action report --------------------------------------------------------------


def test_m20_api_a_report_is_approved_never_by_who_wrote_it_and_joins_the_register(
    as_user, agent, quality, quality2, technician, file, office, other_office
):
    complaint = file(severity="major", account="电梯困人")
    q = as_user(quality)
    assert "report_save" in refused(q.get(detail(complaint)), 200)["actions"]
    saved = q.put(detail(complaint, "report"), {**REPORT, "verification": ""}, format="json")
    draft = refused(saved, 200)
    assert (draft["state"], draft["complaint"]) == ("draft", complaint.pk)
    refused(q.post(detail(complaint, "report/submit")), 400, field="verification")
    refused(q.put(detail(complaint, "report"), {**REPORT, "title": ""}, format="json"), 400)
    q.put(detail(complaint, "report"), REPORT, format="json")
    submitted = refused(q.post(detail(complaint, "report/submit")), 200)
    assert submitted["state"] == "submitted"
    report_url = f"{REPORTS}{submitted['id']}/"
    refused(q.put(detail(complaint, "report"), REPORT, format="json"), 409, code="report_locked")
    assert "report_approve" not in refused(q.get(detail(complaint)), 200)["actions"]
    refused(q.post(f"{report_url}approve/"), 403, code="own_report", field="approved_by")
    refused(as_user(agent).post(f"{report_url}approve/"), 403, code="forbidden")
    report = CorrectiveActionReport.objects.get()
    assert (report.state, report.approved_by, report.notice) == ("submitted", None, None)
    refused(as_user(technician).get(report_url), 404)  # not approved yet: not in the register
    q2 = as_user(quality2)
    assert "report_approve" in refused(q2.get(detail(complaint)), 200)["actions"]
    approved = refused(q2.post(f"{report_url}approve/"), 200)
    assert approved["state"] == "approved" and approved["number"].startswith("CAR-2026-")
    assert approved["notice"] and approved["approved_by"]["id"] == quality2.pk
    # The register is read company-wide.
    t = as_user(technician)
    assert refused(t.get(report_url), 200)["facts"] == REPORT["facts"]

    def found(**params):
        return [r["id"] for r in refused(t.get(REPORTS, params), 200)["results"]]

    assert found() == [report.pk]
    assert found(q="门机板") == [report.pk] and found(q=approved["number"]) == [report.pk]
    assert found(q="水管") == []
    assert found(office=office.pk) == [report.pk] and found(office=other_office.pk) == []
    refused(t.get(REPORTS, {"office": "x"}), 400, field="office")


def test_m20_api_a_returned_report_is_rewritten(as_user, agent, quality, file):
    complaint = file(severity="major")
    api = as_user(agent)
    refused(api.post(detail(complaint, "report/submit")), 409, code="no_report")
    api.put(detail(complaint, "report"), REPORT, format="json")
    report = refused(api.post(detail(complaint, "report/submit")), 200)
    url = f"{REPORTS}{report['id']}/return/"
    q = as_user(quality)
    refused(q.post(url, {}, format="json"), 400, field="reason")
    assert CorrectiveActionReport.objects.get().state == "submitted"
    returned = refused(q.post(url, {"reason": "验证期不够"}, format="json"), 200)
    assert (returned["state"], returned["return_reason"]) == ("returned", "验证期不够")
    own = refused(api.get(REPORTS, {"approved_only": "false"}), 200)["results"]
    assert [r["state"] for r in own] == ["returned"]
    assert refused(api.get(REPORTS), 200)["count"] == 0
    again = api.put(detail(complaint, "report"), {**REPORT, "verification": "半年"}, format="json")
    assert refused(again, 200)["verification"] == "半年"


# --- who sees what -----------------------------------------------------------------------------


def test_m18_api_the_director_never_finds_a_complaint_about_him(
    as_user, agent, director, file, new
):
    about = file(about_staff=[director], account="主任态度恶劣")
    plain = file()
    d = as_user(director)
    assert [r["id"] for r in refused(d.get(URL), 200)["results"]] == [plain.pk]
    refused(d.get(detail(about)), 404)
    for name in ("escalate", "reclassify", "resolve", "cause", "close", "plan/accept"):
        refused(d.post(detail(about, name), {"reason": "x"}, format="json"), 404)
    refused(d.put(detail(about, "report"), REPORT, format="json"), 404)
    unchanged(about, owner=Owner.LEADERSHIP, severity="serious")
    listed = as_user(agent).get(URL, {"owner": "leadership"})
    assert [r["id"] for r in refused(listed, 200)["results"]] == [about.pk]


def test_m18_api_an_agent_naming_himself_reads_it_once(as_user, agent, new):
    body = refused(as_user(agent).post(URL, {**new, "about_staff": [agent.pk]}, format="json"), 201)
    assert body["about_staff"] == [{"id": agent.pk, "name": agent.display_name}]
    assert body["actions"] == []
    refused(as_user(agent).get(f"{URL}{body['id']}/"), 404)


def test_m18_api_another_offices_agent_finds_nothing(as_user, other_agent, file):
    complaint = file()
    api = as_user(other_agent)
    assert refused(api.get(URL), 200)["count"] == 0
    refused(api.get(detail(complaint)), 404)
    refused(api.post(detail(complaint, "escalate"), {"reason": "x"}, format="json"), 404)
    refused(api.post(detail(complaint, "escalate"), {"reason": 5}, format="json"), 404)
    unchanged(complaint, owner=Owner.SERVICE_CENTER)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", URL),
        ("post", URL),
        ("get", "/api/v1/complaints/{id}/"),
        ("post", "/api/v1/complaints/{id}/escalate/"),
        ("get", REPORTS),
    ],
)
def test_m17_a_customer_token_opens_no_staff_endpoint(customer_api, file, new, method, url):
    complaint = file()
    answer = getattr(customer_api, method)(url.format(id=complaint.pk), new, format="json")
    assert answer.status_code in (401, 403)
    unchanged(complaint, owner=Owner.SERVICE_CENTER)
    assert Complaint.objects.count() == 1


def test_m17_staff_open_no_customer_endpoint(api, agent, file):
    complaint = file()
    api.force_authenticate(agent)  # as a staff session is
    assert api.get(PORTAL).status_code in (401, 403)
    assert api.post(PORTAL, {"account": "x", "category": "other"}).status_code in (401, 403)
    api.force_authenticate(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=agent)[1]}")
    assert api.get(URL).status_code == 200  # the staff token works where it belongs
    assert api.get(PORTAL).status_code == 401
    assert api.get(f"{PORTAL}{complaint.pk}/").status_code == 401
    assert Complaint.objects.count() == 1


# --- the customer's ----------------------------------------------------------------------------


def test_m17_customer_files_a_complaint_as_json_once_per_key(customer_api, customer, household):
    body = {"account": "保安不让快递进门", "category": "security"}
    answer = customer_api.post(PORTAL, body, format="json", HTTP_IDEMPOTENCY_KEY="app-1")
    filed = refused(answer, 201)
    assert (filed["state"], filed["handled_by"], filed["category"]) == (
        "received",
        "Office service center",
        "security",
    )
    assert [e["kind"] for e in filed["timeline"]] == ["created"] and filed["photos"] == []
    again = customer_api.post(PORTAL, body, format="json", HTTP_IDEMPOTENCY_KEY="app-1")
    assert refused(again, 201)["id"] == filed["id"]
    complaint = Complaint.objects.get()
    assert (complaint.customer, complaint.ticket.channel) == (customer, "portal")
    assert complaint.ticket.household == household  # their only home
    listed = refused(customer_api.get(PORTAL), 200)["results"]
    assert [r["id"] for r in listed] == [filed["id"]]


def test_m18_customer_files_with_photos_and_a_compensation_claim(customer_api, household):
    body = {
        "account": "水管爆裂泡坏地板",
        "category": "repair_quality",
        "household": household.pk,
        "involves_compensation": "true",
        "compensation_claimed": "3000",
        "photos": [png("a.png"), png("b.png")],
    }
    filed = refused(customer_api.post(PORTAL, body, format="multipart"), 201)
    assert filed["handled_by"] == "Company leadership" and len(filed["photos"]) == 2
    assert filed["compensation_claimed"] == "3000.00"
    assert customer_api.get(filed["photos"][0]).status_code == 200
    assert TicketPhoto.objects.count() == 2
    # The routing is on the timeline, its internal reason is not.
    escalated = [e for e in filed["timeline"] if e["kind"] == "complaint_escalated"]
    assert [e["note"] for e in escalated] == [""]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "noise"}, "category"),
        ({"category": None}, "category"),
        ({"compensation_claimed": "abc"}, "compensation_claimed"),
        ({"compensation_claimed": "-1"}, "compensation_claimed"),
        ({"requested_deadline": "tomorrow"}, "requested_deadline"),
        ({"requested_deadline": (NOW - dt.timedelta(days=1)).isoformat()}, "requested_deadline"),
        ({"household": "abc"}, "household"),
        ({"involves_compensation": "perhaps"}, "involves_compensation"),
        ({"account": ""}, "account"),
        ({"account": ["x"]}, "account"),
        ({"photos": ["a.png"]}, "photos"),
    ],
)
def test_m17_customer_bad_input_is_400_naming_the_field(customer_api, change, field):
    body = {"account": "保安不让快递进门", "category": "security", **change}
    refused(customer_api.post(PORTAL, body, format="json"), 400, field=field)
    assert not Complaint.objects.exists() and not Ticket.objects.exists()


def test_m17_customer_another_customers_household_is_not_found(customer_api, other_customer):
    body = {"account": "x", "category": "other", "household": other_customer.households.get().pk}
    refused(customer_api.post(PORTAL, body, format="json"), 404, field="household")
    assert not Complaint.objects.exists()


def test_m23_customer_sees_their_own_progress_never_internal_notes(
    customer_api, agent, file, other_customer
):
    mine = file()
    theirs = file(
        customer=other_customer, actor=f.UserFactory(role="agent", office=other_customer.office)
    )
    handling.complaint_resolve(actor=agent, complaint=mine, resolution="已清理并消毒", now=NOW)
    handling.complaint_answer(
        actor=agent, complaint=mine, summary="回访: 客户满意", satisfied=True, now=NOW
    )
    prevention.cause_record(
        actor=agent, complaint=mine, cause_category="staff", analysis="内部: 保洁员偷懒", now=NOW
    )
    escalated = file(account="电梯异响")
    handling.complaint_escalate(
        actor=agent, complaint=escalated, reason="内部: 外包合同纠纷", now=NOW
    )
    listed = refused(customer_api.get(PORTAL), 200)["results"]
    assert {r["id"] for r in listed} == {mine.pk, escalated.pk}
    refused(customer_api.get(f"{PORTAL}{theirs.pk}/"), 404)
    body = refused(customer_api.get(f"{PORTAL}{mine.pk}/"), 200)
    assert (body["state"], body["resolution"]) == ("answered", "已清理并消毒")
    assert body["answer"]["summary"] == "回访: 客户满意"
    kinds = [e["kind"] for e in body["timeline"]]
    assert kinds == ["created", "complaint_respond", "complaint_resolve", "complaint_answered"]
    text = str(body)
    for secret in ("内部", agent.display_name, "cause", "owner", "escalations", "measures"):
        assert secret not in text, secret
    up = refused(customer_api.get(f"{PORTAL}{escalated.pk}/"), 200)
    assert up["handled_by"] == "Quality Management Department"
    assert "外包" not in str(up) and "complaint_escalated" in str(up)


def test_m17_customer_list_query_count_does_not_grow(customer_api, file):
    file()
    customer_api.get(PORTAL)  # the token's first use of the day is recorded once
    few = queries(customer_api, PORTAL)
    for n in range(6):
        file(account=f"投诉{n}")
    same_queries(few, queries(customer_api, PORTAL))
    assert refused(customer_api.get(PORTAL), 200)["count"] == 7


# --- the schema --------------------------------------------------------------------------------


def test_m17_openapi_schema_of_the_complaint_endpoints_has_no_warnings(db, capsys):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("propdesk.complaints.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
    paths = schema["paths"]
    for expected in (
        "/api/v1/complaints/{id}/plan/report/",
        "/api/v1/complaints/{id}/report/submit/",
        "/api/v1/complaint-measures/{id}/done/",
        "/api/v1/reports/{id}/return/",
    ):
        assert expected in paths
    assert "put" in paths["/api/v1/complaints/{id}/report/"]
    assert paths["/api/v1/portal/complaints/"]["get"]["tags"] == ["customer"]
    assert paths["/api/v1/complaints/"]["get"].get("tags") != ["customer"]


def test_m23_api_complaint_numbers(api, quality, technician, file):
    import time_machine

    from .conftest import NOW

    with time_machine.travel(NOW, tick=False):
        file()
    api.force_authenticate(quality)
    answer = api.get("/api/v1/complaints/numbers/", {"start": "2026-05-31", "end": "2026-06-02"})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["company"]["received"] == 1 and body["company"]["response_rate"] == 100.0
    assert [row["received"] for row in body["offices"] if row["office_name"] == "翠苑管理处"] == [1]
    bad = api.get("/api/v1/complaints/numbers/", {"start": "2026-06-05", "end": "2026-06-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "start"
    api.force_authenticate(technician)
    assert api.get("/api/v1/complaints/numbers/").status_code == 403
