"""A campaign's exports (M16): every answer as a spreadsheet, and the report of an office or of
the company as a PDF.

The spreadsheet is written with openpyxl in write-only mode, a row per response as the rows come
from the database a chunk at a time, into a temporary file: memory stays flat however many
households answered. The PDF is drawn with ReportLab in Chinese (the built-in CID font, as the
notice poster is), with a bar chart of the satisfaction index per area drawn by
``reportlab.graphics``. Both are given figures already released (the caller checks the gate).
"""

import tempfile
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Question, Response

K = Question.Kind
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
CHUNK = 2000

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26)
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=12, wordWrap="CJK")


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def points(value) -> str:
    """A change of the index in percentage points, signed."""
    return "—" if value is None else f"{value * 100:+.1f}"


# --- the spreadsheet ----------------------------------------------------------------------------


def _cell(question: Question, value, labels: dict) -> object:
    if value in (None, "", []):
        return None
    if question.kind == K.SCALE:
        return value
    if question.kind == K.CHOICE:
        return labels.get(value, value)
    if question.kind == K.MULTI:
        return "、".join(labels.get(v, v) for v in value)
    return value


def answers_xlsx(campaign, *, office_id: int | None = None, office_ids=None):
    """Every response of the campaign (of one office, or of the offices in ``office_ids``) as an
    .xlsx in a temporary file, rewound: code, office, address, channel, when, each question's
    answer, the opinion."""
    from openpyxl import Workbook

    questions = list(campaign.questionnaire.questions.order_by("position"))
    labels = {q.pk: dict(q.display_options) for q in questions}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Answers"))
    sheet.append(
        [
            _("Code"),
            _("Office"),
            _("Address"),
            _("Answered through"),
            _("Answered at"),
            *[f"{q.position}. {q.display_text}" for q in questions if not q.is_opinion],
            _("Opinions and suggestions"),
        ]
    )
    rows = Response.objects.filter(campaign=campaign)
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    if office_ids is not None:
        rows = rows.filter(office_id__in=sorted(office_ids))
    rows = rows.select_related(
        "participant", "office", "household__unit__building__community"
    ).order_by("office_id", "pk")
    channels = dict(Response.Channel.choices)
    for response in rows.iterator(chunk_size=CHUNK):
        data = response.data or {}
        sheet.append(
            [
                response.participant.code,
                response.office.name,
                response.household.address,
                str(channels.get(response.channel, response.channel)),
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                *[
                    _cell(q, data.get(str(q.pk)), labels[q.pk])
                    for q in questions
                    if not q.is_opinion
                ],
                response.opinion or None,
            ]
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115  handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


# --- the report ---------------------------------------------------------------------------------


def _table(rows, widths=None, header=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    table.setStyle(TableStyle(style))
    return table


def _area_chart(area_rows) -> Drawing:
    """The satisfaction index per area as bars (this campaign, and the previous one if any)."""
    drawing = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = 150 * mm, 48 * mm
    now = [float((row.index.index or 0) * 100) for row in area_rows]
    data = [now]
    if any(row.previous is not None for row in area_rows):
        data.append(
            [float(((row.previous and row.previous.index) or 0) * 100) for row in area_rows]
        )
    chart.data = data
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.categoryAxis.categoryNames = [row.label for row in area_rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 20
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.bars[0].fillColor = colors.HexColor("#3b6fb6")
    if len(data) > 1:
        chart.bars[1].fillColor = colors.HexColor("#b8c7dc")
    drawing.add(chart)
    drawing.add(String(0, 66 * mm, "%", fontName=FONT, fontSize=8))
    return drawing


def report_pdf(stats, topics, *, part=None) -> bytes:
    """The report of one office (``part``, with its written analysis) or of the company."""
    buffer = BytesIO()
    campaign = stats.campaign
    who = part.office.name if part is not None else _("The company")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{campaign.title} · {who}",
    )
    if part is not None:
        [office] = stats.included
        figures, previous = office.figures, office.previous
        households, responses = office.part.households, office.part.responses
        rate, change = office.part.return_rate, office.change
    else:
        figures, previous = stats.total, stats.previous_total
        households, responses = stats.households, stats.responses
        rate, change = stats.return_rate, stats.change
    p = escape
    story = [
        Paragraph(p(f"{campaign.title} · {who}"), TITLE),
        Paragraph(
            p(
                _("Collection deadline %(deadline)s; report made %(made)s")
                % {
                    "deadline": timezone.localtime(campaign.deadline).strftime("%Y-%m-%d"),
                    "made": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                }
            ),
            SMALL,
        ),
        Spacer(1, 4 * mm),
        _table(
            [
                [_("Households"), _("Answered"), _("Return rate"), _("Satisfaction index")],
                [
                    households,
                    responses,
                    percent(rate),
                    percent(figures.index.index),
                ],
                [_("Mean score"), _("Previous campaign"), _("Change (points)"), ""],
                [
                    figures.index.mean if figures.index.mean is not None else "—",
                    stats.previous_campaign.title if stats.previous_campaign else "—",
                    points(change),
                    "",
                ],
            ],
            header=False,
        ),
        Paragraph(
            p(
                _(
                    "The satisfaction index is the share of satisfaction answers (1 to 5) that "
                    "are 4 or 5."
                )
            ),
            SMALL,
        ),
    ]
    area_rows = stats.area_rows(figures, previous)
    story += [Paragraph(p(_("Satisfaction index per service area")), H2), _area_chart(area_rows)]
    story.append(
        _table(
            [[_("Area"), _("Answers"), _("Index"), _("Mean"), _("Previous"), _("Change")]]
            + [
                [
                    row.label,
                    row.index.answers,
                    percent(row.index.index),
                    row.index.mean if row.index.mean is not None else "—",
                    percent(row.previous.index if row.previous else None),
                    points(row.change),
                ]
                for row in area_rows
            ]
        )
    )
    if part is None and (stats.included or stats.excluded):
        story.append(Paragraph(p(_("Offices")), H2))
        rows = [
            [_("Office"), _("Households"), _("Answered"), _("Return rate"), _("Index"), _("Change")]
        ]
        for office in stats.included:
            rows.append(
                [
                    office.office.name,
                    office.part.households,
                    office.part.responses,
                    percent(office.part.return_rate),
                    percent(office.figures.index.index),
                    points(office.change),
                ]
            )
        for excluded in stats.excluded:
            rows.append(
                [
                    excluded.office.name,
                    excluded.households,
                    excluded.responses,
                    percent(excluded.return_rate),
                    _("not included"),
                    "",
                ]
            )
        story.append(_table(rows))
    story.append(Paragraph(p(_("Answers per question")), H2))
    for row in stats.question_rows(figures):
        if row.question.kind == K.TEXT:
            continue
        cells = " · ".join(f"{label}: {count}" for _value, label, count, _share in row.rows)
        story.append(Paragraph(p(f"{row.question.position}. {row.question.display_text}"), BODY))
        story.append(Paragraph(p(cells), SMALL))
    story.append(Paragraph(p(_("Issues raised by many")), H2))
    if topics.topics:
        story.append(
            _table(
                [[_("Keyword"), _("Households"), _("For example")]]
                + [
                    [t.word, t.households, Paragraph(p(t.samples[0] if t.samples else ""), SMALL)]
                    for t in topics.topics[:12]
                ],
                widths=[30 * mm, 22 * mm, 120 * mm],
            )
        )
    else:
        story.append(Paragraph(p(_("No opinions were written.")), BODY))
    if part is not None:
        story.append(Paragraph(p(_("Analysis and conclusions")), H2))
        if part.analysis:
            for line in part.analysis.splitlines():
                if line.strip():
                    story.append(Paragraph(p(line), BODY))
        else:
            story.append(Paragraph(p(_("Not written yet.")), BODY))
    doc.build(story)
    return buffer.getvalue()
