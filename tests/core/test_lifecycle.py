"""The lifecycle table answers both questions from one place: what a user may do next (what the
console shows and the API lists), and whether the service lets a step happen."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from propdesk.core.errors import Conflict, Forbidden
from propdesk.core.lifecycle import Lifecycle, action, check_version

pytestmark = pytest.mark.django_db

# A record of the agents' (ticket.confirm: agents and directors) that moves draft → open → done.
TABLE = Lifecycle(
    {
        "open": action(["draft"], "open", permission="ticket.confirm", label="Opening"),
        "finish": action(
            ["open"],
            "done",
            permission="ticket.confirm",
            when=lambda record: record.ready,
            refusal="Only an open one can be finished.",
            code="not_open",
        ),
        "archive": action(["done"], "archived"),  # propdesk's own step: never offered
        "tick": action(["draft", "open"], permission="ticket.work"),  # technicians only
    },
    refusal="%(action)s is not allowed while the record is “%(state)s”.",
)


def _record(office, state, *, ready=True, version=1):
    return SimpleNamespace(state=state, office_id=office.pk, ready=ready, version=version)


def test_the_actions_offered_are_those_the_state_the_role_and_the_record_allow(
    agent, technician, other_agent, office
):
    assert TABLE.actions_for(agent, _record(office, "draft")) == ["open"]
    assert TABLE.actions_for(agent, _record(office, "open")) == ["finish"]
    assert TABLE.actions_for(agent, _record(office, "open", ready=False)) == []
    assert TABLE.actions_for(agent, _record(office, "done")) == []  # archiving is propdesk's
    assert TABLE.actions_for(technician, _record(office, "draft")) == []  # "tick" is assignee-only
    assert TABLE.actions_for(other_agent, _record(office, "draft")) == []  # another office's


def test_the_service_check_refuses_a_step_the_state_does_not_allow(office):
    assert TABLE.check(_record(office, "draft"), "open").target == "open"
    with pytest.raises(Conflict) as refused:
        TABLE.check(_record(office, "done"), "open")
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.field == "state"
    assert str(refused.value.message) == "Opening is not allowed while the record is “done”."
    with pytest.raises(Conflict) as refused:
        TABLE.check(_record(office, "draft"), "finish")
    assert (refused.value.code, str(refused.value.message)) == (
        "not_open",
        "Only an open one can be finished.",
    )


def test_an_app_above_adds_its_steps_once():
    table = Lifecycle({"open": action(["draft"], "open")})
    table.add({"close": action(["open"], "closed")})
    assert table.startable("open") == ["close"]
    with pytest.raises(ImproperlyConfigured):
        table.add({"close": action(["open"], "closed")})


def test_a_change_against_an_older_version_is_refused(office):
    record = _record(office, "open", version=3)
    check_version(record, 3)
    check_version(record, None)  # no version sent: the client takes the last word
    with pytest.raises(Conflict) as refused:
        check_version(record, 2)
    assert (refused.value.code, refused.value.field) == ("stale_version", "version")


def test_a_step_may_be_one_persons_and_its_refusal_may_name_another_field(agent, director, office):
    table = Lifecycle(
        {
            "sign": action(
                ["open"],
                permission="ticket.confirm",
                who=lambda user, record: user.pk == record.signer_id,
                refusal="Signed already.",
                refusal_field="signature",
            ),
        },
        # Permissions are checked on the record's parent, whose office it is in.
        permission_on=lambda record: record.parent,
    )
    parent = SimpleNamespace(office_id=office.pk)
    record = SimpleNamespace(state="open", parent=parent, signer_id=agent.pk)
    assert table.actions_for(agent, record) == ["sign"]
    assert table.actions_for(director, record) == []  # his role may, but it is not his to sign
    record.state = "signed"
    with pytest.raises(Conflict) as refused:
        table.check(record, "sign")
    assert (refused.value.field, str(refused.value.message)) == ("signature", "Signed already.")


def test_with_the_actor_the_service_check_refuses_whom_the_table_does_not_offer_the_step(
    agent, director, other_agent, office
):
    table = Lifecycle(
        {
            "sign": action(
                ["open"],
                permission="ticket.confirm",
                who=lambda user, record: user.pk == record.signer_id,
                refusal="Signed already.",
            ),
        },
        forbidden="Not yours to sign.",
        forbidden_code="not_signer",
    )
    record = SimpleNamespace(state="open", office_id=office.pk, signer_id=agent.pk)
    assert table.check(record, "sign", actor=agent) is table["sign"]
    for stranger in (director, other_agent):  # not the signer; another office's
        assert not table.permits(stranger, record, "sign")
        assert table.actions_for(stranger, record) == []
        with pytest.raises(Forbidden) as refused:
            table.check(record, "sign", actor=stranger)
        assert (refused.value.code, str(refused.value.message)) == (
            "not_signer",
            "Not yours to sign.",
        )
    record.state = "signed"
    assert table.permits(agent, record, "sign")  # whatever the state
    with pytest.raises(Conflict):
        table.check(record, "sign", actor=agent)
