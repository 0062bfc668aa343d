from decimal import Decimal

import pytest
from django.utils import translation

from propdesk.catalog.models import ServiceCategory
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source messages, whatever the default language.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def category(db):
    return f.ServiceCategoryFactory(name="水电维修类", kind=ServiceCategory.Kind.REPAIR, position=1)


@pytest.fixture
def company_item(category):
    """Company-wide (no office): only the administrator edits it."""
    return f.ServiceItemFactory(
        category=category, name="管道疏通", office=None, steps=["上门查看", "疏通", "清理现场"]
    )


@pytest.fixture
def office_item(category, office):
    return f.ServiceItemFactory(
        category=category,
        name="门窗维修",
        office=office,
        pricing="fixed",
        price=Decimal("80.00"),
        steps=["查看门窗", "更换配件"],
    )


@pytest.fixture
def other_office_item(category, other_office):
    return f.ServiceItemFactory(category=category, name="屋面漏水", office=other_office)


@pytest.fixture
def item_values(category):
    """Valid keyword arguments for item_create; override one to make it bad."""

    def values(**overrides):
        return {
            "category": category,
            "name": "空调清洗",
            "description": "挂机或柜机内部清洗",
            "service_hours": "8:00-20:00",
            "contact_phone": "0755-12345678",
            "pricing": "fixed",
            "price": "120",
            "price_unit": "",
            "in_scope": True,
            "is_special": False,
            "default_completion_hours": 48,
            **overrides,
        }

    return values
