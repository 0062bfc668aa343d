"""M16 exports and API: every answer in a spreadsheet (one row per response, streamed), the
report as a PDF in Chinese, and the staff API of the figures, the written analysis and the
clocks, with 409 before release and 428/409 for versions."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from propdesk.surveys.exports import answers_xlsx
from propdesk.surveys.models import CampaignOffice, Participant, Response

from .analysis_fixtures import *  # noqa: F403
from .analysis_fixtures import AFTER, answer
from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def after():
    with time_machine.travel(AFTER, tick=False):
        yield


def _api(name, campaign, office=None):
    args = [campaign.pk] + ([office.pk] if office is not None else [])
    return reverse(name, args=args)


def test_m16_the_spreadsheet_has_every_answer(make_campaign, make_customer, office):
    for _ in range(300):
        make_customer(office=office)
    campaign = make_campaign()
    for i, p in enumerate(Participant.objects.filter(campaign=campaign).order_by("pk")):
        answer(campaign, p, 1 + i % 5, f"意见{i}" if i % 10 == 0 else "")

    workbook = load_workbook(answers_xlsx(campaign), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))

    header, body = rows[0], rows[1:]
    assert len(body) == Response.objects.filter(campaign=campaign).count() == 300
    codes = {r[0] for r in body}
    assert codes == set(
        Participant.objects.filter(campaign=campaign).values_list("code", flat=True)
    )
    questions = [q for q in campaign.questionnaire.questions.all() if not q.is_opinion]
    assert len(header) == 5 + len(questions) + 1
    first_code = Participant.objects.filter(campaign=campaign).order_by("pk").first().code
    first = next(r for r in body if r[0] == first_code)
    assert first[1] == office.name and first[3] == "One-time link"
    assert first[-1] == "意见0"
    scale_columns = [5 + i for i, q in enumerate(questions) if q.kind == "scale"]
    assert {first[c] for c in scale_columns} == {1}


def test_m16_the_reports_are_valid_pdfs_in_chinese(
    client, answered, director, quality, office, after
):
    client.force_login(director)
    CampaignOffice.objects.filter(campaign=answered, office=office).update(
        analysis="停车位严重不足"
    )
    mine = client.get(reverse("console:survey_analysis_office_pdf", args=[answered.pk, office.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(mine.content)).pages)
    assert office.name in text and "停车位严重不足" in text and "66.7%" in text

    client.force_login(quality)
    company = client.get(reverse("console:survey_analysis_pdf", args=[answered.pk]))
    assert company.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(company.content)).pages)
    assert office.name in text and answered.title in text


def test_m16_console_spreadsheet_of_one_office(
    client, answered, director, office, other_office, after
):
    client.force_login(director)
    got = client.get(reverse("console:survey_analysis_office_xlsx", args=[answered.pk, office.pk]))
    assert got.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(got.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + 3
    assert {r[1] for r in rows[1:]} == {office.name}
    other = reverse("console:survey_analysis_office_xlsx", args=[answered.pk, other_office.pk])
    assert client.get(other).status_code == 404


# --- the API --------------------------------------------------------------------------------------


def test_m16_api_company_figures(api, answered, quality, office, other_office, after):
    api.force_authenticate(quality)
    got = api.get(_api("survey-analysis", answered))

    assert got.status_code == 200
    body = got.json()
    assert body["index"]["index"] == "0.6667" and body["index"]["mean"] == "3.67"
    assert [o["office"] for o in body["offices"]] == [office.pk]
    assert [o["office"] for o in body["not_included"]] == [other_office.pk]
    assert {t["word"] for t in body["topics"]["topics"]} >= {"电梯", "停车"}
    scale = next(q for q in body["questions"] if q["kind"] == "scale")
    assert [c["count"] for c in scale["counts"]] == [0, 1, 0, 1, 1]


def test_m16_api_refuses_before_release_with_409(api, answered, quality, other_office):
    api.force_authenticate(quality)
    with time_machine.travel(NOW, tick=False):
        early = api.get(_api("survey-analysis", answered))
    assert early.status_code == 409 and early.json()["code"] == "before_deadline"
    with time_machine.travel(AFTER, tick=False):
        below = api.get(_api("survey-analysis-office", answered, other_office))
    assert below.status_code == 409 and below.json()["code"] == "below_target"


def test_m16_api_records_the_analysis_with_versions(
    api, answered, director, office, other_office, after
):
    api.force_authenticate(director)
    url = _api("survey-analysis-office", answered, office)

    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert api.put(url, {"analysis": "分析"}, format="json").status_code == 428
    assert api.put(url, {"analysis": "分析", "version": 5}, format="json").status_code == 409
    empty = api.put(url, {"analysis": "", "version": 1}, format="json")
    assert empty.status_code == 400 and "analysis" in empty.json()["errors"]
    done = api.put(url, {"analysis": "分析与结论", "version": 1}, format="json")
    assert done.status_code == 200
    assert done.json()["analysis"] == "分析与结论" and done.json()["on_time"] is True
    assert done.json()["version"] == 2

    other = _api("survey-analysis-office", answered, other_office)
    assert api.put(other, {"analysis": "x", "version": 1}, format="json").status_code == 404
    assert api.get(_api("survey-analysis", answered)).status_code == 403


def test_m16_api_clocks_and_exports(api, answered, quality, office, after):
    api.force_authenticate(quality)
    clocks = api.get(_api("survey-analysis-clocks", answered))
    assert clocks.status_code == 200 and len(clocks.json()) == 2

    pdf = api.get(_api("survey-analysis-office-pdf", answered, office))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = api.get(_api("survey-analysis-xlsx", answered))
    assert xlsx.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + 3  # the released office's three answers
