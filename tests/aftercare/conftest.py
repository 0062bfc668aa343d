"""After service's tests: their API client reads before it writes (``tests/versions.py``)."""

import pytest

from tests.versions import ReadingClient


@pytest.fixture
def api():
    client = ReadingClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client
