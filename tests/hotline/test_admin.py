"""The admin lists the hotline's models (and the office's lines) without loading big tables into
select boxes."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["hotlineline", "call", "dutyshift"])
def test_admin_pages_open(client, admin_user, line, agent, make_call, make_shift, model):
    call = make_call(line, handler=agent)
    shift = make_shift(line, agent, call.started_at, call.started_at + dt.timedelta(hours=8))
    obj = {"hotlineline": line, "call": call, "dutyshift": shift}[model]
    app = obj._meta.app_label  # the lines are the office's (org), calls and shifts the hotline's
    client.force_login(admin_user)
    assert client.get(f"/admin/{app}/{model}/").status_code == 200
    assert client.get(f"/admin/{app}/{model}/{obj.pk}/change/").status_code == 200
    assert client.get(f"/admin/{app}/{model}/{obj.pk}/history/").status_code == 200
