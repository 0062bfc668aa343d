"""The entry forms a company fills in pick the office by typing (org.pickers), not from a select of
every office: a notice, an activity, a catalogue item, a survey's public reply, the corrective
action register's filter, a forum post's route and a roster import. The page reads and draws the
same with 30 offices as with 3; a picked code saves the record to that office; a code nobody has
is refused on the form and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.catalog.models import ServiceItem
from propdesk.community.models import Activity
from propdesk.customers.models import RosterUpload
from propdesk.forum import services as forum_services
from propdesk.forum.models import Route, Topic
from propdesk.notices.models import Notice
from propdesk.surveys import services as survey_services
from propdesk.surveys.models import Campaign, PublicReply
from tests import factories as f
from tests.customers.conftest import xlsx
from tests.queries import count_queries, same_queries

REFUSED = "No office you may see has this code: choose one of the suggestions."


def _offices(company, start, count):
    return [
        f.OfficeFactory(company=company, code=f"p{i:03}", name=f"Office {i}")
        for i in range(start, start + count)
    ]


def _page(client, url):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return queries, body.count("<option"), body


def _campaign(quality):
    now = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
    campaign = survey_services.campaign_create(
        actor=quality,
        now=now,
        title="2026年6月客户满意率调查",
        year=2026,
        season=Campaign.Season.JUNE,
        deadline=now + dt.timedelta(days=20),
    )
    return survey_services.campaign_launch(actor=quality, campaign=campaign, now=now)


def _post(customer):
    return forum_services.post_create(
        customer=customer,
        title="电梯异响",
        text="3栋电梯这几天一直有异响,请尽快检查。",
        topic=Topic.REPAIRS,
        community=customer.households.get().unit.building.community,
    )


# --- the pages: as many queries and options with 30 offices as with 3 ---------------------------

# (the page, who fills it in)
PAGES = [
    ("notice", "quality"),
    ("activity", "admin_user"),
    ("catalog_item", "admin_user"),
    ("survey_reply", "quality"),
    ("report_register", "quality"),
    ("forum_route", "quality"),
    ("roster_import", "admin_user"),
]


@pytest.fixture
def page_url(quality, household, customer):
    def url(page):
        if page == "notice":
            return reverse("console:notice_new")
        if page == "activity":
            return reverse("console:activity_new")
        if page == "catalog_item":
            return reverse("console:catalog_item_new")
        if page == "survey_reply":
            return reverse("console:survey_campaign_replies", args=[_campaign(quality).pk])
        if page == "report_register":
            return reverse("console:reports")
        if page == "forum_route":
            return reverse("console:forum_post", args=[_post(customer).pk])
        return reverse("console:customer_import")

    return url


@pytest.mark.parametrize(("page", "who"), PAGES)
def test_a_company_entry_form_does_not_grow_with_the_offices(
    request, client, company, page_url, page, who
):
    client.force_login(request.getfixturevalue(who))
    url = page_url(page)
    _offices(company, 0, 3)
    client.get(url)  # what a first request reads once (the session, caches)
    few, few_options, _ = _page(client, url)
    _offices(company, 3, 27)
    many, many_options, body = _page(client, url)
    same_queries(few, many)
    assert many_options == few_options
    assert "Office 29" not in body
    assert 'name="office"' in body and 'list="id_office-choices"' in body  # the picker


# --- a notice -------------------------------------------------------------------------------------

NOTICE = {
    "category": "customer_notice",
    "title": "电梯检修",
    "body": "3号楼电梯周二检修。",
    "scope": "office",
    "by_board": "on",
    "by_network": "on",
}


def test_a_notice_is_saved_to_the_picked_office_and_edited_showing_its_code(
    client, quality, company
):
    picked = _offices(company, 0, 30)[17]
    client.force_login(quality)
    response = client.post(reverse("console:notice_new"), {**NOTICE, "office": picked.code})
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.office == picked
    body = client.get(reverse("console:notice_edit", args=[notice.pk])).content.decode()
    assert f'name="office" value="{picked.code}"' in body and picked.name in body
    assert "Office 29" not in body


def test_a_notice_to_an_unknown_office_is_refused(client, quality, company):
    _offices(company, 0, 3)
    client.force_login(quality)
    response = client.post(reverse("console:notice_new"), {**NOTICE, "office": "nowhere"})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Notice.objects.exists()


def test_an_office_keeps_its_notice_form_without_an_office(client, director, office):
    client.force_login(director)
    body = client.get(reverse("console:notice_new")).content.decode()
    assert 'name="office"' not in body


# --- an activity ----------------------------------------------------------------------------------


def _activity(**kwargs):
    return {
        "kind": "culture",
        "title": "亲子手工课",
        "place": "会所多功能厅",
        "starts_at": "2099-06-06T18:00",
        "ends_at": "2099-06-06T20:00",
        "capacity": "30",
        "community": "",
        **kwargs,
    }


def test_an_activity_is_saved_to_the_picked_office(client, admin_user, company):
    picked = _offices(company, 0, 30)[17]
    client.force_login(admin_user)
    response = client.post(reverse("console:activity_new"), _activity(office=picked.code))
    assert response.status_code == 302
    assert Activity.objects.get().office == picked


def test_an_activity_of_an_unknown_office_is_refused(client, admin_user, company):
    _offices(company, 0, 3)
    client.force_login(admin_user)
    response = client.post(reverse("console:activity_new"), _activity(office="nowhere"))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Activity.objects.exists()


# --- a catalogue item -----------------------------------------------------------------------------


def _item(**kwargs):
    return {
        "category": f.ServiceCategoryFactory().pk,
        "name": "空调清洗",
        "pricing": "free",
        "default_completion_hours": "48",
        "in_scope": "on",
        **kwargs,
    }


def test_a_catalogue_item_is_saved_to_the_picked_office_or_company_wide(
    client, admin_user, company
):
    picked = _offices(company, 0, 30)[17]
    client.force_login(admin_user)
    response = client.post(reverse("console:catalog_item_new"), _item(office=picked.code))
    assert response.status_code == 302
    assert ServiceItem.objects.get(name="空调清洗").office == picked
    response = client.post(reverse("console:catalog_item_new"), _item(name="管道疏通", office=""))
    assert response.status_code == 302
    assert ServiceItem.objects.get(name="管道疏通").office is None  # company-wide


def test_a_catalogue_item_of_an_unknown_office_is_refused(client, admin_user, company):
    _offices(company, 0, 3)
    client.force_login(admin_user)
    response = client.post(reverse("console:catalog_item_new"), _item(office="nowhere"))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not ServiceItem.objects.filter(name="空调清洗").exists()


# --- a survey's public reply ----------------------------------------------------------------------


def test_a_survey_reply_goes_to_the_picked_office(client, quality, company):
    picked = _offices(company, 0, 30)[17]
    url = reverse("console:survey_campaign_replies", args=[_campaign(quality).pk])
    client.force_login(quality)
    refused = client.post(url, {"topic": "电梯", "body": "将于下月更换电梯。", "office": "nowhere"})
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    assert not PublicReply.objects.exists()
    response = client.post(
        url, {"topic": "电梯", "body": "将于下月更换电梯。", "office": picked.code}
    )
    assert response.status_code == 302
    assert PublicReply.objects.get().notice.office == picked


# --- the corrective action register's filter ------------------------------------------------------


def test_the_register_is_filtered_by_a_picked_office(client, quality, company):
    picked = _offices(company, 0, 30)[17]
    client.force_login(quality)
    response = client.get(reverse("console:reports"), {"office": picked.code})
    assert response.status_code == 200
    assert f'name="office" value="{picked.code}"' in response.content.decode()
    refused = client.get(reverse("console:reports"), {"office": "nowhere"})
    assert refused.status_code == 400 and REFUSED in refused.content.decode()


# --- a forum post's route -------------------------------------------------------------------------


def test_a_post_is_routed_to_the_picked_office_shown_by_its_code(
    client, quality, company, customer, household, office
):
    picked = _offices(company, 0, 30)[17]
    post = _post(customer)
    client.force_login(quality)
    body = client.get(reverse("console:forum_post", args=[post.pk])).content.decode()
    assert f'name="office" value="{office.code}"' in body  # where the post is now
    act = reverse("console:forum_post_act", args=[post.pk, "route"])
    refused = client.post(act, {"office": "nowhere", "version": post.version})
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    assert not Route.objects.filter(post=post).exists()
    response = client.post(act, {"office": picked.code, "version": post.version})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.office == picked


# --- a roster import ------------------------------------------------------------------------------

ROWS = [["1栋", "1单元", 101, 89.5, "王芳", "业主", "13911112222", "是", "", ""]]


def test_a_roster_for_a_new_community_goes_to_the_picked_office(client, admin_user, company):
    picked = _offices(company, 0, 30)[17]
    client.force_login(admin_user)
    url = reverse("console:customer_import")
    data = {"community": "new", "new_community": "翠苑三期"}
    refused = client.post(url, {**data, "office": "nowhere", "file": xlsx(ROWS)})
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    assert not RosterUpload.objects.exists()
    response = client.post(url, {**data, "office": picked.code, "file": xlsx(ROWS)})
    assert response.status_code == 302
    assert RosterUpload.objects.get().office == picked
