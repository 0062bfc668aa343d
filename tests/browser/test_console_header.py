"""The console's header on a desk's screen: one line, nothing sticking out, whatever the role
and the language; on a phone, a technician's compact header and his tabs at the bottom."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.browser

DESK = (1440, 900)
ONE_LINE = 96  # the header's height when nothing wraps (one row of dropdowns), in CSS pixels
# What sticks out past the screen's right edge, to say why a page scrolls sideways.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => e.tagName + (e.className ? "." + e.className : "") + " " + e.textContent.trim().slice(0, 30))"""


def signed_in(open_page, live_server, user, size, language):
    """A page signed in as ``user`` (a session made by the test client: no sign-in form, no
    authenticator app) in ``language``."""
    client = Client()
    client.force_login(user)
    page = open_page(*size, locale="zh-CN" if language == "zh-hans" else "en-US")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return page


def assert_one_line(page):
    header = page.locator("header.topbar")
    if header.bounding_box()["height"] > ONE_LINE:
        rects = page.evaluate(
            """() => [...document.querySelectorAll('header.topbar nav > *, header.topbar nav > ul > li')].map(e => e.tagName + ' ' + e.className + ' ' + JSON.stringify(e.getBoundingClientRect()))"""
        )
        raise AssertionError(f"the header wraps: {rects}")
    items = page.locator("header.topbar nav > ul > li")
    tops = {
        round(items.nth(i).bounding_box()["y"])
        for i in range(items.count())
        if items.nth(i).is_visible()
    }
    # A dropdown sits a few pixels higher than a link; a second line would be ~50 px lower.
    assert max(tops) - min(tops) < 30, f"the menu's items sit on more than one line: {tops}"
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK[0]
    assert page.evaluate(STICKING_OUT) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ["admin_user", "director", "agent", "technician", "quality"])
def test_the_header_is_one_line_on_a_desk(live_server, open_page, request, role, language):
    user = request.getfixturevalue(role)
    page = signed_in(open_page, live_server, user, DESK, language)
    page.goto(f"{live_server.url}/console/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("ul.nav-links").is_visible()
    assert_one_line(page)
    # Its dropdowns open inside the screen too.
    for summary in page.locator("ul.nav-links details.dropdown > summary").all():
        summary.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= DESK[0]
        summary.click()


def test_a_technician_on_a_phone_has_four_tabs(live_server, open_page, technician):
    page = signed_in(open_page, live_server, technician, (390, 844), "en")
    page.goto(f"{live_server.url}/console/")
    assert page.locator("header.topbar").bounding_box()["height"] <= 60
    assert not page.locator("ul.nav-links").is_visible()
    tabs = page.locator("nav.tabbar a")
    assert [t.strip() for t in tabs.all_inner_texts()] == [
        "☰\nMy orders",
        "⌕\nFind",
        "✉\nMessages",
        "☺\nMe",
    ]
    for i in range(tabs.count()):
        assert tabs.nth(i).bounding_box()["height"] >= 44
    tabs.nth(1).click()
    page.wait_for_url("**/console/find/")
    page.get_by_role("searchbox").fill("nothing-like-this")
    page.get_by_role("button", name="Find").click()
    assert "No request matches" in page.inner_text("main")


def test_other_roles_open_the_menu_from_the_header_on_a_phone(live_server, open_page, agent):
    page = signed_in(open_page, live_server, agent, (390, 844), "en")
    page.goto(f"{live_server.url}/console/")
    assert page.locator("nav.tabbar").count() == 0
    assert not page.locator("ul.nav-links").is_visible()
    assert page.locator("header.topbar").bounding_box()["height"] <= 70
    page.locator(".menu-button label").click()
    assert page.locator("ul.nav-links").is_visible()
    assert page.get_by_role("link", name="Requests").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
