"""Request fixtures (make_ticket, confirmed, dispatched) live in tests/conftest.py."""

import pytest


@pytest.fixture(autouse=True)
def _english(request, settings):
    """API and view tests read the English source messages; Chinese is tested in tests/core."""
    settings.LANGUAGE_CODE = "en"
