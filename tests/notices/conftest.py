"""Notices' personas: ``customer`` lives in ``building`` of ``office``; ``neighbour`` in another
building of the same office; ``other_customer`` in ``other_office``."""

import pytest

from propdesk.notices import services
from propdesk.notices.models import Notice
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def building(household):
    return household.unit.building


@pytest.fixture
def neighbour(office):
    return f.CustomerFactory(office=office, name="王芳")


@pytest.fixture
def make_notice(director, quality):
    """A draft (an office notice by the director, a company one by quality)."""

    def make(*, scope=Notice.Scope.OFFICE, actor=None, **kwargs):
        actor = actor or (quality if scope == Notice.Scope.COMPANY else director)
        kwargs.setdefault("category", Notice.Category.CUSTOMER_NOTICE)
        kwargs.setdefault("title", "停水通知")
        kwargs.setdefault("body", "因管道检修, 本周六上午8点至12点停水, 请提前储水。")
        return services.notice_create(actor=actor, scope=scope, **kwargs)

    return make


@pytest.fixture
def published(make_notice, director):
    return services.notice_publish(actor=director, notice=make_notice())
