"""The printable Service Guide: an A4 PDF of one edition (or of the draft), in Chinese.

ReportLab's built-in CID font ``STSong-Light`` renders Chinese with no font files (DESIGN: PDF).
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import selectors

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles():
    font = _font()
    base = ParagraphStyle("cjk", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=1),
        "sub": ParagraphStyle("sub", parent=base, fontSize=10, leading=14, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=6),
        "cell": base,
        "head": ParagraphStyle("head", parent=base, textColor=colors.white),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text or "—")).replace("\n", "<br/>"), style)


def render(edition) -> bytes:
    """The guide as PDF bytes: a published edition, or the draft (``selectors.draft_compile``)."""
    st = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="《服务指南》",
    )
    if edition.pk:
        when = timezone.localtime(edition.published_at).date().isoformat()
        subtitle = _("Edition %(number)s · published %(date)s") % {
            "number": edition.number,
            "date": when,
        }
    else:
        subtitle = _("Draft, not published")
    story = [
        _p("《服务指南》", st["title"]),
        _p(edition.office.name, st["sub"]),
        _p(subtitle, st["sub"]),
        Spacer(1, 4 * mm),
    ]
    hotlines = Table(
        [
            [
                _p(_("Complaint hotline"), st["cell"]),
                _p(_("Service hotline"), st["cell"]),
                _p(_("24-hour duty"), st["cell"]),
            ],
            [
                _p(edition.hotline_complaint, st["cell"]),
                _p(edition.hotline_service, st["cell"]),
                _p(edition.hotline_duty, st["cell"]),
            ],
        ],
        colWidths=[60 * mm] * 3,
    )
    hotlines.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story += [hotlines, Spacer(1, 4 * mm)]
    header = [
        _p(_("Service"), st["head"]),
        _p(_("Service hours"), st["head"]),
        _p(_("Contact phone"), st["head"]),
        _p(_("Price"), st["head"]),
    ]
    widths = [75 * mm, 35 * mm, 35 * mm, 35 * mm]
    for section in selectors.sections(selectors.entries_of(edition)):
        rows = [header]
        for e in section.entries:
            name = e.name + (f" ({_('special service')})" if e.is_special else "")
            if e.description:
                name = f"{name}\n{e.description}"
            rows.append(
                [
                    _p(name, st["cell"]),
                    _p(e.service_hours, st["cell"]),
                    _p(e.contact_phone, st["cell"]),
                    _p(e.price_label, st["cell"]),
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#345")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [_p(section.category, st["h2"]), table]
    doc.build(story)
    return buffer.getvalue()


def filename(edition) -> str:
    number = edition.number if edition.pk else "draft"
    return f"service-guide-{edition.office.code}-{number}.pdf"
