"""M21's permission matrix, through the staff API: each role × action × whose post (their own
office's or another's). Office roles never find another office's post (404); company roles act
on every office's; what a role may not do is 403 and changes nothing. And the customer's: a
customer reads and replies only in the forums of their communities and the company-wide one."""

import pytest
from rest_framework.test import APIClient

from propdesk.forum import services
from propdesk.forum.models import Post, Reply, Topic
from propdesk.org.models import Role
from tests import factories as f

from .conftest import NOW

pytestmark = pytest.mark.django_db

OFFICE_ROLES = {Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR}
MAY = {
    "route": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
    "answer": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    "hide": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "convert": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
}
DONE = {"route": 200, "answer": 201, "hide": 200, "convert": 200}


def _body(action, post):
    return {
        "route": {"office": post.office_id, "note": "分派", "version": 1},
        "answer": {"text": "已收到"},
        "hide": {"reason": "广告", "version": 1},
        "convert": {"into": "request", "kind": "inquiry", "version": 1},
    }[action]


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("action", list(MAY))
@pytest.mark.parametrize("role", list(Role))
def test_m21_staff_permission_matrix(role, action, whose, office, other_office, make_post):
    if whose == "own":
        post = make_post()
    else:
        author = f.CustomerFactory(office=other_office)
        post = make_post(author=author, community=author.households.get().unit.building.community)
    user = f.UserFactory(
        username=f"u_{role}", role=role, office=office if role in OFFICE_ROLES else None
    )
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/forum/posts/{post.pk}/{action}/", _body(action, post), format="json"
    )
    if whose == "other" and role in OFFICE_ROLES:
        expected = 404
    elif role in MAY[action]:
        expected = DONE[action]
    else:
        expected = 403
    assert response.status_code == expected, response.content
    fresh = Post.objects.get(pk=post.pk)
    if expected != DONE[action]:
        assert fresh.version == 1 and not fresh.replies.exists() and fresh.ticket_id is None


@pytest.mark.parametrize(
    ("where", "sees"),
    [
        ("own_community", True),
        ("same_office_other_community", False),
        ("company_wide", True),
        ("other_company", False),
    ],
)
def test_m21_customer_permission_matrix(where, sees, customer_api, office, other_office, community):
    if where == "own_community":
        author = f.CustomerFactory(
            office=office, household=f.HouseholdFactory(unit__building__community=community)
        )
        post_community = community
    elif where == "same_office_other_community":
        author = f.CustomerFactory(office=office)
        post_community = author.households.get().unit.building.community
    elif where == "company_wide":
        author = f.CustomerFactory(office=other_office)
        post_community = None
    else:
        theirs = f.OfficeFactory(company=f.CompanyFactory(code="other", name="另一家物业"))
        author = f.CustomerFactory(office=theirs)
        post_community = None
    post = services.post_create(
        customer=author,
        community=post_community,
        topic=Topic.OTHER,
        title="帖",
        text="内容",
        now=NOW,
    )
    read = customer_api.get(f"/api/v1/portal/forum/posts/{post.pk}/")
    reply = customer_api.post(
        f"/api/v1/portal/forum/posts/{post.pk}/replies/", {"text": "回复"}, format="json"
    )
    report = customer_api.post(
        f"/api/v1/portal/forum/posts/{post.pk}/report/", {"reason": "广告"}, format="json"
    )
    if sees:
        assert (read.status_code, reply.status_code, report.status_code) == (200, 201, 202)
    else:
        assert (read.status_code, reply.status_code, report.status_code) == (404, 404, 404)
        assert not Reply.objects.exists() and not post.reports.exists()
