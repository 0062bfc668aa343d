"""The board's benchmark keeps working: a small generated company, every timing run once, the
rollups equal to the live counts."""

import pytest

from bench.board import measure
from bench.generate import generate
from propdesk.board.models import Rollup
from propdesk.core.measures import measures

pytestmark = pytest.mark.django_db

SIZE = {"offices": 3, "households_per_office": 20, "tickets_per_household": 4, "analyze": False}


def _quiet(*args):
    pass


def test_m25_the_board_benchmark_measures_both_boards_from_rollups_equal_to_the_records():
    generate(**SIZE, out=_quiet)

    result = measure(rounds=1)

    assert result["offices"] == 3 and result["requests"] == 240
    assert result["rollups_equal_live"] is True
    assert set(result["refresh_s"]) == {m.key for m in measures()}
    assert Rollup.objects.filter(office=Rollup.COMPANY).count() == len(measures()) * 2 * 12
    timings = result["timings"]
    # From the rollups, a board is a few queries whatever the measures; live, one or more each.
    assert timings["company_board"]["queries"] <= 4
    assert timings["office_board"]["queries"] <= 3
    assert timings["company_board_live"]["queries"] >= len(measures())
    assert all(t["median_s"] > 0 for t in timings.values())
