"""A request's page and the API's field descriptions name no rule of the manual ("(M10)"):
rule ids stay in the code, the tests and the docs."""

import re

import pytest
from django.urls import reverse

from propdesk.tickets import services

pytestmark = pytest.mark.django_db

RULE = re.compile(r"\bM(0[1-9]|1[0-9]|2[0-5])\b")


def _visible(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_request_awaiting_its_fee_names_no_rule(client, agent, make_ticket, paid_item, settings):
    settings.LANGUAGE_CODE = "en"
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="更换水龙头"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    services.quote_record_answer(
        actor=agent, quote=ticket.quotes.get(), accepted=False, via="phone", answered_by_name="张"
    )
    client.force_login(agent)
    html = client.get(reverse("console:ticket_detail", args=[ticket.pk])).content.decode()
    assert "The customer has not accepted a fee yet." in html
    assert not RULE.search(_visible(html)), RULE.search(_visible(html))


def test_the_api_field_descriptions_name_no_rule(client, agent):
    client.force_login(agent)
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            text = spec.get("description", "")
            assert not RULE.search(text), (name, field, text)
