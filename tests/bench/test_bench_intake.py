"""The intake load generator keeps working: the floor and propdesk each set up in a new database,
served by gunicorn and loaded for one tiny round, every figure reported. No figure is judged here:
speed is measured by running ``python -m bench.intake``, not by tests."""

import pytest
from django.conf import settings

from bench.intake import benchmark, contenders, report


def _postgres_server() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request):
    return None if request.param == "sqlite" else _postgres_server()


def test_the_generator_loads_the_floor_and_propdesk_and_reports_every_figure(server):
    progress = []

    figures = benchmark(
        clients=2,
        rounds=1,
        requests=4,
        single=2,
        warmup=2,
        server=server,
        prefix="propdesk_bench_intake_test",
        out=progress.append,
    )

    assert list(figures["contenders"]) == ["floor", "propdesk"]
    for name, figure in figures["contenders"].items():
        # Every request was answered 201: a failing setup or endpoint shows here, by name.
        assert figure["errors"] == {}, name
        assert figure["requests"] == 4
        assert figure["req_s"] > 0 and len(figure["round_req_s"]) == 1
        assert 0 < figure["p50_ms"] <= figure["p95_ms"]
        assert figure["single_p50_ms"] > 0
        assert figure["app_cpu_ms"] is not None
        # The database's own CPU is read from PostgreSQL's backends; SQLite has none.
        assert (figure["db_cpu_ms"] is None) == (server is None)
    ratio = figures["ratios"]["propdesk / floor"]
    assert ratio["throughput"] > 0 and len(ratio["rounds"]) == 1
    assert progress[-1].startswith("round 1: floor")

    lines = report(figures)
    assert lines[0].startswith("intake: 1 rounds × 4 requests per contender, 2 clients")
    assert [line.split()[0] for line in lines[2:4]] == ["floor", "propdesk"]
    assert lines[4].startswith("propdesk / floor: throughput")
    assert lines[-1].startswith("load average before")


def test_helpdesk_needs_its_virtualenv(tmp_path):
    with pytest.raises(SystemExit, match="no bin/python"):
        contenders(str(tmp_path))
