"""A board as a spreadsheet (M25): the first sheet "Board" with every measure — rule, target,
figure, red or green, numerator and denominator, and the trend's periods — then, for the
company, each office's figures, then one sheet per measure listing the cases behind its figure
(for a rate, those that failed the rule), as the board's drill-down lists them.

Written with openpyxl in write-only mode into a temporary file, the cases a chunk at a time, so
memory stays flat; each measure's sheet stops at ``CASES_CAP`` rows and says so."""

import datetime as dt
import tempfile
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from propdesk.core.measures import MONTH

from . import selectors
from .targets import GREEN, RED

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASES_CAP = 5000  # rows per measure's sheet
CHUNK = 1000


def _status(status: str) -> str:
    return {GREEN: _("green"), RED: _("red")}.get(status, "")


def _direction(measure) -> str:
    return "≥" if measure.higher_is_better else "≤"


def _excel_time(value):
    """A datetime as Excel keeps them: local and without a zone."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def sheet_name(measure) -> str:
    return measure.key[:31]  # Excel's limit; the keys are shorter and unique


def cases_link(board, measure, base: str) -> str:
    query = {"period": board.period.kind, "at": board.period.key}
    if board.office is not None:
        query["office"] = board.office.pk
    if measure.cases_url is not None:
        url = measure.cases_url(board.office.pk if board.office else None, board.period)
    else:
        url = f"{reverse('console:board_cases', args=[measure.key])}?{urlencode(query)}"
    return f"{base}{url}"


def _board_sheet(workbook, board, *, now: dt.datetime, base: str) -> None:
    sheet = workbook.create_sheet(_("Board"))
    who = board.office.name if board.office is not None else _("The company")
    kind = _("Month") if board.period.kind == MONTH else _("Week")
    sheet.append([who, f"{kind} {board.period.key}"])
    # Counted from the rollups at their time, else from the records now.
    computed_at = getattr(board, "computed_at", None) or now
    sheet.append([_("Figures as of"), _excel_time(computed_at)])
    sheet.append([])
    periods = [p.period.key for p in board.lines[0].trend] if board.lines else []
    sheet.append(
        [
            _("Rule"),
            pgettext("board", "Measure"),
            _("Unit"),
            _("Direction"),
            _("Target"),
            _("Value"),
            _("Status"),
            _("Numerator"),
            _("Numerator is"),
            _("Denominator"),
            _("Denominator is"),
            _("Cases"),
            *periods,
        ]
    )
    for line in board.lines:
        m, current = line.measure, line.current
        cases = sheet_name(m) if m.cases is not None else cases_link(board, m, base)
        sheet.append(
            [
                m.rule,
                str(m.label),
                str(m.unit_label),
                _direction(m),
                line.target,
                current.value,
                _status(current.status),
                current.figure.numerator,
                str(m.numerator_label),
                current.figure.denominator,
                str(m.denominator_label),
                cases,
                *[p.value for p in line.trend],
            ]
        )


def _offices_sheet(workbook, board) -> None:
    sheet = workbook.create_sheet(_("Offices"))
    sheet.append(
        [
            _("Office"),
            _("Code"),
            _("Red"),
            *[f"{x.measure.rule} {x.measure.key}" for x in board.lines],
        ]
    )
    for row in board.offices:
        sheet.append([row.office.name, row.office.code, row.reds, *[c.value for c in row.cells]])


def _cases_sheet(workbook, user, board, line, *, now, base: str) -> None:
    m = line.measure
    sheet = workbook.create_sheet(sheet_name(m))
    found = selectors.cases(
        user,
        m.key,
        office_id=board.office.pk if board.office else None,
        period=board.period,
        missed=True,
        now=now,
    )
    what = _("the records that failed the rule") if found.missed else _("every record counted")
    sheet.append([f"{m.rule} {m.label}", f"{board.period.key}: {what}"])
    sheet.append([_("Case"), _("Office"), _("When"), _("Detail"), _("Failed the rule"), _("Link")])
    records = found.records
    if isinstance(records, QuerySet):
        records = records[: CASES_CAP + 1].iterator(chunk_size=CHUNK)
    for listed, record in enumerate(records):
        if listed == CASES_CAP:
            sheet.append([])
            sheet.append(
                [
                    _("Only the first %(cap)s cases are listed; the board lists them all.")
                    % {"cap": f"{CASES_CAP:,}"},
                    cases_link(board, m, base),
                ]
            )
            break
        case = m.case(record)
        sheet.append(
            [
                case.title,
                case.office,
                _excel_time(case.when),
                case.detail,
                None if case.missed is None else (_("yes") if case.missed else _("no")),
                f"{base}{case.url}",
            ]
        )


def board_xlsx(user, board, *, now: dt.datetime, base: str = ""):
    """``board`` (an office's or the company's, from ``selectors``) with the cases behind every
    figure, as an .xlsx in a temporary file, rewound. ``base``: the site's address, put before
    the links. The cases are read as ``user`` may see them."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _board_sheet(workbook, board, now=now, base=base)
    if board.office is None and board.offices:
        _offices_sheet(workbook, board)
    for line in board.lines:
        if line.measure.cases is not None:
            _cases_sheet(workbook, user, board, line, now=now, base=base)
    out = tempfile.TemporaryFile()  # noqa: SIM115  handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


def file_name(board) -> str:
    who = board.office.code if board.office is not None else "company"
    return f"board-{who}-{board.period.key}.xlsx"
