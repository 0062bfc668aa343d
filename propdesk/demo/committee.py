"""The demo's owners' committees (M22): a year of monthly meetings per office, written through
the committee's services, with every opinion decided and actions in every state; one office
missed a month (its meeting was cancelled and not made up), which the monthly job flags.

``build_committees(builder)`` takes a ``DemoBuilder`` after its customers, staff and portal
account exist: ``builder.offices`` (each with ``director``, ``agents``, ``technicians``,
``committee`` and ``representatives``), ``builder.rng``, ``builder.now`` and ``builder.at``, the
clock the services' history follows. The demo resident gets a representative's seat, so the
portal's committee pages have something to show."""

import datetime as dt

from django.utils import timezone

from propdesk.committee import services as committee
from propdesk.committee.models import Item
from propdesk.org.models import Department
from propdesk.portal.models import PortalAccount

PLACES = ["管理处二楼会议室", "会所多功能厅", "物业服务中心接待室"]
AGENDA = [
    "上月客户意见整改情况通报",
    "本月服务质量情况（维修及时率、投诉处理）",
    "小区公共设施维护计划",
    "安全防范与消防检查",
    "绿化养护与环境卫生",
    "停车秩序管理",
    "下月社区活动安排",
]
OPINIONS = [
    ("3栋电梯近期多次停运，希望彻底检修", "更换3栋电梯主控板并加密维保"),
    ("地下车库照明不足，夜间行车不安全", "地下车库更换LED照明"),
    ("东门绿化带杂草较多，影响观感", "东门绿化带专项除草并补种"),
    ("快递堆放在大堂，影响通行", "设置快递临时存放区"),
    ("夜间巡逻次数偏少", "夜间巡逻由两次增至四次并登记"),
    ("儿童游乐设施有松动", "检修儿童游乐设施并每周点检"),
    ("垃圾分类点异味明显", "垃圾分类点每日冲洗消毒"),
    ("维修人员上门前未提前电话联系", "维修派工前电话预约上门时间"),
    ("小区外来车辆乱停", "外来车辆登记并引导至临时车位"),
]
ANSWERS = [
    (
        "希望物业承担外墙重新粉刷费用",
        "外墙翻新属专项维修资金使用范围，需业主大会表决，管理处可协助准备方案。",
    ),
    ("要求减免本季度物业费", "物业费标准由合同约定，管理处无权减免；已将意见转公司经营部门。"),
    ("希望增设电动车充电桩", "需供电部门扩容审批，已提交申请，审批结果将在下次会议通报。"),
    ("小区门口道路坑洼", "该路段属市政道路，已致函街道办，会后跟进答复。"),
]
PROGRESS = ["已现场勘查，确定方案", "材料已采购到位", "已完成一半工作量", "施工中，预计按期完成"]
MISSING_OFFICE = 1  # the second office missed a month
MISSED_MONTHS_AGO = 4


def _month_start(day: dt.date, back: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build_committees(builder) -> str:
    rng, now = builder.rng, builder.now
    today = timezone.localdate(now)
    established = _month_start(today, 13)
    resident = PortalAccount.objects.select_related("customer").first()
    counts = {"meetings": 0, "actions": 0, "answers": 0}
    for index, o in enumerate(builder.offices):
        if o.director is None or not o.agents or not o.committee:
            continue
        director = o.director
        builder.at(_local(established, 10))
        board = committee.committee_create(
            actor=director,
            office=o.office,
            name=f"{o.office.name}业主委员会",
            established_on=established,
            now=builder.clock.at,
        )
        term_to = established.replace(year=established.year + 5) - dt.timedelta(days=1)
        seats = []
        for n, customer in enumerate(o.committee):
            role = "chair" if n == 0 else "vice_chair" if n == 1 else "member"
            seats.append(
                committee.seat_add(
                    actor=director,
                    committee=board,
                    customer=customer,
                    kind="member",
                    role=role,
                    term_from=established,
                    term_to=term_to,
                    now=builder.clock.at,
                )
            )
        others = list(o.representatives)
        if resident and resident.customer.office_id == o.office.pk:
            others = [resident.customer, *[c for c in others if c != resident.customer]]
        for customer in others:
            seats.append(
                committee.seat_add(
                    actor=director,
                    committee=board,
                    customer=customer,
                    kind="representative",
                    term_from=established,
                    now=builder.clock.at,
                )
            )
        departments = list(Department.objects.filter(office=o.office).order_by("pk")) or list(
            Department.objects.filter(office__isnull=True).order_by("pk")
        )
        owners = [director, *o.agents, *o.technicians]
        for back in range(12, -2, -1):  # a year ago … next month
            month = _month_start(today, back)
            planned_for = _local(month.replace(day=15), 14, 30)
            plan_at = min(planned_for - dt.timedelta(days=10), now)
            builder.at(plan_at)
            meeting = committee.meeting_plan(
                actor=o.agents[0],
                committee=board,
                planned_for=planned_for,
                place=rng.choice(PLACES),
                agenda="\n".join(rng.sample(AGENDA, 3)),
                now=plan_at,
            )
            counts["meetings"] += 1
            if planned_for > now:
                continue  # still to come: planned
            if index == MISSING_OFFICE and back == MISSED_MONTHS_AGO:
                builder.at(planned_for - dt.timedelta(days=1))
                committee.meeting_cancel(
                    actor=director,
                    meeting=meeting,
                    reason="台风预警，会议取消",
                    now=builder.clock.at,
                )
                continue
            _hold(builder, meeting, director, o, seats, departments, owners, counts)
    # The monthly job, as it ran on the first of each month.
    for back in range(12, 0, -1):
        first = _month_start(today, back - 1)
        run_at = _local(first, 2, 10)
        if run_at <= now:
            builder.at(run_at)
            committee.flag_missed_months(now=run_at)
    return (
        f"Committees: {counts['meetings']} meetings, {counts['actions']} actions, "
        f"{counts['answers']} answers."
    )


def _hold(builder, meeting, director, o, seats, departments, owners, counts) -> None:
    rng, now = builder.rng, builder.now
    held_at = meeting.planned_for
    minutes_at = min(held_at + dt.timedelta(hours=3), now)
    builder.at(minutes_at)
    day = timezone.localdate(held_at)
    present = [s for s in seats if s.is_current(day) and rng.random() < 0.75] or seats[:1]
    opinions = rng.sample(OPINIONS, 2) + ([rng.choice(ANSWERS)] if rng.random() < 0.6 else [])
    texts = [(text, rng.choice(present)) for text, _outcome in opinions]
    committee.meeting_hold(
        actor=director,
        meeting=meeting,
        held_at=held_at,
        minutes=(
            f"会议由{director.display_name}主持，通报上月整改情况，"
            f"听取业委会及客户代表意见{len(texts)}条，逐条记录，会后答复或立项整改。"
        ),
        staff=[director, o.agents[0]],
        seats=present,
        opinions=texts,
        now=minutes_at,
    )
    outcomes = dict(OPINIONS) | dict(ANSWERS)
    decide_at = min(held_at + dt.timedelta(days=1), now)
    builder.at(decide_at)
    for item in Item.objects.filter(meeting=meeting).order_by("pk"):
        if item.text in dict(ANSWERS):
            committee.item_answer(
                actor=director, item=item, answer=outcomes[item.text], now=decide_at
            )
            counts["answers"] += 1
            continue
        owner = rng.choice(owners)
        due = timezone.localdate(decide_at) + dt.timedelta(days=rng.randint(14, 40))
        action = committee.item_act(
            actor=director,
            item=item,
            title=outcomes[item.text],
            owner=owner,
            department=rng.choice(departments),
            due_on=due,
            now=decide_at,
        )
        counts["actions"] += 1
        _follow(builder, action, owner, director, decide_at)


def _follow(builder, action, owner, director, start) -> None:
    """Progress, done and verification as time allowed: older actions mostly verified, some
    done awaiting verification, a few overdue; recent ones in progress."""
    rng, now = builder.rng, builder.now
    fate = rng.random()
    steps = [(7, "progress")]
    if fate < 0.75:
        steps += [(18, "done"), (24, "verify")]
    elif fate < 0.85:
        steps += [(18, "done")]
    elif fate < 0.9:
        steps += [(18, "done"), (22, "reopen")]
    for days, step in steps:
        at = start + dt.timedelta(days=days, hours=rng.uniform(0, 8))
        if at > now:
            return
        builder.at(at)
        if step == "progress":
            committee.action_progress(
                actor=owner,
                action=action,
                text=rng.choice(PROGRESS),
                progress=rng.choice([30, 50, 60]),
                now=at,
            )
        elif step == "done":
            committee.action_done(actor=owner, action=action, text="已完成整改", now=at)
        elif step == "verify":
            committee.action_verify(actor=director, action=action, text="现场复查合格", now=at)
        else:
            committee.action_reopen(
                actor=director, action=action, text="复查仍有问题，需继续整改", now=at
            )
        action.refresh_from_db()
