"""The notice-board poster (M05): one A4 page (or more, for a long text) to print and post.

ReportLab's built-in CID font ``STSong-Light`` renders Chinese with no font files (DESIGN: PDF).
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from propdesk.core.phones import display_phone
from propdesk.org.models import HotlineLine

from .models import Notice

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=24, leading=32, alignment=TA_CENTER)
META = ParagraphStyle("meta", fontName=FONT, fontSize=10, leading=14, alignment=TA_CENTER)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=22, wordWrap="CJK")
SIGN = ParagraphStyle("sign", fontName=FONT, fontSize=12, leading=18, alignment=TA_RIGHT)
FOOT = ParagraphStyle("foot", fontName=FONT, fontSize=9, leading=12, alignment=TA_CENTER)


def _hotlines(notice: Notice) -> str:
    if notice.office_id is None:
        return ""
    lines = HotlineLine.objects.filter(office_id=notice.office_id).order_by("kind")
    return "  ".join(f"{line.get_kind_display()} {display_phone(line.number)}" for line in lines)


def _where(notice: Notice) -> str:
    if notice.scope == Notice.Scope.COMPANY:
        return _("All communities")
    if notice.scope == Notice.Scope.BUILDINGS:
        names = notice.buildings.select_related("community").order_by("community__name", "name")
        return "、".join(str(b) for b in names)
    return notice.office.name


def notice_poster(notice: Notice) -> bytes:
    buffer = BytesIO()
    hotlines = _hotlines(notice)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 9)
        text = f"{_('Hotline')}: {hotlines}" if hotlines else ""
        canvas.drawCentredString(A4[0] / 2, 12 * mm, text)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=notice.title,
    )
    issued = notice.published_at or notice.publish_at or timezone.now()
    date = timezone.localtime(issued).strftime("%Y-%m-%d")
    office = notice.office.name if notice.office_id else _("Property management")
    story = [
        Paragraph(escape(notice.title), TITLE),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"{notice.get_category_display()} · {_where(notice)}"), META),
        Spacer(1, 10 * mm),
    ]
    for paragraph in notice.body.splitlines():
        if paragraph.strip():
            story += [Paragraph(escape(paragraph.strip()), BODY), Spacer(1, 3 * mm)]
    story += [Spacer(1, 12 * mm), Paragraph(escape(office), SIGN), Paragraph(date, SIGN)]
    if notice.corrected_at:
        corrected = timezone.localtime(notice.corrected_at).strftime("%Y-%m-%d")
        story.append(Paragraph(escape(_("Corrected on %(date)s") % {"date": corrected}), SIGN))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
