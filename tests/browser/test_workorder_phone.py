"""A technician opens his work order on a phone and ticks a procedure step (M11)."""

import pytest
from django.urls import reverse

from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind

pytestmark = pytest.mark.browser


@pytest.fixture
def work_order(agent, technician, customer, free_item):
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="厨房水管漏水",
        item=free_item,
    )
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="明早上门")
    return services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)


def test_m11_technician_ticks_a_step_on_his_phone(live_server, phone, work_order, customer):
    url = reverse("console:workorder", args=[work_order.pk])
    phone.goto(f"{live_server.url}{reverse('login')}?next={url}")
    phone.fill("input[name=username]", "tech")
    phone.fill("input[name=password]", "pw")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{url}")

    assert customer.name in phone.inner_text("main")
    call = phone.locator("a.wo-call").first
    assert call.get_attribute("href") == "tel:+8613912345678"
    # Made for the phone: nothing sticks out sideways.
    assert phone.evaluate("document.querySelector('.workorder').scrollWidth") <= 375

    step = work_order.checklist.first()
    item = phone.locator(f"#step-{step.pk}")
    item.locator("textarea[name=note]").fill("已关闭总阀")
    item.get_by_role("button", name="Mark this step done").click()

    phone.wait_for_url(f"**{url}")
    done = phone.locator(f"#step-{step.pk}.done")
    done.wait_for()
    assert "Done" in done.inner_text() and "已关闭总阀" in done.inner_text()
    step.refresh_from_db()
    assert step.done_at is not None
