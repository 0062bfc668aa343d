"""The demo's online forum (M21): two months of residents' posts in every office's community
forum and the company-wide one, written through the forum's services: routed to a department and
answered officially (most within the 24-hour target, some late, a few still waiting or overdue),
neighbours' replies, a review, a post turned into a repair request, one held for review by the
sensitive-word list and one hidden with its reason.

``build_forum(builder)`` takes a ``DemoBuilder`` after its staff, customers and portal account
exist: ``builder.offices`` (each with ``office``, ``community``, ``director``, ``agents`` and
``customers``), ``builder.quality``, ``builder.rng``, ``builder.now`` and ``builder.clock``, the
clock the services' history follows (its ``at`` is set before each step). The demo resident
posts too, and reads an official reply."""

import datetime as dt

from propdesk.forum import services as forum
from propdesk.forum.models import Post, Reply, Topic
from propdesk.org.models import Department
from propdesk.portal.models import PortalAccount

POSTS = [
    (
        Topic.REPAIRS,
        "3栋电梯最近经常异响",
        "这几天3栋电梯运行时有明显异响，晚上尤其明显，担心安全，请尽快检查。",
    ),
    (
        Topic.ENVIRONMENT,
        "东门垃圾桶清运不及时",
        "东门附近的垃圾桶连续两天没有清运，气味很大，希望增加清运次数。",
    ),
    (
        Topic.SECURITY,
        "夜间外来人员进出",
        "最近晚上经常看到外来人员不登记直接进小区，门岗能否加强管理？",
    ),
    (Topic.FACILITIES, "儿童游乐区滑梯松动", "游乐区的滑梯扶手有松动，孩子玩的时候有点危险。"),
    (
        Topic.FEES,
        "停车费缴纳方式咨询",
        "请问月租车位的停车费可以在线缴纳吗？每次去服务中心不太方便。",
    ),
    (
        Topic.NEIGHBOURS,
        "楼上装修噪音问题",
        "楼上装修中午也在施工，影响休息，请物业提醒装修时间规定。",
    ),
    (Topic.SUGGESTION, "建议增设快递柜", "快递经常堆在大堂，建议在每栋楼下增设智能快递柜。"),
    (Topic.REPAIRS, "地下车库照明不足", "B2层车库好几盏灯不亮，晚上停车看不清，请安排维修。"),
    (Topic.ENVIRONMENT, "绿化带需要修剪", "中心花园的灌木长得太高，挡住了路灯，建议修剪。"),
    (Topic.FACILITIES, "单元门禁经常失灵", "5栋2单元的门禁刷卡经常没反应，需要反复刷好几次。"),
]
ANSWERS = [
    "感谢您的反馈，已安排工程人员今天下午现场检查，处理结果会在此回复。",
    "已收到，相关班组已处理完毕，后续会加强巡查，欢迎继续监督。",
    "您好，已转交相关部门跟进，预计三个工作日内处理完毕。",
    "非常感谢您的建议，我们已纳入本月改进计划，并会在业委会例会上通报。",
]
REPLIES = [
    "我也遇到过同样的问题。",
    "支持，希望尽快解决。",
    "昨天看到已经有人在处理了。",
    "谢谢物业的及时回复！",
]
COMPANY_WIDE = [
    (
        Topic.SUGGESTION,
        "希望开通线上报修进度查询",
        "希望在网站上能看到报修的处理进度，不用每次打电话。",
    ),
    (Topic.SERVICE, "客服热线服务态度很好", "上周打热线咨询，客服很耐心，点赞。"),
]
HELD_WORD = "骗子"


def _at(builder, when: dt.datetime) -> dt.datetime:
    builder.clock.at = min(when, builder.now)
    return builder.clock.at


def build_forum(builder) -> str:
    rng = builder.rng
    now = builder.now
    forum.word_add(
        actor=builder.quality, word=HELD_WORD, now=_at(builder, now - dt.timedelta(days=70))
    )
    resident = PortalAccount.objects.select_related("customer").first()
    for i, o in enumerate(builder.offices):
        if o.director is None or not o.agents or len(o.customers) < 6:
            continue
        departments = list(Department.objects.filter(office=o.office).order_by("pk"))
        authors = rng.sample(o.customers, min(len(POSTS), len(o.customers)))
        if resident and resident.customer.office_id == o.office.pk:
            authors = [resident.customer, *[a for a in authors if a != resident.customer]]
        for n, (topic, title, text) in enumerate(POSTS[: len(authors)]):
            author = authors[n]
            # A resident who moved out posts in the company-wide forum.
            lives_here = forum.communities_of(author).filter(pk=o.community.pk).exists()
            community = o.community if lives_here else None
            posted = now - dt.timedelta(days=rng.uniform(1, 60), hours=rng.uniform(0, 12))
            if n == len(authors) - 1:
                posted = now - dt.timedelta(hours=rng.uniform(2, 10))  # fresh: not yet due
            post = forum.post_create(
                customer=author,
                community=community,
                topic=topic,
                title=title,
                text=text,
                photos=[],
                now=_at(builder, posted),
            )
            fate = rng.random()
            if n == len(authors) - 1:
                continue  # waiting, within the target
            agent = o.agents[n % len(o.agents)]
            triage = posted + dt.timedelta(hours=rng.uniform(0.3, 5))
            if departments:
                forum.post_route(
                    actor=agent,
                    post=post,
                    office=o.office,
                    department=departments[n % len(departments)],
                    expected_version=post.version,
                    now=_at(builder, triage),
                )
            if fate < 0.1 and n:
                continue  # overdue: the clock job will have alerted
            late = fate < 0.3 and n
            delay = rng.uniform(26, 60) if late else rng.uniform(1, 20)
            answered_at = triage + dt.timedelta(hours=delay)
            if answered_at >= now:
                continue
            for r in range(rng.randint(0, 2)):
                neighbour = rng.choice(o.customers)
                if neighbour != author and forum.may_read(neighbour, post):
                    forum.reply_create(
                        customer=neighbour,
                        post=post,
                        text=REPLIES[(n + r) % len(REPLIES)],
                        now=_at(builder, triage + dt.timedelta(minutes=10 + r * 7)),
                    )
            forum.post_answer(
                actor=o.director if late else agent,
                post=post,
                text=ANSWERS[(n + i) % len(ANSWERS)],
                now=_at(builder, answered_at),
            )
            if topic == Topic.REPAIRS and n == 0 and i == 0:
                post.refresh_from_db()
                forum.post_convert(
                    actor=agent,
                    post=post,
                    into=forum.INTO_REQUEST,
                    kind="repair",
                    expected_version=post.version,
                    now=_at(builder, answered_at + dt.timedelta(minutes=5)),
                )
        # One held for review by the word list, and one hidden with its reason.
        rude = rng.choice(o.customers)
        held = forum.post_create(
            customer=rude,
            community=None,
            topic=Topic.FEES,
            title="物业费收得太多",
            text=f"收费不透明，简直是{HELD_WORD}。",
            now=_at(builder, now - dt.timedelta(hours=20 + i)),
        )
        if i == 0:
            forum.post_hide(
                actor=o.director,
                post=held,
                reason="含有侮辱性言辞，请文明发言；收费问题欢迎到服务中心咨询。",
                expected_version=held.version,
                now=_at(builder, now - dt.timedelta(hours=18)),
            )
        if i < len(COMPANY_WIDE) and o.customers:
            topic, title, text = COMPANY_WIDE[i]
            author = o.customers[-1]
            post = forum.post_create(
                customer=author,
                community=None,
                topic=topic,
                title=title,
                text=text,
                now=_at(builder, now - dt.timedelta(days=5 + i)),
            )
            forum.post_answer(
                actor=builder.quality,
                post=post,
                text=ANSWERS[3],
                now=_at(builder, now - dt.timedelta(days=5 + i) + dt.timedelta(hours=6)),
            )
        items = [item for pairs in o.items.values() for item, _spec in pairs if item.is_active]
        reviewer = rng.choice(o.customers)
        if items and forum.communities_of(reviewer).filter(pk=o.community.pk).exists():
            forum.review_create(
                customer=reviewer,
                rating=rng.choice([4, 5, 5, 3]),
                comment="师傅上门准时，处理得很干净，点赞。",
                item=items[0],
                community=o.community,
                now=_at(builder, now - dt.timedelta(days=rng.uniform(2, 20))),
            )
    # The response clocks as the periodic job left them: reminders and alerts for the late.
    forum.forum_response_clocks(now=_at(builder, now))
    return f"Forum: {Post.objects.count()} posts, {Reply.objects.count()} replies."
