import pytest

from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def new_ticket(agent, customer):
    """A request received by ``agent`` on the hotline; pass ``now`` to receive it in the past."""

    def make(**kwargs):
        return services.ticket_create(
            actor=agent,
            customer=kwargs.pop("customer", customer),
            kind=kwargs.pop("kind", Kind.REPAIR),
            channel=kwargs.pop("channel", Channel.HOTLINE),
            description=kwargs.pop("description", "厨房水管漏水"),
            **kwargs,
        )

    return make
