"""Browser tests drive Debian's Chromium through Playwright's sync API."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def open_page():
    """Opens pages in Chromium at a given size and locale: ``open_page(390, 844)``, or
    ``open_page(1440, 900, locale="zh-CN")``. Each call is a browser context of its own (its own
    cookies); all are closed at the end of the test."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: apt-get install chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = []

        def open_page(width, height, locale="en-US"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=locale
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            return context.new_page()

        try:
            yield open_page
        finally:
            for context in contexts:
                context.close()
            browser.close()
            # The test's own queries ran inside Playwright's greenlet context, which gets a
            # database connection of its own; close it, or PostgreSQL cannot drop the test DB.
            from django.db import connections

            connections.close_all()


@pytest.fixture
def phone(open_page):
    """A page in Chromium the size of a phone screen (375×812)."""
    return open_page(375, 812)


@pytest.fixture
def resident(live_server, customer, phone):
    """The ``phone`` page signed in to the portal as ``customer``, through a session of the
    portal's own (signing in itself is driven in test_portal_sign_in.py)."""
    from importlib import import_module

    from django.conf import settings

    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(session_fields(account))
    session.save()
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return phone
