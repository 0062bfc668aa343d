"""The demo build's benchmark keeps working: a tiny demo built, every stage timed and counted."""

import pytest

from bench.demo import build, migrate_fresh, report
from propdesk.demo.builder import DemoBuilder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_benchmark_times_and_counts_every_stage_of_the_demo_build():
    progress = []

    figures = build(scale=0.02, seed=3, out=progress.append)

    names = [name for name, _step in DemoBuilder().stages()]
    assert [s["stage"] for s in figures["stages"]] == names
    assert all(s["seconds"] >= 0 and s["queries"] > 0 for s in figures["stages"])
    assert figures["build_queries"] == sum(s["queries"] for s in figures["stages"])
    assert figures["requests"] > 0 and figures["shifts"] > 0
    # The builder's own progress: a line per stage as it ends, then the total.
    assert any(line.startswith("[") and "Duty roster:" in line for line in progress)
    assert "Built in" in progress[-1]

    table = report(figures)
    assert table[0].split() == ["stage", "seconds", "CPU", "s", "queries"]
    assert {line.split()[0] for line in table[1 : len(names) + 1]} == {n.split()[0] for n in names}
    assert table[-2].startswith("demo build")


def test_the_benchmark_builds_only_into_a_new_database(tmp_path):
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"")
    with pytest.raises(SystemExit, match="exists already"):
        migrate_fresh(existing)
