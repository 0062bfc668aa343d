"""M05: customers read notices in the portal (counted once); the public page of a community."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.notices import services
from propdesk.notices.models import Notice, NoticeRead
from tests import factories as f
from tests.queries import max_queries

pytestmark = pytest.mark.django_db
S = Notice.Scope


@pytest.fixture
def notices(make_notice, director, quality, other_office, building, office):
    """One of each scope, published; and one of another office's."""
    other_director = f.UserFactory(role="director", office=other_office)
    made = {
        "company": make_notice(scope=S.COMPANY, title="公司通告"),
        "office": make_notice(title="本处通知", pinned=True),
        "building": make_notice(scope=S.BUILDINGS, buildings=[building], title="本栋停电"),
        "elsewhere": make_notice(actor=other_director, office=other_office, title="别处通知"),
        "board_only": make_notice(title="仅告示栏", by_network=False),
    }
    for key, notice in made.items():
        actor = {"company": quality, "elsewhere": other_director}.get(key, director)
        services.notice_publish(actor=actor, notice=notice)
    return made


def test_m05_portal_list_shows_only_notices_in_scope_pinned_first_unread_marked(
    portal, notices, customer
):
    services.notice_mark_read(notice=notices["company"], customer=customer)
    page = portal.get(reverse("portal:notices"))
    assert page.status_code == 200
    titles = [n.title for n in page.context["page"]]
    assert titles[0] == "本处通知"  # pinned first
    assert set(titles) == {"公司通告", "本处通知", "本栋停电"}
    assert page.context["unread"] == {notices["office"].pk, notices["building"].pk}


def test_m05_portal_list_queries_do_not_grow(portal, notices, make_notice, director):
    for i in range(10):
        services.notice_publish(actor=director, notice=make_notice(title=f"通知{i}"))
    with max_queries(8):
        portal.get(reverse("portal:notices"))


def test_m05_opening_a_notice_in_the_portal_records_one_read(portal, notices, customer):
    notice = notices["building"]
    for _ in range(2):
        page = portal.get(reverse("portal:notice", args=[notice.pk]))
        assert page.status_code == 200 and "本栋停电" in page.content.decode()
    assert NoticeRead.objects.filter(notice=notice, customer=customer).count() == 1


@pytest.mark.parametrize("key", ["elsewhere", "board_only"])
def test_m05_a_notice_outside_the_customers_scope_is_not_found(portal, notices, key):
    assert portal.get(reverse("portal:notice", args=[notices[key].pk])).status_code == 404
    assert not NoticeRead.objects.exists()


def test_m05_a_draft_is_not_found_in_the_portal(portal, make_notice):
    assert portal.get(reverse("portal:notice", args=[make_notice().pk])).status_code == 404


def test_m05_neighbours_building_notice_is_not_theirs(client, notices, neighbour):
    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    account = PortalAccount.objects.create(customer=neighbour, phone="+8613900000001")
    session = client.session
    session.update(session_fields(account))
    session.save()
    assert client.get(reverse("portal:notice", args=[notices["building"].pk])).status_code == 404
    titles = {n.title for n in client.get(reverse("portal:notices")).context["page"]}
    assert titles == {"公司通告", "本处通知"}


def test_m05_corrected_notice_says_so(portal, notices, director):
    services.notice_revise(actor=director, notice=notices["office"], title="本处通知", body="更正")
    page = portal.get(reverse("portal:notice", args=[notices["office"].pk])).content.decode()
    assert "corrected on" in page and "更正" in page


def test_m05_portal_attachment_served_only_in_scope(portal, make_notice, director, other_office):
    notice = make_notice()
    upload = SimpleUploadedFile("rules.pdf", b"%PDF-1.4 rules")
    attachment = services.notice_attach(actor=director, notice=notice, upload=upload)
    url = reverse("portal:notice_file", args=[notice.pk, attachment.pk])
    assert portal.get(url).status_code == 404  # still a draft
    services.notice_publish(actor=director, notice=notice)
    response = portal.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_m05_public_page_of_a_community(client, notices, building, neighbour):
    community = building.community
    page = client.get(reverse("notices_public:list", args=[community.pk]))
    assert page.status_code == 200
    assert {n.title for n in page.context["page"]} == {"公司通告", "本处通知", "本栋停电"}
    # The neighbour's community (another in the same office) does not get this building's notice.
    theirs = neighbour.households.get().unit.building.community
    page = client.get(reverse("notices_public:list", args=[theirs.pk]))
    assert {n.title for n in page.context["page"]} == {"公司通告", "本处通知"}
    detail = client.get(reverse("notices_public:detail", args=[theirs.pk, notices["building"].pk]))
    assert detail.status_code == 404
    ok = client.get(reverse("notices_public:detail", args=[community.pk, notices["building"].pk]))
    assert ok.status_code == 200 and "本栋停电" in ok.content.decode()


@pytest.mark.parametrize("key", ["elsewhere", "board_only"])
def test_m05_public_page_hides_other_offices_and_non_network_notices(
    client, notices, building, key
):
    url = reverse("notices_public:detail", args=[building.community.pk, notices[key].pk])
    assert client.get(url).status_code == 404


def test_m05_public_page_of_an_unknown_community(client, db):
    assert client.get(reverse("notices_public:list", args=[999999])).status_code == 404
