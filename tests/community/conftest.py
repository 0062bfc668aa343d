"""Community activities' personas: ``customer`` lives in ``office`` (its community is
``community``); ``neighbour`` in another community of the same office; ``other_customer`` in
``other_office``. ``NOW`` is the clock every service call here runs at."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.community import services
from propdesk.community.models import Activity
from tests import factories as f

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)  # 18:00 in Shanghai, a Monday
START = NOW + dt.timedelta(days=5)  # Saturday 18:00 in Shanghai


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def community(household):
    return household.unit.building.community


@pytest.fixture
def neighbour(office):
    """A customer of the same office, in a community of their own."""
    return f.CustomerFactory(office=office, name="王芳")


@pytest.fixture
def make_customer(office):
    """More residents of ``office`` (each in a community of their own)."""
    count = iter(range(100))

    def make(**kwargs):
        n = next(count)
        kwargs.setdefault("name", f"住户{n}")
        kwargs.setdefault("phone", f"+861380000{n:04d}")
        return f.CustomerFactory(office=office, **kwargs)

    return make


@pytest.fixture
def make_activity(agent):
    """A draft activity of ``office`` for all its customers, starting at ``START``."""

    def make(*, actor=None, now=NOW, **kwargs):
        kwargs.setdefault("kind", Activity.Kind.CULTURE)
        kwargs.setdefault("title", "中秋游园会")
        kwargs.setdefault("place", "会所多功能厅")
        kwargs.setdefault("starts_at", START)
        kwargs.setdefault("ends_at", START + dt.timedelta(hours=2))
        kwargs.setdefault("capacity", 2)
        return services.activity_create(actor=actor or agent, now=now, **kwargs)

    return make


@pytest.fixture
def open_activity(make_activity, director):
    """A published activity with 2 places, announced without messages to customers."""
    return services.activity_publish(
        actor=director, activity=make_activity(), notify_customers=False, now=NOW
    )


@pytest.fixture
def at():
    """``at(hours)``: NOW plus so many hours."""
    return lambda hours=0: NOW + dt.timedelta(hours=hours)


def local(year, month, day, hour=0, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
