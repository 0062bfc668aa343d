"""Helpers for the customer tests: roster files built in memory, and a customer with history."""

import datetime as dt
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from propdesk.hotline.models import Call
from propdesk.tickets.models import Channel, Charge, Contact, Kind, Quote, Status, Ticket
from tests import factories as f

HEADER = ["楼栋", "单元", "房号", "面积", "姓名", "身份", "手机", "重要客户", "业委会", "客户代表"]
_seq = itertools.count(1)


def xlsx(rows, header=HEADER, *, title_rows=()) -> SimpleUploadedFile:
    """An .xlsx upload: optional title rows, the header, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*title_rows, header, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "roster.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture(autouse=True)
def _english(settings):
    """Assert on the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def line(office):
    return f.HotlineLineFactory(office=office)


@pytest.fixture
def seed_history(agent, line):
    """``seed(customer, n)``: n requests, contacts, calls, quotes and charges for the customer.

    Rows are written directly: these tests are about reading them back, not about the lifecycle.
    """

    def seed(customer, n, *, household=None, item=None, kind=Kind.REPAIR, amount="80.00"):
        household = household or customer.households.first()
        now = timezone.now()
        for i in range(n):
            number = f"T{next(_seq):08d}"
            ticket = Ticket.objects.create(
                number=number,
                office_id=customer.office_id,
                kind=kind,
                channel=Channel.HOTLINE,
                status=Status.COMPLETED,
                customer=customer,
                household=household,
                item=item,
                description=f"第{i}次报修",
                due_at=now + dt.timedelta(hours=24),
                created_by=agent,
            )
            Contact.objects.create(
                office_id=customer.office_id,
                customer=customer,
                household=household,
                ticket=ticket,
                channel=Channel.HOTLINE,
                direction=Contact.Direction.INBOUND,
                stage=Contact.Stage.BEFORE,
                staff=agent,
                at=now - dt.timedelta(minutes=i),
                summary=f"来电报修 {i}",
            )
            Call.objects.create(
                line=line,
                office_id=customer.office_id,
                caller_number="13912345678",
                caller_e164="+8613912345678",
                state=Call.State.ENDED,
                started_at=now - dt.timedelta(minutes=i),
                handler=agent,
                customer=customer,
                ticket=ticket,
            )
            Quote.objects.create(
                ticket=ticket,
                state=Quote.State.ACCEPTED,
                total=Decimal(amount),
                token_hash=f"hash-{number}",
                expires_at=now + dt.timedelta(days=1),
                created_by=agent,
            )
            Charge.objects.create(
                office_id=customer.office_id,
                ticket=ticket,
                customer=customer,
                household=household,
                item=item,
                is_special=bool(item and item.is_special),
                amount=Decimal(amount),
                recorded_at=now,
                recorded_by=agent,
            )

    return seed
