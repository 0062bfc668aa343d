import pytest

from propdesk.catalog.models import ServiceItem
from propdesk.org.models import HotlineLine
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def hotlines(office):
    """The office's three lines (M02)."""
    return {
        kind: f.HotlineLineFactory(office=office, kind=kind, number=number)
        for kind, number in [
            (HotlineLine.Kind.COMPLAINT, "+8675586001001"),
            (HotlineLine.Kind.SERVICE, "+8675586002002"),
            (HotlineLine.Kind.DUTY, "+8675586003003"),
        ]
    }


@pytest.fixture
def catalogue(office, other_office, free_item, paid_item):
    """Company-wide items, one of the office's own, one of another office, one inactive and
    one out of scope."""
    own = f.ServiceItemFactory(
        name="家政保洁",
        office=office,
        pricing=ServiceItem.Pricing.PER_UNIT,
        price="30.00",
        price_unit="小时",
        is_special=True,
    )
    f.ServiceItemFactory(name="碧湖洗车", office=other_office)
    f.ServiceItemFactory(name="旧服务", is_active=False)
    f.ServiceItemFactory(name="装修设计", in_scope=False)
    return {"free": free_item, "paid": paid_item, "own": own}
