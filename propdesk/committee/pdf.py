"""A committee meeting's agenda and minutes as a Chinese PDF (M22): the agenda before the meeting;
once held, who came, the minutes and what each opinion led to.

ReportLab's built-in CID font ``STSong-Light`` renders Chinese with no font files, as the notice
poster does (DESIGN: PDF)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .models import Item, Meeting

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=TA_CENTER)
META = ParagraphStyle("meta", fontName=FONT, fontSize=10, leading=14, alignment=TA_CENTER)
HEAD = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=20, spaceBefore=8)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, wordWrap="CJK")


def _lines(text: str) -> list:
    return [Paragraph(escape(line.strip()), BODY) for line in text.splitlines() if line.strip()]


def meeting_pdf(meeting: Meeting, items) -> bytes:
    """``items``: the meeting's opinions with their actions (``selectors.items_of``)."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=meeting.committee.name,
    )
    when = timezone.localtime(meeting.held_at or meeting.planned_for).strftime("%Y-%m-%d %H:%M")
    held = meeting.state == Meeting.State.HELD
    title = _("Minutes of the committee meeting") if held else _("Agenda of the committee meeting")
    story = [
        Paragraph(escape(meeting.committee.name), TITLE),
        Paragraph(escape(title), TITLE),
        Spacer(1, 3 * mm),
        Paragraph(escape(f"{when} · {meeting.place} · {meeting.get_state_display()}"), META),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Agenda")), HEAD),
        *_lines(meeting.agenda),
    ]
    if meeting.state == Meeting.State.CANCELLED:
        story += [Paragraph(escape(_("Cancelled: %s") % meeting.cancel_reason), HEAD)]
    if held:
        staff = "、".join(u.display_name for u in meeting.staff_attendees.order_by("pk"))
        seats = "、".join(
            f"{s.customer.name}（{s.get_role_display()}）"
            for s in meeting.seat_attendees.select_related("customer").order_by("kind", "pk")
        )
        story += [
            Paragraph(escape(_("Present")), HEAD),
            Paragraph(escape(f"{_('Staff')}: {staff}"), BODY),
            Paragraph(escape(f"{_('Committee and representatives')}: {seats}"), BODY),
            Paragraph(escape(_("Minutes")), HEAD),
            *_lines(meeting.minutes),
            Paragraph(escape(_("Opinions and what they led to")), HEAD),
        ]
        for number, item in enumerate(items, start=1):
            story.append(Paragraph(escape(f"{number}. {item.text}"), BODY))
            if item.state == Item.State.ACTION:
                action = item.action
                outcome = _("Action: %(title)s — %(owner)s, %(department)s, due %(due)s") % {
                    "title": action.title,
                    "owner": action.owner.display_name,
                    "department": action.department.name,
                    "due": action.due_on.isoformat(),
                }
                outcome += f" · {action.get_state_display()} {action.progress}%"
            elif item.state == Item.State.ANSWERED:
                outcome = _("Answer: %s") % item.answer
            else:
                outcome = _("Awaiting a decision")
            story.append(Paragraph(escape(f"    → {outcome}"), BODY))
    doc.build(story)
    return buffer.getvalue()
