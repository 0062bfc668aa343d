from decimal import Decimal

import pytest

from propdesk.catalog.models import ServiceItem


@pytest.mark.parametrize(
    ("pricing", "price", "unit", "label", "chargeable"),
    [
        ("free", "0", "", "Free", False),
        ("fixed", "80.00", "", "¥80.00", True),
        ("from", "50.00", "", "from ¥50.00", True),
        ("per_unit", "30.00", "米", "¥30.00 per 米", True),
    ],
)
def test_m10_fee_standard_label_per_pricing_kind(pricing, price, unit, label, chargeable):
    item = ServiceItem(pricing=pricing, price=Decimal(price), price_unit=unit)
    assert item.price_label == label
    assert item.is_chargeable is chargeable
