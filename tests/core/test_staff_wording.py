"""The pages staff read name no rule of the manual ("(M05)", "M13"): those stay in the code,
the tests and the docs. Filters offer "All offices" rather than Django's "---------"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "console:notices",
    "console:activities",
    "console:complaints",
    "console:complaint_new",
    "console:complaint_numbers",
    "console:committees",
    "console:committee_meetings",
    "console:committee_actions",
    "console:forum",
    "console:rework_board",
    "console:defect_board",
    "console:followup_batches",
    "console:aftercare_measures",
    "console:survey_followups",
    "console:revenue",
]
RULE = re.compile(r"\bM(0[1-9]|1[0-9]|2[0-5])\b")


def _visible(html: str) -> str:
    """What a person reads: no tags, attributes, scripts or comments."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("name", PAGES)
def test_no_rule_id_in_what_staff_read(client, quality, name):
    quality.language = "en"
    quality.save(update_fields=["language"])
    client.force_login(quality)
    page = client.get(reverse(name))
    assert page.status_code == 200
    html = page.content.decode()
    assert not RULE.search(_visible(html)), RULE.search(_visible(html))
    assert "---------" not in html
