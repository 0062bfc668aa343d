"""A complaint's preventive measures and its corrective action report carry versions of their own:
marking a measure done, and submitting, approving or returning a report, take the version the
person saw. Without one the API answers 428 naming ``version``; with an older one 409; the
console's forms carry it, and a stale one is refused on the page. Nothing changes when refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from propdesk.complaints.models import CorrectiveActionReport, PreventiveMeasure
from propdesk.complaints.services import prevention

from .conftest import NOW
from .test_api import REPORT

MEASURES = "/api/v1/complaint-measures/"
REPORTS = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return api


@pytest.fixture
def measure(file, agent, technician):
    complaint = file()
    return prevention.measure_add(
        actor=agent,
        complaint=complaint,
        description="电梯每月检查",
        owner=technician,
        due_on=NOW.date(),
    )


@pytest.fixture
def submitted(file, quality):
    complaint = file(severity="major", account="电梯困人")
    report = prevention.report_save(actor=quality, complaint=complaint, **REPORT)
    return prevention.report_submit(actor=quality, report=report)


def without_version(response):
    assert response.status_code == 428, response.content
    body = response.json()
    assert (body["code"], body["field"]) == ("version_required", "version")
    return body


def stale(response):
    assert response.status_code == 409, response.content
    assert (response.json()["code"], response.json()["field"]) == ("stale_version", "version")


def report_state(report) -> tuple:
    r = CorrectiveActionReport.objects.get(pk=report.pk)
    return r.state, r.version, r.approved_by_id, r.return_reason, r.notice_id


# --- preventive measures ------------------------------------------------------------------------


def test_marking_a_measure_done_takes_its_version(measure, technician):
    api = client_of(technician)
    url = f"{MEASURES}{measure.pk}/done/"
    without_version(api.post(url, {"note": "已排期"}, format="json"))
    stale(api.post(url, {"note": "已排期", "version": 2}, format="json"))
    measure.refresh_from_db()
    assert (measure.done_at, measure.version) == (None, 1)
    done = api.post(url, {"note": "已排期"}, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done.json()["version"] == 2 and done.json()["done_by"]["id"] == technician.pk


def test_the_measures_page_carries_the_version_and_refuses_a_stale_one(client, measure, technician):
    client.force_login(technician)
    page = client.get(reverse("console:measures")).content.decode()
    assert 'name="version" value="1"' in page
    PreventiveMeasure.objects.filter(pk=measure.pk).update(version=2)  # changed meanwhile
    url = reverse("console:measure_done", args=[measure.pk])
    response = client.post(url, {"note": "已排期", "next": "measures", "version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this measure meanwhile" in response.content.decode()
    missing = client.post(url, {"note": "已排期", "next": "measures"})
    assert missing.status_code == 409 and "out of date" in missing.content.decode()
    measure.refresh_from_db()
    assert measure.done_at is None


# --- the corrective action report ---------------------------------------------------------------


def test_submitting_a_report_takes_the_reports_version(file, quality):
    complaint = file(severity="major")
    report = prevention.report_save(actor=quality, complaint=complaint, **REPORT)
    api = client_of(quality)
    url = f"/api/v1/complaints/{complaint.pk}/report/submit/"
    without_version(api.post(url, {}, format="json"))
    stale(api.post(url, {"version": report.version + 1}, format="json"))
    assert report_state(report)[:2] == ("draft", 1)
    done = api.post(url, {"version": 1}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert done.json()["version"] == 2 and done.headers["ETag"] == '"2"'


def test_rewriting_a_report_makes_a_submit_against_the_old_text_stale(file, quality):
    complaint = file(severity="major")
    report = prevention.report_save(actor=quality, complaint=complaint, **REPORT)
    prevention.report_save(actor=quality, complaint=complaint, **{**REPORT, "cause": "改"})
    api = client_of(quality)
    url = f"/api/v1/complaints/{complaint.pk}/report/submit/"
    stale(api.post(url, {"version": report.version}, format="json"))
    assert report_state(report)[:2] == ("draft", 2)


def test_approving_and_returning_a_report_take_its_version(submitted, quality2):
    api = client_of(quality2)
    url = f"{REPORTS}{submitted.pk}/"
    assert api.get(url).headers["ETag"] == f'"{submitted.version}"'
    before = report_state(submitted)
    without_version(api.post(f"{url}approve/", {}, format="json"))
    without_version(api.post(f"{url}return/", {"reason": "不够"}, format="json"))
    stale(api.post(f"{url}approve/", {"version": submitted.version - 1}, format="json"))
    stale(api.post(f"{url}return/", {"reason": "不够", "version": 1}, format="json"))
    assert report_state(submitted) == before
    returned = api.post(
        f"{url}return/", {"reason": "验证期不够"}, format="json", HTTP_IF_MATCH=f'"{before[1]}"'
    )
    assert returned.status_code == 200
    assert (returned.json()["state"], returned.json()["version"]) == ("returned", before[1] + 1)


def test_the_report_page_carries_the_version_and_refuses_a_stale_approval(
    client, submitted, quality2
):
    client.force_login(quality2)
    url = reverse("console:report", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert page.count(f'name="version" value="{submitted.version}"') == 2  # approve, return
    CorrectiveActionReport.objects.filter(pk=submitted.pk).update(version=submitted.version + 1)
    response = client.post(
        reverse("console:report_approve", args=[submitted.pk]), {"version": submitted.version}
    )
    assert response.status_code == 409
    assert "Someone else changed this report meanwhile" in response.content.decode()
    assert CorrectiveActionReport.objects.get(pk=submitted.pk).state == "submitted"
