"""The monthly reports of the board (M25): on the first of each month, last month's board of every
office as a PDF to its director(s), and the company's to leadership and the Quality Management
Department; the reports' list and file, each scoped like the boards; and Quality making a past
report again.

A report is made once per office (or the company) and month: its ``MonthlyReport`` row is the
claim, inserted in the transaction that stores the file and writes the messages, so a second run
of the job, or two at once on two machines, sends nothing twice. The messages go through the
outbox (``core.notify``) with a link to the report's file, which the console serves only to
those who may read the report.

The figures of a report are the board's, which are not anyone's to hide: the job reads them as
the company does. The cases listed under an office's red measures are only those every director
of the office may see (a complaint about one of them is left out, as on his own board)."""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.lifecycle import check_version
from propdesk.core.measures import MONTH, Period, parse_period, period_of
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import Office, Role, User

from . import selectors
from .models import MonthlyReport
from .pdf import RedMeasure, monthly_pdf
from .targets import RED

log = logging.getLogger("propdesk.board")

CASES_LISTED = 5  # the first cases under each red measure of an office's report
# Read a few more than listed, in case some are hidden from one of the office's directors.
CASES_READ = CASES_LISTED * 4
# Who hears of the company's report.
COMPANY_READERS = (Role.LEADERSHIP, Role.QUALITY)


def last_month(now: dt.datetime) -> Period:
    return period_of(MONTH, now).previous()


def _company_reader() -> User:
    """The figures are read as the company reads them: a reader that is never saved."""
    return User(username="monthly-report", role=Role.LEADERSHIP, is_active=True)


def _directors(office_id: int) -> list[User]:
    return list(
        User.objects.filter(office_id=office_id, role=Role.DIRECTOR, is_active=True).order_by("pk")
    )


def _company_recipients() -> list[User]:
    return list(
        User.objects.filter(role__in=COMPANY_READERS, is_active=True, office__isnull=True).order_by(
            "pk"
        )
    )


def _keys_seen(measure, records, shown: list) -> set:
    """Which of ``shown`` are also among ``records`` (another reader's cases)."""
    if isinstance(records, QuerySet):
        return set(
            records.filter(pk__in=[r.pk for r in shown]).values_list("pk", flat=True).order_by()
        )
    return {measure.case(r).url for r in records}


def _key(measure, record, queryset: bool):
    return record.pk if queryset else measure.case(record).url


def red_measures(board, readers: list, *, now: dt.datetime) -> list[RedMeasure]:
    """Each red measure of an office's ``board`` with its first cases (for a rate, those that
    failed the rule), keeping only the cases every one of ``readers`` may see."""
    reds = []
    for line in board.lines:
        if line.status != RED:
            continue
        m = line.measure
        if m.cases is None:
            reds.append(RedMeasure(line=line, cases=[], more=False))
            continue
        shown, queryset = None, False
        for reader in readers:
            records = selectors.cases(
                reader, m.key, office_id=board.office.pk, period=board.period, missed=True, now=now
            ).records
            if shown is None:
                queryset = isinstance(records, QuerySet)
                shown = list(records[:CASES_READ])
            else:
                seen = _keys_seen(m, records, shown)
                shown = [r for r in shown if _key(m, r, queryset) in seen]
        reds.append(
            RedMeasure(
                line=line,
                cases=[m.case(r) for r in shown[:CASES_LISTED]],
                more=len(shown) > CASES_LISTED,
            )
        )
    return reds


def make_pdf(office: Office | None, period: Period, *, now: dt.datetime):
    """The report of ``office`` (None: the company) for the month ``period``: (pdf, board)."""
    reader = _company_reader()
    with translation.override(settings.LANGUAGE_CODE):
        if office is None:
            board = selectors.company_board(reader, period=period, now=now)
            return monthly_pdf(board, now=now), board
        board = selectors.office_board(reader, office.pk, period=period, now=now)
        reds = red_measures(board, _directors(office.pk) or [reader], now=now)
        return monthly_pdf(board, reds=reds, now=now), board


def _file_name(office: Office | None, period: Period, version: int = 1) -> str:
    who = office.code if office is not None else "company"
    suffix = f"-v{version}" if version > 1 else ""
    return f"board-{who}-{period.key}{suffix}.pdf"


def file_link(report: MonthlyReport) -> str:
    return reverse("console:board_report_file", args=[report.pk])


def _send(report: MonthlyReport, board, recipients: list[User], *, now: dt.datetime) -> int:
    who = report.office.name if report.office is not None else _("the company")
    key = f"{report.month:%Y-%m}"
    for user in recipients:
        notify(
            event="board_monthly_report",
            subject=_("Compliance board of %(who)s for %(month)s"),
            body=_(
                "The monthly report of %(who)s for %(month)s is ready: %(reds)s of %(judged)s "
                "measures judged are red. Open the link for the PDF."
            ),
            context={"who": who, "month": key, "reds": board.reds, "judged": board.judged},
            user=user,
            link=file_link(report),
            dedupe_key=f"board:report:{report.office_id or 0}:{key}:{user.pk}",
            now=now,
        )
    return len(recipients)


def _report_once(office: Office | None, period: Period, *, now: dt.datetime) -> bool:
    """Make and send one report, unless it was made already; True when this run made it."""
    claimed = MonthlyReport.objects.filter(office=office, month=period.start)
    if claimed.exists():
        return False  # the usual second run: nothing drawn
    pdf, board = make_pdf(office, period, now=now)
    report = MonthlyReport(
        office=office,
        month=period.start,
        size=len(pdf),
        reds=board.reds,
        judged=board.judged,
        generated_at=now,
    )
    report.file.save(_file_name(office, period), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            with transaction.atomic():  # the claim: a concurrent run's row makes this one fail
                report.save()
            recipients = _directors(office.pk) if office is not None else _company_recipients()
            report.recipients = _send(report, board, recipients, now=now)
            report.save(update_fields=["recipients"])
    except IntegrityError:
        report.file.delete(save=False)  # made meanwhile by another run, which sent it
        return False
    return True


def board_monthly_reports(*, now: dt.datetime, month: dt.date | None = None) -> dict:
    """The monthly job: last month's (or ``month``'s) report of every office and the company's,
    each made and sent once however often this runs. An office whose report fails is logged and
    left for the next run; the others still go."""
    period = last_month(now) if month is None else Period(MONTH, month.replace(day=1))
    made = failed = 0
    for office in [*Office.objects.order_by("code"), None]:
        try:
            made += _report_once(office, period, now=now)
        except Exception:  # noqa: BLE001 - one office's failure must not stop the others
            failed += 1
            log.exception("monthly report of %s for %s failed", office or "the company", period)
    return {"month": period.key, "made": made, "failed": failed}


@transaction.atomic
def report_regenerate(*, actor, report_id: int, version: int | None, now: dt.datetime):
    """Make a past report again from the figures as they stand now (Quality and admin): the
    file served becomes the new one; who and when are kept in the history. Nothing is sent
    again."""
    require(actor, "board.report_regenerate")
    report = get_scoped(
        MonthlyReport.objects.select_for_update(of=("self",)).select_related("office"),
        actor,
        pk=report_id,
    )
    check_version(report, version, message=_("This report was made again meanwhile."))
    period = Period(MONTH, report.month)
    pdf, board = make_pdf(report.office, period, now=now)
    report.version += 1
    report.file.save(
        _file_name(report.office, period, report.version), ContentFile(pdf), save=False
    )
    report.size, report.reds, report.judged = len(pdf), board.reds, board.judged
    report.generated_at, report.generated_by = now, actor
    report._history_user = actor
    report.save(
        update_fields=[
            "file",
            "size",
            "reds",
            "judged",
            "generated_at",
            "generated_by",
            "version",
        ]
    )
    return report


# --- reads -------------------------------------------------------------------------------------


def parse_month(value: str | None) -> Period | None:
    """``2026-05`` → that month; empty: None; anything else is refused, naming ``month``."""
    if not value:
        return None
    period = parse_period(MONTH, value)
    if period is None:
        raise DomainError(_("Give a month as 2026-06."), code="invalid_month", field="month")
    return period


def reports_for(user, *, month: Period | None = None) -> QuerySet:
    """The monthly reports ``user`` may read, newest month first, the company's before the
    offices' of a month: a director his office's, the company's roles every one."""
    require(user, "board.reports")
    qs = scope_for(MonthlyReport.objects.select_related("office", "generated_by"), user)
    if month is not None:
        qs = qs.filter(month=month.start)
    return qs.order_by("-month", F("office_id").asc(nulls_first=True))


def report_get(user, pk) -> MonthlyReport:
    """One report ``user`` may read; another office's is not found."""
    require(user, "board.reports")
    return get_scoped(MonthlyReport.objects.select_related("office", "generated_by"), user, pk=pk)
