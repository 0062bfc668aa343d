"""Complaints' personas (tests/conftest.py): ``agent``, ``director`` and ``technician`` of
``office``; ``other_agent`` of ``other_office``; company ``quality``, ``leadership``,
``followup``; ``customer`` of ``office``. ``NOW`` is the clock the services run at."""

import datetime as dt

import pytest

from propdesk.complaints.models import Complaint
from propdesk.complaints.services import handling, intake, prevention
from propdesk.org.models import Role
from tests import factories as f

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday
HEARD = {
    "listened": True,
    "understanding": "理解您的心情, 给您带来不便非常抱歉",
    "explanation": "已通知保洁主管, 今天下午处理",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def quality2(company):
    """A second quality manager: nobody approves a report they wrote."""
    return f.UserFactory(role=Role.QUALITY, office=None, username="quality2")


@pytest.fixture
def file(agent, customer):
    """``file(**kw)``: a complaint taken on the office's complaint line by ``agent``."""

    def make(*, actor=None, now=NOW, **kwargs):
        kwargs.setdefault("channel", "hotline")
        kwargs.setdefault("account", "楼道垃圾三天没人清理, 气味很大")
        kwargs.setdefault("category", Complaint.Category.ENVIRONMENT)
        for key, value in HEARD.items():
            kwargs.setdefault(key, value)
        return intake.complaint_file(
            actor=actor or agent, customer=kwargs.pop("customer", customer), now=now, **kwargs
        )

    return make


@pytest.fixture
def at():
    return lambda hours=0: NOW + dt.timedelta(hours=hours)


def close_out(complaint, *, handler, answerer=None, now=None, owner=None):
    """Resolve, answer, analyse, set a measure and close (the office-level path)."""
    now = now or NOW + dt.timedelta(hours=5)
    handling.complaint_resolve(
        actor=handler, complaint=complaint, resolution="已清理并消毒", now=now
    )
    handling.complaint_answer(
        actor=answerer or handler,
        complaint=complaint,
        summary="回访: 客户满意",
        satisfied=True,
        now=now,
    )
    prevention.cause_record(
        actor=handler,
        complaint=complaint,
        cause_category=Complaint.Cause.PROCESS,
        analysis="保洁排班漏掉该楼道",
        now=now,
    )
    prevention.measure_add(
        actor=handler,
        complaint=complaint,
        description="保洁排班表逐楼核对, 主管每日抽查",
        owner=owner or handler,
        due_on=(now + dt.timedelta(days=7)).date(),
        now=now,
    )
    return handling.complaint_close(actor=handler, complaint=complaint, now=now)
