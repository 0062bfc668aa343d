"""The forum's services (M21): post, route, answer, measure; moderation; turning a post into a
request; the customer's history; the response clocks."""

import datetime as dt

import pytest

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound, TooManyRequests
from propdesk.core.models import Notification
from propdesk.forum import selectors, services
from propdesk.forum.models import Post, PostEvent, Reply, Route, SensitiveWord, Topic, Visibility
from propdesk.tickets.models import Channel, Contact, Kind, Status
from tests import factories as f

from .conftest import NOW, photo

pytestmark = pytest.mark.django_db
V = Visibility


def test_m21_post_is_routed_answered_and_its_response_time_measured(
    post, agent, engineering, engineer, office, at
):
    assert post.state == V.VISIBLE
    assert post.due_at == NOW + dt.timedelta(hours=24)
    services.post_route(
        actor=agent, post=post, office=office, department=engineering, note="电梯", now=at(2)
    )
    post.refresh_from_db()
    assert (post.triaged_at, post.department) == (at(2), engineering)
    assert Notification.objects.filter(user=engineer, event="forum.routed:2").exists()
    reply = services.post_answer(actor=engineer, post=post, text="已安排维保单位检查。", now=at(6))
    assert reply.official and reply.department == engineering
    post.refresh_from_db()
    assert post.first_answer_at == at(6)
    assert Notification.objects.filter(customer=post.author, event="forum.answered").exists()

    measures = selectors.response_measures(agent, since=at(-1), until=at(1), now=at(30))
    company = measures["company"]
    assert (company.posts, company.answered, company.on_time, company.late) == (1, 1, 1, 0)
    assert company.median_triage_hours == 2.0
    assert company.median_answer_hours == 6.0
    assert company.share_on_time == 1.0
    [department] = measures["departments"]
    assert department.key == engineering and department.share_on_time == 1.0
    [by_office] = measures["offices"]
    assert by_office.key == office


def test_m21_late_and_unanswered_posts_count_against_the_share_on_time(make_post, agent, at):
    late = make_post(title="垃圾清运不及时")
    make_post(title="路灯不亮", now=at(1))
    waiting = make_post(title="新帖", now=at(25))  # not due yet when measured
    services.post_answer(actor=agent, post=late, text="已处理", now=at(30))
    measures = selectors.response_measures(agent, since=at(-1), until=at(26), now=at(26))
    company = measures["company"]
    assert (company.posts, company.on_time, company.late) == (3, 0, 2)
    assert company.share_on_time == 0.0
    assert waiting.due_at > at(26)


def test_m21_rerouting_keeps_every_route_and_moves_the_post_to_the_other_office(
    post, agent, other_office, other_agent, at
):
    services.post_route(actor=agent, post=post, office=post.office, now=at(1))
    services.post_route(
        actor=agent, post=post, office=other_office, note="属于碧湖", expected_version=2, now=at(2)
    )
    routes = list(Route.objects.filter(post=post))
    assert [r.office for r in routes] == [agent.office, other_office]
    assert routes[1].from_office == agent.office and routes[1].note == "属于碧湖"
    post.refresh_from_db()
    assert post.triaged_at == at(1) and post.office == other_office
    # Now the other office's: this desk no longer finds it; theirs does.
    with pytest.raises(NotFound):
        selectors.post_get(agent, post.pk)
    assert selectors.post_get(other_agent, post.pk) == post
    kinds = list(post.events.values_list("kind", flat=True))
    assert PostEvent.Kind.REROUTED in kinds and PostEvent.Kind.ROUTED in kinds


def test_m21_routing_with_a_stale_version_is_refused_and_changes_nothing(post, agent, office):
    services.post_route(actor=agent, post=post, office=office, now=NOW)
    with pytest.raises(Conflict) as err:
        services.post_route(
            actor=agent, post=post, office=office, note="again", expected_version=1, now=NOW
        )
    assert err.value.code == "stale_version"
    assert Route.objects.filter(post=post).count() == 1


def test_m21_routing_to_the_same_place_again_is_refused(post, agent, office):
    services.post_route(actor=agent, post=post, office=office, now=NOW)
    with pytest.raises(Conflict) as err:
        services.post_route(actor=agent, post=post, office=office, now=NOW)
    assert err.value.code == "already_routed"


def test_m21_a_department_of_another_office_is_refused(post, agent, office, other_office, company):
    from propdesk.org.models import Department

    theirs = Department.objects.create(
        company=company, office=other_office, kind=Department.Kind.ENGINEERING, name="碧湖工程部"
    )
    with pytest.raises(DomainError) as err:
        services.post_route(actor=agent, post=post, office=office, department=theirs, now=NOW)
    assert err.value.field == "department"
    assert not Route.objects.exists()


def test_m21_held_post_is_invisible_to_others_until_approved(
    make_post, quality, customer, neighbour, director, at
):
    services.word_add(actor=quality, word="骗子", now=NOW)
    held = make_post(text="物业就是骗子,收费不透明")
    assert held.state == V.HELD and held.held_for == "骗子"
    assert held.published_at is None and held.due_at is None
    community = held.community
    assert list(selectors.posts_for_customer(neighbour, community=community)) == []
    with pytest.raises(NotFound):
        selectors.post_for_customer(neighbour, held.pk)
    # Its author sees it, waiting for review.
    assert list(selectors.posts_for_customer(customer, community=community)) == [held]
    with pytest.raises(DomainError):
        services.reply_create(customer=neighbour, post=held, text="同意")

    services.post_approve(actor=director, post=held, expected_version=1, now=at(3))
    held.refresh_from_db()
    assert held.state == V.VISIBLE and held.published_at == at(3)
    assert held.due_at == at(27)  # the clock starts when it is out in public
    assert list(selectors.posts_for_customer(neighbour, community=community)) == [held]
    assert Notification.objects.filter(customer=customer, event="forum.approved").exists()


def test_m21_hidden_post_keeps_its_reason_and_the_author_is_told(post, director, neighbour, at):
    services.post_hide(
        actor=director, post=post, reason="含有人身攻击", expected_version=1, now=at(1)
    )
    post.refresh_from_db()
    assert post.state == V.HIDDEN and post.hidden_reason == "含有人身攻击"
    message = Notification.objects.get(customer=post.author, event="forum.hidden", channel="in_app")
    assert "含有人身攻击" in message.body
    assert post.history.count() >= 2  # audited
    with pytest.raises(NotFound):
        selectors.post_for_customer(neighbour, post.pk)


def test_m21_hiding_needs_a_reason_and_changes_nothing_without(post, director):
    with pytest.raises(DomainError) as err:
        services.post_hide(actor=director, post=post, reason="  ", now=NOW)
    assert err.value.field == "reason"
    post.refresh_from_db()
    assert post.state == V.VISIBLE and post.version == 1


def test_m21_an_agent_may_not_moderate(post, agent):
    with pytest.raises(Forbidden):
        services.post_hide(actor=agent, post=post, reason="x", now=NOW)


def test_m21_post_turned_into_a_request_shares_its_history(post, agent, engineer, customer, at):
    services.post_create  # noqa: B018 - the post fixture posted it
    converted = services.post_convert(
        actor=agent, post=post, into="request", kind=Kind.REPAIR, expected_version=1, now=at(1)
    )
    ticket = converted.ticket
    assert ticket.customer == customer and ticket.channel == Channel.FORUM
    assert ticket.kind == Kind.REPAIR and post.title in ticket.description
    assert list(ticket.forum_posts.all()) == [converted]  # the link both ways
    assert ticket.events.filter(kind="forum_post", note__contains=post.title).exists()
    services.post_answer(actor=engineer, post=converted, text="维修已派单", now=at(2))
    # The official reply is on the request's timeline, and the request's on the post's page.
    assert ticket.events.filter(kind="forum_answer", note="维修已派单").exists()
    kinds = [e.kind for e in selectors.ticket_timeline(converted, customer_view=True)]
    assert kinds[0] == "created" and "forum_answer" in kinds
    with pytest.raises(Conflict) as err:
        services.post_convert(actor=agent, post=converted, into="complaint", now=at(3))
    assert err.value.code == "already_converted"


def test_m21_post_turned_into_a_complaint(post, agent, at):
    converted = services.post_convert(
        actor=agent, post=post, into="complaint", category="facilities", now=at(1)
    )
    assert converted.ticket.kind == Kind.COMPLAINT
    assert converted.ticket.complaint.category == "facilities"


def test_m21_photos_go_with_the_post_and_with_its_request(make_post, agent):
    post = make_post(photos=[photo(), photo("b.png")])
    assert post.photos.count() == 2
    converted = services.post_convert(actor=agent, post=post, into="request", now=NOW)
    assert converted.ticket.photos.count() == 2


def test_m21_posts_and_replies_are_on_the_customers_history(post, neighbour, agent, at):
    services.reply_create(customer=neighbour, post=post, text="我也听到了", now=at(1))
    services.post_answer(actor=agent, post=post, text="已安排", now=at(2))
    mine = Contact.objects.filter(customer=post.author, channel=Channel.FORUM)
    assert [c.direction for c in mine.order_by("at")] == ["in", "out"]
    assert mine.filter(summary__contains=post.title, stage="after").count() == 2
    theirs = Contact.objects.get(customer=neighbour, channel=Channel.FORUM)
    assert "我也听到了" in theirs.summary


# --- bad input: a clear message, nothing changed ---------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"text": "   "}, "text"),
        ({"text": "长" * 4001}, "text"),
        ({"title": "题" * 201}, "title"),
        ({"topic": "gossip"}, "topic"),
    ],
)
def test_m21_empty_or_oversized_post_is_refused(make_post, kwargs, field):
    with pytest.raises(DomainError) as err:
        make_post(**kwargs)
    assert err.value.field == field and str(err.value.message)
    assert not Post.objects.exists() and not Contact.objects.exists()


def test_m21_more_than_five_photos_are_refused(make_post):
    with pytest.raises(DomainError) as err:
        make_post(photos=[photo(f"{n}.png") for n in range(6)])
    assert err.value.field == "photos"
    assert not Post.objects.exists()


def test_m21_posting_in_another_communitys_forum_is_not_found(make_post, stranger, community):
    with pytest.raises(NotFound) as err:
        make_post(author=stranger, community=community)
    assert err.value.field == "community"
    assert not Post.objects.exists()


def test_m21_reply_to_a_hidden_post_is_refused(post, director, neighbour):
    services.post_hide(actor=director, post=post, reason="广告", now=NOW)
    with pytest.raises(NotFound):
        services.reply_create(customer=neighbour, post=post, text="?")
    # Even its author, who still sees it, may not reply to it.
    with pytest.raises(Conflict) as err:
        services.reply_create(customer=post.author, post=post, text="为什么?")
    assert err.value.code == "post_not_visible"
    assert not Reply.objects.exists()


def test_m21_empty_reply_is_refused(post, neighbour):
    with pytest.raises(DomainError) as err:
        services.reply_create(customer=neighbour, post=post, text="")
    assert err.value.field == "text"
    assert not Reply.objects.exists()


def test_m21_flooding_is_refused_with_429(make_post, at):
    for n in range(services.POSTS_PER_HOUR):
        make_post(title=f"帖子{n}", now=at(n / 10))
    with pytest.raises(TooManyRequests) as err:
        make_post(title="又一个", now=at(0.6))
    assert err.value.status == 429 and "wait" in str(err.value.message)
    assert Post.objects.count() == services.POSTS_PER_HOUR
    make_post(title="一小时后", now=at(1.1))  # the hour has passed


def test_m21_the_same_post_twice_is_refused_with_409(make_post, at):
    make_post(now=NOW)
    with pytest.raises(Conflict) as err:
        make_post(now=at(0.05))
    assert err.value.code == "duplicate_post"
    assert Post.objects.count() == 1


def test_m21_phone_numbers_are_masked_when_shown():
    shown = services.mask_phones("有事请打 13912345678 或 139-1234-5679,谢谢")
    assert "13912345678" not in shown and "139****5678" in shown
    assert "139****5679" in shown and "谢谢" in shown


# --- reviews ------------------------------------------------------------------------------------


def test_m21_review_of_a_completed_request_is_public(customer, neighbour, make_ticket, agent):
    ticket = make_ticket()
    ticket.status = Status.COMPLETED
    ticket.save(update_fields=["status"])
    review = services.review_create(
        customer=customer, rating=4, comment="师傅很专业", ticket=ticket
    )
    assert review.kind == Post.Kind.REVIEW and review.topic == Topic.SERVICE
    assert review.community == customer.households.get().unit.building.community
    assert ticket.number in review.title
    assert selectors.post_for_customer(neighbour, review.pk) == review


@pytest.mark.parametrize("rating", [0, 6, "5", None])
def test_m21_review_needs_a_rating_from_1_to_5(customer, free_item, rating):
    with pytest.raises(DomainError) as err:
        services.review_create(customer=customer, rating=rating, comment="好", item=free_item)
    assert err.value.field == "rating"
    assert not Post.objects.exists()


def test_m21_review_of_a_request_not_completed_or_not_theirs_is_refused(
    customer, neighbour, make_ticket
):
    ticket = make_ticket()
    with pytest.raises(Conflict):
        services.review_create(customer=customer, rating=5, comment="好", ticket=ticket)
    with pytest.raises(NotFound):
        services.review_create(customer=neighbour, rating=5, comment="好", ticket=ticket)
    assert not Post.objects.exists()


# --- abuse reports --------------------------------------------------------------------------------


def test_m21_reports_from_several_customers_hold_a_post(post, office, community, at):
    reporters = [
        f.CustomerFactory(
            office=office, household=f.HouseholdFactory(unit__building__community=community)
        )
        for _ in range(services.REPORTS_TO_HOLD)
    ]
    services.report_abuse(customer=reporters[0], post=post, reason="广告", now=at(1))
    services.report_abuse(customer=reporters[0], post=post, reason="广告", now=at(1))  # again
    assert post.reports.count() == 1
    for reporter in reporters[1:]:
        services.report_abuse(customer=reporter, post=post, reason="广告", now=at(1))
    post.refresh_from_db()
    assert post.state == V.HELD


def test_m21_report_needs_a_reason(post, neighbour):
    with pytest.raises(DomainError) as err:
        services.report_abuse(customer=neighbour, post=post, reason="")
    assert err.value.field == "reason"


# --- the word list -----------------------------------------------------------------------------


def test_m21_only_quality_keeps_the_word_list(quality, director):
    services.word_add(actor=quality, word="骗子", now=NOW)
    with pytest.raises(Conflict):
        services.word_add(actor=quality, word="骗子", now=NOW)
    with pytest.raises(Forbidden):
        services.word_add(actor=director, word="垃圾", now=NOW)
    with pytest.raises(DomainError) as err:
        services.word_add(actor=quality, word=" ", now=NOW)
    assert err.value.field == "word"
    assert list(SensitiveWord.objects.values_list("word", flat=True)) == ["骗子"]


# --- the clocks --------------------------------------------------------------------------------


def test_m21_clock_job_reminds_before_and_alerts_after_once(post, agent, director, quality, at):
    assert services.forum_response_clocks(now=at(10)) == {"reminded": 0, "alerted": 0}
    assert services.forum_response_clocks(now=at(21)) == {"reminded": 1, "alerted": 0}
    assert services.forum_response_clocks(now=at(22)) == {"reminded": 0, "alerted": 0}
    assert Notification.objects.filter(user=agent, event="forum.reminder").count() == 1
    assert services.forum_response_clocks(now=at(25)) == {"reminded": 0, "alerted": 1}
    before = Notification.objects.count()
    assert services.forum_response_clocks(now=at(26)) == {"reminded": 0, "alerted": 0}
    assert Notification.objects.count() == before
    assert Notification.objects.filter(user=quality, event="forum.late").exists()
    assert Notification.objects.filter(user=director, event="forum.late").exists()
    assert (
        selectors.posts_for_user(agent, selectors.PostFilters(view="overdue"), now=at(25)).get()
        == post
    )


def test_m21_an_answered_post_is_never_reminded(post, agent, at):
    services.post_answer(actor=agent, post=post, text="好的", now=at(1))
    assert services.forum_response_clocks(now=at(21)) == {"reminded": 0, "alerted": 0}
    assert services.forum_response_clocks(now=at(30)) == {"reminded": 0, "alerted": 0}
