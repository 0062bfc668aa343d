"""The monthly report as a Chinese PDF (M25): an office's board, or the company's, for one month —
every measure with its target, its value, red or green and a small bar chart of its last 12
months; for an office, each red measure with its first cases; for the company, the offices with
the most red measures.

ReportLab's built-in CID font ``STSong-Light`` renders Chinese with no font files, as the other
PDFs of propdesk do (DESIGN: PDF). The bars are drawn with ``reportlab.graphics``."""

from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from propdesk.core.measures import MONTH, PERCENT, Case

from .targets import GREEN, NONE, RED

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26)
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=12, wordWrap="CJK")
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")

COLOURS = {GREEN: colors.HexColor("#34a853"), RED: colors.HexColor("#d93025")}
TINTS = {GREEN: colors.HexColor("#e6f4ea"), RED: colors.HexColor("#fce8e6")}
GREY = colors.HexColor("#c4c7c5")
# The offices the company's report names, those with the most red measures first.
OFFICES_LISTED = 30


@dataclass
class RedMeasure:
    """A red measure of an office's report with the first cases behind it."""

    line: object  # selectors.Line
    cases: list[Case]
    more: bool  # there are more cases than listed


def value_text(measure, value) -> str:
    if value is None:
        return "—"
    space = "" if measure.unit == PERCENT else " "
    return f"{value}{space}{measure.unit_label}".strip()


def target_text(line) -> str:
    if line.target is None:
        return _("none")
    sign = "≥" if line.measure.higher_is_better else "≤"
    return f"{sign} {value_text(line.measure, line.target.normalize())}"


def status_text(status: str) -> str:
    return {GREEN: _("green"), RED: _("red")}.get(status, "—")


def _trend(line) -> Drawing:
    """The last periods as small bars, red or green, the target as a dashed line."""
    width, height = 40 * mm, 9 * mm
    drawing = Drawing(width, height)
    values = [abs(float(p.value)) for p in line.trend if p.value is not None]
    top = 100.0 if line.measure.unit == PERCENT else max(values, default=0.0)
    if line.target is not None and line.measure.unit != PERCENT:
        top = max(top, abs(float(line.target)))
    top = top or 1.0
    n = max(len(line.trend), 1)
    step = width / n
    for i, point in enumerate(line.trend):
        if point.value is None:
            continue
        bar = max(0.6, abs(float(point.value)) / top * (height - 1))
        drawing.add(
            Rect(
                i * step + step * 0.15,
                0,
                step * 0.7,
                bar,
                fillColor=COLOURS.get(point.status, GREY),
                strokeColor=None,
            )
        )
    if line.target is not None:
        y = min(abs(float(line.target)) / top, 1) * (height - 1)
        drawing.add(
            Line(
                0,
                y,
                width,
                y,
                strokeColor=colors.HexColor("#5f6368"),
                strokeWidth=0.4,
                strokeDashArray=[1.5, 1.5],
            )
        )
    return drawing


def _period_text(period) -> str:
    if period.kind == MONTH:
        return _("Month %(key)s") % {"key": period.key}
    return _("Week %(key)s (%(start)s – %(end)s)") % {
        "key": period.key,
        "start": period.start,
        "end": period.last_day,
    }


def _measures_table(board) -> Table:
    rows = [
        [
            _("Rule"),
            pgettext("board", "Measure"),
            _("Target"),
            _("Figure"),
            _("Status"),
            _("Last %(n)s months") % {"n": len(board.lines[0].trend) if board.lines else 0},
        ]
    ]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ]
    for i, line in enumerate(board.lines, start=1):
        m, current = line.measure, line.current
        figure = value_text(m, current.value)
        if m.denominator_label:
            figure += (
                f"\n{current.figure.numerator} {m.numerator_label}"
                f" / {current.figure.denominator} {m.denominator_label}"
            )
        rows.append(
            [
                m.rule,
                Paragraph(escape(str(m.label)), CELL),
                target_text(line),
                Paragraph(escape(figure).replace("\n", "<br/>"), CELL),
                status_text(line.status),
                _trend(line),
            ]
        )
        if line.status != NONE:
            style.append(("BACKGROUND", (4, i), (4, i), TINTS[line.status]))
            style.append(("TEXTCOLOR", (4, i), (4, i), COLOURS[line.status]))
    table = Table(
        rows,
        colWidths=[12 * mm, 52 * mm, 24 * mm, 34 * mm, 14 * mm, 42 * mm],
        repeatRows=1,
    )
    table.setStyle(TableStyle(style))
    return table


def _reds_section(reds: list[RedMeasure]) -> list:
    story = [Paragraph(escape(_("Red measures and the cases behind them")), H2)]
    if not reds:
        story.append(Paragraph(escape(_("No measure is red this month.")), BODY))
        return story
    for red in reds:
        line = red.line
        story.append(
            Paragraph(
                escape(
                    f"{line.measure.rule} {line.measure.label}: "
                    f"{value_text(line.measure, line.current.value)} ({target_text(line)})"
                ),
                BODY,
            )
        )
        if not red.cases:
            story.append(Paragraph(escape(_("No single case is behind this figure.")), SMALL))
        for case in red.cases:
            when = case.when
            if hasattr(when, "hour"):
                when = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
            parts = [case.title, str(when or ""), case.detail]
            story.append(Paragraph(escape("· " + " · ".join(p for p in parts if p)), SMALL))
        if red.more:
            story.append(Paragraph(escape(_("… and more: open the cases on the board.")), SMALL))
        story.append(Spacer(1, 2 * mm))
    return story


def _offices_section(board) -> list:
    rows = [r for r in board.offices if r.reds][:OFFICES_LISTED]
    story = [Paragraph(escape(_("Offices with red measures")), H2)]
    if not rows:
        story.append(Paragraph(escape(_("No office has a red measure this month.")), BODY))
        return story
    by_key = [line.measure for line in board.lines]
    table_rows = [[_("Office"), _("Red"), _("Red measures")]]
    for row in rows:
        names = "、".join(
            f"{m.rule} {m.label}"
            for m, cell in zip(by_key, row.cells, strict=True)
            if cell.status == RED
        )
        table_rows.append(
            [Paragraph(escape(row.office.name), CELL), row.reds, Paragraph(escape(names), CELL)]
        )
    table = Table(table_rows, colWidths=[45 * mm, 12 * mm, 121 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ]
        )
    )
    story.append(table)
    hidden = sum(1 for r in board.offices if r.reds) - len(rows)
    if hidden > 0:
        story.append(
            Paragraph(
                escape(_("… and %(n)s more offices: see the company's board.") % {"n": hidden}),
                SMALL,
            )
        )
    return story


def monthly_pdf(board, *, reds: list[RedMeasure] | None = None, now) -> bytes:
    """The report of ``board`` (an office's or the company's, ``selectors``); ``reds``: an
    office's red measures with their first cases."""
    buffer = BytesIO()
    who = board.office.name if board.office is not None else _("The company")
    title = _("%(who)s: compliance board") % {"who": who}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{title} · {board.period.key}",
    )
    made = _("Made %(made)s") % {"made": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
    computed_at = getattr(board, "computed_at", None)
    if computed_at:
        made += " · " + _("Figures as of %(when)s") % {
            "when": timezone.localtime(computed_at).strftime("%Y-%m-%d %H:%M")
        }
    story = [
        Paragraph(escape(title), TITLE),
        Paragraph(escape(f"{_period_text(board.period)} · {made}"), SMALL),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(
                _("%(reds)s of %(judged)s measures judged are red.")
                % {"reds": board.reds, "judged": board.judged}
            ),
            BODY,
        ),
        Spacer(1, 2 * mm),
        _measures_table(board),
    ]
    if board.office is not None:
        story += _reds_section(reds or [])
    else:
        story += _offices_section(board)
    doc.build(story)
    return buffer.getvalue()
