"""The revenue report (M24) as a spreadsheet: the filters, a row per month, office and item, the
total, and the months' totals on a second sheet.

Written with openpyxl in write-only mode, the rows read from the database a chunk at a time,
into a temporary file: memory stays flat however many rows the report has. Amounts are numbers
in yuan with two decimals, so the sheet adds them up as the report does.
"""

import tempfile

from django.utils.translation import gettext as _

from .revenue import RevenueReport, revenue_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
YUAN = "#,##0.00"


def revenue_filename(report: RevenueReport) -> str:
    who = report.office.code if report.office is not None else "all"
    return f"revenue-{who}-{report.filters.start.key}-{report.filters.end.key}.xlsx"


def revenue_xlsx(report: RevenueReport):
    """The report as an .xlsx in a temporary file, rewound."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Revenue"))
    bold = Font(bold=True)

    def money(value, *, strong=False, ws=sheet):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = YUAN
        if strong:
            cell.font = bold
        return cell

    def text(value, *, strong=False):
        cell = WriteOnlyCell(sheet, value=value)
        if strong:
            cell.font = bold
        return cell

    f = report.filters
    sheet.append([text(_("Revenue from paid and special services"), strong=True)])
    sheet.append([_("Months"), f"{f.start.key} – {f.end.key}"])
    sheet.append([_("Office"), report.office.name if report.office else _("All")])
    sheet.append([])
    sheet.append(
        [
            text(_("Month"), strong=True),
            text(_("Office"), strong=True),
            text(_("Category"), strong=True),
            text(_("Service"), strong=True),
            text(_("Charges"), strong=True),
            text(_("Revenue (CNY)"), strong=True),
            text(_("Of which special services (CNY)"), strong=True),
        ]
    )
    for raw in report.rows.iterator(chunk_size=CHUNK):
        row = revenue_row(raw)
        sheet.append(
            [
                row.month.key,
                row.office_name,
                row.category_name or None,
                row.item_name,
                row.totals.charges,
                money(row.totals.amount),
                money(row.totals.special),
            ]
        )
    total = report.total
    sheet.append(
        [
            text(_("Total"), strong=True),
            None,
            None,
            None,
            text(total.charges, strong=True),
            money(total.amount, strong=True),
            money(total.special, strong=True),
        ]
    )

    months = workbook.create_sheet(_("Months"))
    months.append(
        [_("Month"), _("Charges"), _("Revenue (CNY)"), _("Of which special services (CNY)")]
    )
    for m in report.months:
        months.append(
            [
                m.month.key,
                m.totals.charges,
                money(m.totals.amount, ws=months),
                money(m.totals.special, ws=months),
            ]
        )

    out = tempfile.TemporaryFile()  # noqa: SIM115  handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out
