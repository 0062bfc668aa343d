"""The staff bell and inbox: messages for me, unread counted, read on request."""

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_bell_counts_my_unread_messages(client, director, make_ticket):
    make_ticket()
    make_ticket()
    client.force_login(director)
    assert ">2<" in client.get("/console/inbox/badge/").content.decode()


def test_the_inbox_lists_my_messages_and_marks_them_read(client, director, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(director)
    page = client.get("/console/inbox/").content.decode()
    assert f"New request {ticket.number}" in page and f"/console/requests/{ticket.pk}/" in page
    assert client.post("/console/inbox/").status_code == 302
    assert "badge" not in client.get("/console/inbox/badge/").content.decode()
    # The agent who took the request was not told of it.
    client.force_login(agent)
    assert "No messages yet." in client.get("/console/inbox/").content.decode()


def test_the_inbox_needs_signing_in(client, db):
    assert client.get("/console/inbox/").status_code == 302
