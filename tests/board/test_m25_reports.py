"""M25, reports out: an office's board and the company's as a spreadsheet with the cases behind
every figure (console and API), and the monthly PDF report of each office and of the company —
made and sent once by the monthly job, listed for those who may read it, made again by Quality
after confirming."""

import datetime as dt
import threading
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from openpyxl import load_workbook
from pypdf import PdfReader

from propdesk.board import exports, reports, selectors
from propdesk.board.models import MonthlyReport
from propdesk.core.jobs import run_job
from propdesk.core.measures import MONTH, WEEK, Period, measures
from propdesk.core.models import Notification
from propdesk.org.models import Role
from propdesk.tickets.models import TicketRecusal
from tests import factories as f

from .conftest import NOW, at, charge, complaint, ticket

pytestmark = pytest.mark.django_db
OK, DENIED, MISSING = 200, 403, 404
W24 = {"period": "week", "at": "2026-W24"}
# The monthly job's run for May 2026: 1 June, 07:00 in Shanghai.
JUNE_FIRST = at(1, 7)
MAY = Period(MONTH, dt.date(2026, 5, 1))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def users(agent, technician, director, followup, quality, leadership, admin_user):
    return {
        "agent": agent,
        "technician": technician,
        "director": director,
        "followup": followup,
        "quality": quality,
        "leadership": leadership,
        "admin": admin_user,
    }


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == exports.XLSX
    return load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)


def _rows(sheet) -> list[tuple]:
    """The sheet's rows, each as long as the widest (empty cells at a row's end are not kept)."""
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    width = max(map(len, rows), default=0)
    return [row + (None,) * (width - len(row)) for row in rows]


def _board_rows(workbook) -> dict[str, dict]:
    """The sheet "Board" as {rule and label: {column: value}}."""
    rows = _rows(workbook["Board"])
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Rule")
    header = rows[header_at]
    return {
        f"{row[0]} {row[1]}": dict(zip(header, row, strict=True))
        for row in rows[header_at + 1 :]
        if row and row[0]
    }


def _number(value):
    return None if value is None else Decimal(str(value))


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


# --- the spreadsheet ------------------------------------------------------------------------


def test_m25_xlsx_has_exactly_the_figures_of_the_office_board(client, director, customer, office):
    ticket(customer, due=at(9), completed=at(10))
    ticket(customer, due=at(9), completed=at(8))
    ticket(customer, due=at(2), completed=at(3))  # last week: late too, in the trend
    client.force_login(director)
    book = _workbook(client.get(f"/console/board/offices/{office.pk}/board.xlsx", W24))
    board = selectors.office_board(director, office.pk, period=Period(WEEK, at(8).date()), now=NOW)
    rows = _board_rows(book)
    assert len(rows) == len(board.lines) == len(measures())
    trend_keys = [p.period.key for p in board.lines[0].trend]
    for line in board.lines:
        row = rows[f"{line.measure.rule} {line.measure.label}"]
        current = line.current
        assert _number(row["Value"]) == current.value, line.measure.key
        assert _number(row["Target"]) == line.target
        assert row["Status"] == {"red": "red", "green": "green"}.get(current.status)
        assert _number(row["Numerator"]) == Decimal(current.figure.numerator)
        assert _number(row["Denominator"]) == Decimal(current.figure.denominator)
        assert [_number(row[k]) for k in trend_keys] == [p.value for p in line.trend]
    m09 = rows[f"M09 {next(m.label for m in measures() if m.key == 'm09_deadline_kept')}"]
    assert (m09["Value"], m09["Status"], m09["Numerator"], m09["Denominator"]) == (
        50,
        "red",
        1,
        2,
    )
    assert m09["Cases"] == "m09_deadline_kept"
    assert trend_keys[-2:] == ["2026-W23", "2026-W24"] and m09["2026-W23"] == 0
    # Every measure's cases on a sheet of its own, after the board.
    assert book.sheetnames == ["Board", *[m.key for m in measures()]]


def test_m25_xlsx_lists_exactly_the_cases_behind_a_figure(client, director, customer, office):
    late = ticket(customer, due=at(9), completed=at(10))
    still_open = ticket(customer, due=at(9, 8), status="dispatched")
    ticket(customer, due=at(9), completed=at(8))  # kept: not behind the red
    ticket(customer, due=at(2), completed=at(3))  # another week
    client.force_login(director)
    book = _workbook(client.get(f"/console/board/offices/{office.pk}/board.xlsx", W24))
    rows = _rows(book["m09_deadline_kept"])
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Case")
    cases = [row for row in rows[header_at + 1 :] if row and row[0]]
    assert [row[0].split()[0] for row in cases] == [still_open.number, late.number]
    assert {row[4] for row in cases} == {"yes"}
    assert cases[1][5] == f"http://testserver/console/requests/{late.pk}/"
    assert cases[1][2] == dt.datetime(2026, 6, 10, 12, 0)  # local time, as Excel keeps it


def test_m25_xlsx_of_the_company_with_offices_and_a_capped_sheet(
    client, leadership, customer, other_customer, agent, monkeypatch
):
    monkeypatch.setattr(exports, "CASES_CAP", 2)
    for day in (2, 3, 4):
        charge(customer, amount="10", at_=at(day), by=agent)
    charge(other_customer, amount="5.50", at_=at(5), by=agent)
    client.force_login(leadership)
    book = _workbook(client.get("/console/board/company/board.xlsx", {"period": "month"}))
    assert book.sheetnames[:2] == ["Board", "Offices"]
    revenue = next(row for key, row in _board_rows(book).items() if key.startswith("M24 "))
    assert _number(revenue["Value"]) == Decimal("35.50") and revenue["Status"] is None
    offices = {row[1]: row for row in _rows(book["Offices"])[1:]}
    m24_column = _rows(book["Offices"])[0].index("M24 m24_revenue")
    assert _number(offices[customer.office.code][m24_column]) == Decimal("30.00")
    assert _number(offices[other_customer.office.code][m24_column]) == Decimal("5.50")
    rows = _rows(book["m24_revenue"])
    cases = [row for row in rows[2:] if row and row[0]]
    assert len(cases) == 3  # two cases, then the note
    assert cases[-1][0].startswith("Only the first 2 cases are listed")
    assert cases[-1][1].startswith("http://testserver/console/board/measures/m24_revenue/cases/")


@pytest.mark.parametrize(
    "role", ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]
)
def test_m25_who_may_export_and_read_the_monthly_reports(client, users, role, office, other_office):
    mine = MonthlyReport.objects.create(
        office=office, month=MAY.start, file="board/reports/a.pdf", generated_at=JUNE_FIRST
    )
    theirs = MonthlyReport.objects.create(
        office=other_office, month=MAY.start, file="board/reports/b.pdf", generated_at=JUNE_FIRST
    )
    company = MonthlyReport.objects.create(
        office=None, month=MAY.start, file="board/reports/c.pdf", generated_at=JUNE_FIRST
    )
    for report in (mine, theirs, company):
        report.file.save(f"{report.pk}.pdf", BytesIO(b"%PDF-1.4 test"), save=True)
    client.force_login(users[role])
    pages = {
        "own export": f"/console/board/offices/{office.pk}/board.xlsx",
        "other export": f"/console/board/offices/{other_office.pk}/board.xlsx",
        "company export": "/console/board/company/board.xlsx",
        "reports": "/console/board/reports/",
        "own report": f"/console/board/reports/{mine.pk}/report.pdf",
        "other report": f"/console/board/reports/{theirs.pk}/report.pdf",
        "company report": f"/console/board/reports/{company.pk}/report.pdf",
        "make again": f"/console/board/reports/{mine.pk}/again/",
    }
    company_roles = {"followup", "quality", "leadership", "admin"}
    if role in company_roles:
        expected = dict.fromkeys(pages, OK)
        if role in {"followup", "leadership"}:
            expected["make again"] = DENIED
    elif role == "director":
        expected = {
            "own export": OK,
            "other export": MISSING,
            "company export": DENIED,
            "reports": OK,
            "own report": OK,
            "other report": MISSING,
            "company report": MISSING,
            "make again": DENIED,
        }
    elif role == "agent":  # the board as his office sees it, but no monthly reports
        expected = {
            "own export": OK,
            "other export": MISSING,
            "company export": DENIED,
            "reports": DENIED,
            "own report": DENIED,
            "other report": DENIED,
            "company report": DENIED,
            "make again": DENIED,
        }
    else:  # technicians have no board
        expected = dict.fromkeys(pages, DENIED)
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == expected
    if role == "director":
        listed = client.get("/console/board/reports/").context["page"].object_list
        assert [r.pk for r in listed] == [mine.pk]
    if role == "quality":
        listed = client.get("/console/board/reports/").context["page"].object_list
        assert [r.pk for r in listed] == [company.pk, *sorted([mine.pk, theirs.pk])]


def test_m25_board_pages_link_to_the_exports_and_say_when_the_figures_were_counted(
    client, director, quality, office, monkeypatch
):
    client.force_login(director)
    html = client.get(f"/console/board/offices/{office.pk}/", W24).content.decode()
    assert f"/console/board/offices/{office.pk}/board.xlsx?period=week&amp;at=2026-W24" in html
    assert "/console/board/reports/" in html
    assert "Figures as of" not in html
    counted = dt.datetime(2026, 6, 10, 8, 55, tzinfo=dt.UTC)  # 16:55 in Shanghai
    real = selectors.office_board

    def with_time(*args, **kwargs):
        board = real(*args, **kwargs)
        board.computed_at = counted
        return board

    monkeypatch.setattr(selectors, "office_board", with_time)
    html = client.get(f"/console/board/offices/{office.pk}/", W24).content.decode()
    assert "Figures as of 2026-06-10 16:55" in html
    client.force_login(quality)
    html = client.get("/console/board/company/", {"period": "month"}).content.decode()
    assert "/console/board/company/board.xlsx?period=month&amp;at=2026-06" in html


def test_m25_bad_period_for_an_export_is_refused(client, api, director, office, technician):
    client.force_login(director)
    page = client.get(f"/console/board/offices/{office.pk}/board.xlsx", {"period": "year"})
    assert page.status_code == 400 and "Choose weeks or months." in page.content.decode()
    api.force_authenticate(director)
    url = f"/api/v1/board/offices/{office.pk}/export/"
    bad = api.get(url, {"period": "year"})
    assert bad.status_code == 400 and bad.json()["field"] == "period"
    bad = api.get(url, {"period": "month", "at": "June"})
    assert bad.status_code == 400 and bad.json()["field"] == "at"
    api.force_authenticate(technician)
    assert api.get(url).status_code == 403


def test_m25_api_exports_the_boards(api, director, leadership, customer, office, other_office):
    ticket(customer, due=at(9), completed=at(10))
    api.force_authenticate(director)
    answer = api.get(f"/api/v1/board/offices/{office.pk}/export/", W24)
    rows = _board_rows(_workbook(answer))
    assert any(key.startswith("M09 ") and row["Status"] == "red" for key, row in rows.items())
    assert api.get(f"/api/v1/board/offices/{other_office.pk}/export/").status_code == 404
    assert api.get("/api/v1/board/company/export/").status_code == 403
    api.force_authenticate(leadership)
    book = _workbook(api.get("/api/v1/board/company/export/", {"period": "month"}))
    assert "Offices" in book.sheetnames


def test_m25_exports_and_reports_are_in_the_schema(client, quality):
    client.force_login(quality)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/board/offices/{id}/export/",
        "/api/v1/board/company/export/",
        "/api/v1/board/reports/",
        "/api/v1/board/reports/{id}/file/",
        "/api/v1/board/reports/{id}/regenerate/",
    ):
        assert path in schema
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in schema
    assert "format: binary" in schema


# --- the monthly reports ----------------------------------------------------------------------


def _messages(event="board_monthly_report"):
    return Notification.objects.filter(event=event, channel=Notification.Channel.IN_APP)


def test_m25_the_monthly_job_sends_each_report_once_to_the_right_people(
    users, customer, office, other_office
):
    other_director = f.UserFactory(
        username="other_director", role=Role.DIRECTOR, office=other_office
    )
    ticket(customer, due=at(20, month=5), completed=at(21, month=5))  # May: M09 red
    with time_machine.travel(JUNE_FIRST, tick=False):
        first = run_job("board_monthly_reports", now=JUNE_FIRST)
        assert first.result == {"month": "2026-05", "made": 3, "failed": 0}
        sent = {(m.user.username, m.link) for m in _messages().select_related("user")}
        again = run_job("board_monthly_reports", now=JUNE_FIRST + dt.timedelta(minutes=5))
    assert again.result == {"month": "2026-05", "made": 0, "failed": 0}
    reports_made = {r.office_id: r for r in MonthlyReport.objects.all()}
    assert set(reports_made) == {office.pk, other_office.pk, None}
    assert all(r.month == MAY.start for r in reports_made.values())
    link = {k: f"/console/board/reports/{r.pk}/report.pdf" for k, r in reports_made.items()}
    assert sent == {
        ("director", link[office.pk]),
        ("other_director", link[other_office.pk]),
        ("leader", link[None]),
        ("quality", link[None]),
    }
    assert _messages().count() == 4  # the second run sent nothing
    assert reports_made[office.pk].recipients == 1 and reports_made[None].recipients == 2
    assert reports_made[office.pk].reds >= 1
    subject = _messages().get(user=users["director"]).subject
    assert subject == f"Compliance board of {office.name} for 2026-05"
    assert other_director.pk  # an office's report goes to its own director only


def test_m25_a_month_already_claimed_is_neither_made_nor_sent_again(director, office):
    MonthlyReport.objects.create(
        office=office, month=MAY.start, file="board/reports/x.pdf", generated_at=JUNE_FIRST
    )
    result = reports.board_monthly_reports(now=JUNE_FIRST)
    assert result["made"] == 1  # the company's only
    assert not _messages().filter(user=director).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_m25_two_monthly_runs_at_once_send_each_report_once(company):
    office = f.OfficeFactory(company=company)
    other = f.OfficeFactory(company=company)
    for where in (office, other):
        f.UserFactory(role=Role.DIRECTOR, office=where)
    f.UserFactory(role=Role.LEADERSHIP, office=None)
    barrier = threading.Barrier(2)
    errors, made = [], []

    def run():
        try:
            barrier.wait()
            made.append(reports.board_monthly_reports(now=JUNE_FIRST)["made"])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sum(made) == 3
    assert MonthlyReport.objects.count() == 3
    assert _messages().count() == 3  # two directors and leadership, once each
    # The run that lost a claim kept no file of its own.
    _dirs, files = default_storage.listdir("board/reports/2026-05")
    assert sorted(files) == sorted(
        r.file.name.rsplit("/", 1)[-1] for r in MonthlyReport.objects.all()
    )


def test_m25_the_office_report_is_a_pdf_with_its_red_measures_and_cases(
    client, director, customer, office
):
    late = ticket(customer, due=at(20, month=5), completed=at(21, month=5))
    reports.board_monthly_reports(now=JUNE_FIRST)
    report = MonthlyReport.objects.get(office=office)
    client.force_login(director)
    answer = client.get(f"/console/board/reports/{report.pk}/report.pdf")
    data = b"".join(answer.streaming_content)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF") and len(data) == report.size > 2000
    text = _pdf_text(data)
    assert office.name in text and "2026-05" in text
    assert "Red measures and the cases behind them" in text
    assert late.number in text


def test_m25_the_company_report_names_the_offices_with_red(client, quality, customer, office):
    ticket(customer, due=at(20, month=5), completed=at(21, month=5))
    reports.board_monthly_reports(now=JUNE_FIRST)
    report = MonthlyReport.objects.get(office=None)
    pdf, _board = reports.make_pdf(None, MAY, now=JUNE_FIRST)
    text = _pdf_text(pdf)
    assert "The company: compliance board" in text and office.name in text
    assert report.size > 2000


def test_m25_a_complaint_about_the_director_is_left_out_of_his_report(
    director, customer, office, quality
):
    about_him = complaint(
        customer,
        received=at(10, month=5),
        response_due=at(10, 14, month=5),
        due=at(12, month=5),
    )
    TicketRecusal.objects.create(
        ticket=about_him.ticket, user=director, reason="about him", created_at=at(10, month=5)
    )
    late = ticket(customer, due=at(20, month=5), completed=at(21, month=5))
    pdf, board = reports.make_pdf(office, MAY, now=JUNE_FIRST)
    text = _pdf_text(pdf)
    assert late.number in text
    assert about_him.ticket.number not in text
    # Quality reads the same figures: a complaint about the director counts on the board.
    m19 = next(x for x in board.lines if x.measure.key == "m19_responded_on_time")
    assert m19.current.figure.denominator == 1


def test_m25_quality_makes_a_past_report_again_after_confirming(
    client, quality, director, customer, office
):
    reports.board_monthly_reports(now=JUNE_FIRST)
    report = MonthlyReport.objects.get(office=office)
    first_file = report.file.name
    sent = _messages().count()
    client.force_login(quality)
    url = f"/console/board/reports/{report.pk}/again/"
    page = client.get(url)
    assert page.status_code == 200 and "Make it again" in page.content.decode()
    unconfirmed = client.post(url, {"version": 1})
    assert (
        unconfirmed.status_code == 400 and "This field is required." in unconfirmed.content.decode()
    )
    report.refresh_from_db()
    assert report.version == 1 and report.file.name == first_file
    done = client.post(url, {"version": 1, "confirm": "on"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.generated_by == quality
    assert report.file.name != first_file and report.file.name.endswith("-v2.pdf")
    assert report.history.first().history_user == quality
    assert _messages().count() == sent  # nobody is told again
    stale = client.post(url, {"version": 1, "confirm": "on"})
    assert stale.status_code == 409 and "made again meanwhile" in stale.content.decode()
    client.force_login(director)
    assert client.post(url, {"version": 2, "confirm": "on"}).status_code == 403


def test_m25_api_lists_reads_and_makes_reports_again(
    api, quality, director, leadership, office, other_office
):
    reports.board_monthly_reports(now=JUNE_FIRST)
    mine = MonthlyReport.objects.get(office=office)
    theirs = MonthlyReport.objects.get(office=other_office)
    api.force_authenticate(director)
    body = api.get("/api/v1/board/reports/").json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert body["results"][0]["month"] == "2026-05"
    assert body["results"][0]["file"] == f"/api/v1/board/reports/{mine.pk}/file/"
    pdf = api.get(f"/api/v1/board/reports/{mine.pk}/file/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert api.get(f"/api/v1/board/reports/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/board/reports/{theirs.pk}/file/").status_code == 404
    bad = api.get("/api/v1/board/reports/", {"month": "May"})
    assert bad.status_code == 400 and bad.json()["field"] == "month"
    again = f"/api/v1/board/reports/{mine.pk}/regenerate/"
    assert api.post(again, {"version": 1}, format="json").status_code == 403
    api.force_authenticate(leadership)
    body = api.get("/api/v1/board/reports/", {"month": "2026-05"}).json()
    assert body["count"] == 3 and body["results"][0]["office"] is None
    assert api.get("/api/v1/board/reports/", {"month": "2026-04"}).json()["count"] == 0
    assert api.post(again, {"version": 1}, format="json").status_code == 403
    api.force_authenticate(quality)
    assert api.post(again, {}, format="json").status_code == 428
    done = api.post(again, {"version": 1}, format="json")
    assert done.status_code == 200 and done.json()["version"] == 2
    assert done.json()["generated_by"] == quality.display_name
    stale = api.post(again, {"version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert (
        api.post(
            "/api/v1/board/reports/999999/regenerate/", {"version": 1}, format="json"
        ).status_code
        == 404
    )


def test_m25_reports_page_refuses_a_bad_month(client, director):
    client.force_login(director)
    page = client.get("/console/board/reports/", {"month": "May"})
    assert page.status_code == 400 and "Give a month as 2026-06." in page.content.decode()
