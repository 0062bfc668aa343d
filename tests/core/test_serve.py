"""``propdesk serve``: everything up to the point where gunicorn listens."""

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from propdesk.core import startup
from propdesk.core.management.commands import serve
from propdesk.org.models import Office
from tests import factories as f


@pytest.fixture(autouse=True)
def _static_in_tmp(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def out():
    return OutputWrapper(io.StringIO())


def output(out) -> str:
    return out._out.getvalue()


@pytest.fixture
def commands(monkeypatch):
    """Records the commands serve runs. Real ones run; ``demo`` (someone else's) is stood in for."""
    calls = []

    def fake_call_command(name, *args, **kwargs):
        calls.append(name)
        if name == "demo":
            f.OfficeFactory()
            return None
        return call_command(name, *args, **kwargs)

    monkeypatch.setattr(serve, "call_command", fake_call_command)
    return calls


@pytest.fixture
def gunicorn_run(monkeypatch):
    """Stands in for gunicorn's run loop; records the options it was started with."""
    started = []

    def fake_run(self):
        started.append(self.options)

    monkeypatch.setattr(serve.GunicornApplication, "run", fake_run)
    return started


def test_prepare_migrates_loads_demo_into_empty_database_and_collects_static(
    db, settings, commands, out
):
    serve.prepare(out, demo=True)

    assert commands == ["migrate", "demo", "collectstatic"]
    assert Office.objects.exists()
    assert (settings.STATIC_ROOT / "admin" / "css" / "base.css").exists()


def test_prepare_leaves_a_database_with_offices_alone(db, commands, out):
    f.OfficeFactory()

    serve.prepare(out, demo=True)

    assert "demo" not in commands
    assert Office.objects.count() == 1


def test_prepare_without_demo_leaves_an_empty_database_empty(db, commands, out):
    serve.prepare(out, demo=False)

    assert commands == ["migrate", "collectstatic"]
    assert not Office.objects.exists()


def test_prepare_warns_and_carries_on_when_demo_command_is_missing(db, monkeypatch, out):
    def missing_demo(name, *args, **kwargs):
        if name == "demo":
            raise CommandError("Unknown command: 'demo'")
        return call_command(name, *args, **kwargs)

    monkeypatch.setattr(serve, "call_command", missing_demo)

    serve.prepare(out, demo=True)

    assert "Warning: the demo company was not loaded (Unknown command: 'demo')" in output(out)


def test_prepare_prints_demo_logins(db, commands, monkeypatch, out):
    demo = dataclasses.replace(
        startup.registered_demo(), print_logins=lambda stdout: stdout.write("agent / propdesk-demo")
    )
    monkeypatch.setattr(startup, "_demo", demo)

    serve.prepare(out, demo=True)

    assert "agent / propdesk-demo" in output(out)


def test_prepare_without_a_registered_demo_loads_and_prints_none(db, commands, monkeypatch, out):
    monkeypatch.setattr(startup, "_demo", None)  # no demo app

    serve.prepare(out, demo=True)

    assert commands == ["migrate", "collectstatic"]
    assert "propdesk-demo" not in output(out)


def test_serve_listens_on_localhost_8000_by_default(db, commands, gunicorn_run, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)

    call_command("serve", "--no-demo", stdout=io.StringIO())

    [options] = gunicorn_run
    assert options["bind"] == "127.0.0.1:8000"
    assert (options["workers"], options["threads"]) == (2, 4)


def test_serve_port_comes_from_env_and_option_overrides_it(db, commands, gunicorn_run, monkeypatch):
    monkeypatch.setenv("PORT", "8123")

    call_command("serve", "--no-demo", stdout=io.StringIO())
    call_command("serve", "--no-demo", "--port", "9001", "--host", "0.0.0.0", stdout=io.StringIO())

    assert [o["bind"] for o in gunicorn_run] == ["127.0.0.1:8123", "0.0.0.0:9001"]


def test_serve_refuses_a_port_that_is_not_a_number(db, gunicorn_run, monkeypatch):
    monkeypatch.setenv("PORT", "eighty")

    with pytest.raises(CommandError, match="PORT must be a whole number"):
        call_command("serve", "--no-demo", stdout=io.StringIO())

    assert gunicorn_run == []


def test_gunicorn_loads_propdesk_wsgi_application():
    from propdesk.wsgi import application

    app = serve.GunicornApplication(serve.gunicorn_options(host="127.0.0.1", port=8000))

    assert app.load() is application
    assert app.cfg.workers == 2
    assert app.cfg.threads == 4
