"""Printed questionnaires (M16): one A4 page per household, in the household's language (Chinese
by default), with its code and address, the campaign's title and deadline, every question with
tick boxes numbered as staff type them in, the opinions box, and a QR code of its one-time link
for answering on a phone instead.

ReportLab's built-in CID font ``STSong-Light`` renders Chinese with no font files (DESIGN: PDF),
as the notice poster does. The code is set in Helvetica as well, so it is machine-readable. The
QR is drawn once per household as a form XObject named after the link's digest, and the same
area is a link annotation to the URL, for anyone reading the file on screen.
"""

import hashlib
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from propdesk.core.notify import site_url

from .models import Campaign, Participant, Question
from .services import answer_link

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
COMPANY_LANGUAGE = "zh-hans"
QR_SIZE = 32 * mm
BOX = "□"

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=17, leading=22)
META = ParagraphStyle("meta", fontName=FONT, fontSize=10, leading=14)
INTRO = ParagraphStyle("intro", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
Q_TEXT = ParagraphStyle("q", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, alignment=TA_CENTER)
CODE = ParagraphStyle(
    "code", fontName="Helvetica-Bold", fontSize=12, leading=14, alignment=TA_CENTER
)


def link_url(participant: Participant) -> str:
    """The household's one-time link, absolute, as the messages give it."""
    return site_url(answer_link(participant))


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(url, barWidth=size, barHeight=size, barBorder=2))
    return drawing


def qr_form_name(url: str) -> str:
    return "qr" + hashlib.sha256(url.encode()).hexdigest()[:16]


class QrCode(Flowable):
    """The link's QR code, drawn as a named form XObject, and a link to the same URL."""

    def __init__(self, url: str, size: float = QR_SIZE):
        super().__init__()
        self.url, self.size = url, size
        self.width = self.height = size

    def draw(self):
        canvas, name = self.canv, qr_form_name(self.url)
        if not canvas.hasForm(name):
            canvas.beginForm(name, lowerx=0, lowery=0, upperx=self.size, uppery=self.size)
            renderPDF.draw(qr_drawing(self.url, self.size), canvas, 0, 0)
            canvas.endForm()
        canvas.doForm(name)
        canvas.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)


def _p(text, style=Q_TEXT) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _deadline(campaign: Campaign) -> str:
    return timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M")


def _header(campaign: Campaign, participant: Participant, url: str) -> Table:
    questionnaire = campaign.questionnaire
    left = [
        _p(questionnaire.display_title, TITLE),
        Spacer(1, 2 * mm),
        _p(campaign.title, META),
        _p(_("Please return it by %(deadline)s.") % {"deadline": _deadline(campaign)}, META),
        Spacer(1, 2 * mm),
        _p(_("Household: %(address)s") % {"address": participant.household.address}, META),
        _p(_("Questionnaire code: %(code)s") % {"code": participant.code}, META),
    ]
    right = [
        QrCode(url),
        _p(_("Or scan to answer on your phone"), SMALL),
        Paragraph(escape(participant.code), CODE),
    ]
    table = Table([[left, right]], colWidths=[130 * mm, 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _scale_table(questions: list[Question]) -> Table:
    head = [
        _p(_("Satisfaction: tick one box a line"), META),
        *[_p(f"{n}", SMALL) for n in range(1, 6)],
    ]
    legend = [
        _p(
            _("1 very dissatisfied · 2 dissatisfied · 3 neutral · 4 satisfied · 5 very satisfied"),
            INTRO,
        ),
        "",
        "",
        "",
        "",
        "",
    ]
    rows = [head, legend]
    for q in questions:
        rows.append([_p(f"{q.position}. {q.display_text}"), *[_p(BOX, META)] * 5])
    table = Table(rows, colWidths=[120 * mm] + [10 * mm] * 5, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 1), (-1, 1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("LINEBELOW", (0, 2), (-1, -1), 0.25, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _choice(question: Question) -> KeepTogether:
    hint = _("tick one") if question.kind == Question.Kind.CHOICE else _("tick any")
    options = "    ".join(
        f"{n}{BOX} {label}" for n, (_value, label) in enumerate(question.display_options, 1)
    )
    return KeepTogether(
        [
            _p(f"{question.position}. {question.display_text} ({hint})"),
            Spacer(1, 1 * mm),
            _p(options, META),
            Spacer(1, 3 * mm),
        ]
    )


def _text_box(question: Question, height: float) -> KeepTogether:
    box = Table([[""]], colWidths=[170 * mm], rowHeights=[height])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey)]))
    return KeepTogether(
        [_p(f"{question.position}. {question.display_text}"), Spacer(1, 1 * mm), box]
    )


def _household_story(campaign: Campaign, questions, participant: Participant) -> list:
    url = link_url(participant)
    story = [_header(campaign, participant, url), Spacer(1, 3 * mm)]
    if campaign.questionnaire.display_intro:
        story += [_p(campaign.questionnaire.display_intro, INTRO), Spacer(1, 3 * mm)]
    scale = [q for q in questions if q.kind == Question.Kind.SCALE]
    if scale:
        story += [_scale_table(scale), Spacer(1, 4 * mm)]
    for q in questions:
        if q.kind in (Question.Kind.CHOICE, Question.Kind.MULTI):
            story.append(_choice(q))
        elif q.kind == Question.Kind.TEXT:
            story += [_text_box(q, 38 * mm if q.is_opinion else 18 * mm), Spacer(1, 3 * mm)]
    return story


def _language(participant: Participant) -> str:
    customer = participant.customer
    return (customer.language if customer and customer.language else "") or COMPANY_LANGUAGE


def questionnaires_pdf(campaign: Campaign, participants: list[Participant]) -> bytes:
    """One questionnaire per household, each on its own page(s), in one PDF."""
    buffer = BytesIO()
    questions = list(campaign.questionnaire.questions.order_by("position"))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(
            A4[0] / 2,
            10 * mm,
            _("One questionnaire per household. Return it to the service center or answer online."),
        )
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=campaign.title,
    )
    story: list = []
    for n, participant in enumerate(participants):
        with translation.override(_language(participant)):
            if n:
                story.append(PageBreak())
            story += _household_story(campaign, questions, participant)
    with translation.override(COMPANY_LANGUAGE):
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
