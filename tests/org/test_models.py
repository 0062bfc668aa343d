"""The company: its own complaint line (M17)."""

import pytest

pytestmark = pytest.mark.django_db


def test_m17_the_company_complaint_line_is_a_phone_number(company):
    from django.core.exceptions import ValidationError

    company.complaint_line = "0755-2688 0001"
    company.full_clean()
    assert company.complaint_line == "+8675526880001"
    company.complaint_line = "12"
    with pytest.raises(ValidationError) as err:
        company.full_clean()
    assert "complaint_line" in err.value.message_dict
