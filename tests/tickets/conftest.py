"""Request fixtures (make_ticket, confirmed, dispatched) live in tests/conftest.py."""
