"""Fill a scratch database with a large, realistic company, for the benchmark.

    python -m bench.generate --offices 50 --households-per-office 2000 --tickets-per-household 3

Writes into the database named by ``DATABASE_URL`` (default: the embedded SQLite in ``var/``), so
point it at a scratch database. It refuses a database that already has offices unless
``--append`` is given.

Rows go straight into the tables with ``bulk_create``, not through the services: the services
would take hours for millions of requests, and the benchmark measures reads, not writes. For the
same reason no audit history or timeline events are written. Households are generated a chunk at a
time, each chunk written in batches and committed, so memory stays flat whatever the scale.
Primary keys are handed out here (and the sequences reset at the end) so that rows can point at
each other before they are written, and so that request numbers follow ``tickets.services._number``
(local date + row id) and are unique.
"""

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from propdesk.catalog.models import ProcedureStep, ServiceCategory, ServiceItem
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from propdesk.hotline.models import Call, HotlineLine
from propdesk.org.models import Company, Office, Role, User
from propdesk.tickets.models import Channel, Charge, Contact, Kind, Priority, Status, Ticket

BATCH = 2000  # rows per INSERT
CHUNK = 500  # households generated, written and committed together

# A building: 2 entrances (单元) × 18 floors × 2 rooms per floor and entrance.
ENTRANCES, FLOORS, ROOMS = 2, 18, 2
UNITS_PER_BUILDING = ENTRANCES * FLOORS * ROOMS

# Mobile prefixes whose every 8-digit ending is a valid Chinese mobile number.
MOBILE_PREFIXES = [
    *(f"13{d}" for d in "0123456789"),
    *(f"15{d}" for d in "012356789"),
    *(f"18{d}" for d in "0123456789"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = (
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 建华 文 华 红 志强 "
    "建国 海燕 晓东 丽华 国强 婷婷 浩然 子轩 梓涵 欣怡 宇轩 雨桐 思远 嘉怡 俊杰 佳琪 一鸣"
)
PLACES = "翠苑 碧湖 金色 阳光 锦绣 御景 星河 桃源 海韵 丽景 紫荆 椰风 枫林 滨江 青山 明珠"
ESTATES = "花园 家园 雅苑 华府 新村 名苑"
DISTRICTS = "南山区 福田区 宝安区 龙岗区 罗湖区 龙华区"
GIVEN, PLACES, ESTATES, DISTRICTS = (words.split() for words in (GIVEN, PLACES, ESTATES, DISTRICTS))

# The catalogue made when the database has none: category kind, name, pricing, price, unit,
# completion hours, in scope, special, what customers ask for.
ITEMS = [
    (
        "repair",
        "水电维修",
        "from",
        30,
        "",
        24,
        True,
        False,
        ["厨房水龙头一直滴水", "卫生间插座没有电"],
    ),
    ("repair", "管道疏通", "fixed", 80, "", 12, True, False, ["厨房下水道堵了", "卫生间地漏反水"]),
    ("repair", "门窗维修", "from", 50, "", 48, True, False, ["卧室门关不上", "纱窗破了需要更换"]),
    ("repair", "屋面漏水", "free", 0, "", 72, True, False, ["顶楼卧室天花板漏水"]),
    ("repair", "墙面渗水", "free", 0, "", 72, True, False, ["卧室外墙一下雨就渗水"]),
    ("repair", "灯具更换", "per_unit", 15, "盏", 24, True, False, ["客厅吸顶灯不亮了"]),
    ("repair", "空调清洗", "per_unit", 120, "台", 72, True, False, ["空调有异味,需要清洗"]),
    ("repair", "防盗门维修", "from", 60, "", 24, True, False, ["防盗门锁芯转不动"]),
    ("repair", "公共设施报修", "free", 0, "", 24, True, False, ["3楼楼道灯不亮", "电梯按钮失灵"]),
    ("repair", "燃气管道改装", "free", 0, "", 24, False, False, ["厨房装修想把燃气管道移位"]),
    ("repair", "家用电器维修", "free", 0, "", 24, False, False, ["洗衣机不脱水了"]),
    ("household", "家政保洁", "per_unit", 40, "小时", 48, True, False, ["需要做一次全屋保洁"]),
    ("household", "家电清洗", "from", 80, "", 72, True, False, ["油烟机需要清洗"]),
    ("household", "搬家服务", "from", 300, "", 72, True, False, ["下周六要搬家,需要预约"]),
    ("special", "代收快递", "free", 0, "", 48, True, True, ["这几天出差,请帮忙代收快递"]),
    ("special", "代订车票", "fixed", 10, "", 24, True, True, ["请帮忙订两张去广州的高铁票"]),
    ("special", "花木代养", "per_unit", 30, "月", 720, True, True, ["出国一个月,请帮忙浇花"]),
    ("public", "开具证明", "free", 0, "", 24, True, False, ["需要开居住证明"]),
    ("public", "门禁卡办理", "per_unit", 20, "张", 24, True, False, ["门禁卡丢了,需要补办"]),
    ("public", "车位申请", "free", 0, "", 72, True, False, ["想申请一个月租车位"]),
]
CATEGORIES = {
    "repair": "维修服务",
    "household": "家政服务",
    "special": "特约服务",
    "public": "公共事务",
}

TEXTS = {
    Kind.INQUIRY: ["物业管理费什么时候交?", "明天停水是怎么回事?", "小区快递柜在哪里?"],
    Kind.COMPLAINT: [
        "楼道灯坏了三天了一直没人修",
        "楼上装修晚上九点还在打电钻",
        "垃圾桶满了没人清",
    ],
    Kind.SUGGESTION: ["建议在儿童游乐区加装遮阳棚", "建议增加电动车充电桩"],
    Kind.PRAISE: ["表扬维修师傅半夜上门抢修水管", "保洁阿姨把楼道打扫得很干净"],
}
ANSWERED_KINDS = (Kind.INQUIRY, Kind.SUGGESTION, Kind.PRAISE)

KIND_WEIGHTS = {
    Kind.REPAIR: 45,
    Kind.SERVICE: 20,
    Kind.INQUIRY: 20,
    Kind.COMPLAINT: 7,
    Kind.SUGGESTION: 4,
    Kind.PRAISE: 4,
}
CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 55,
    Channel.WALK_IN: 15,
    Channel.PORTAL: 15,
    Channel.ON_SITE: 8,
    Channel.FOLLOWUP: 4,
    Channel.FORUM: 1,
    Channel.SURVEY: 1,
    Channel.MEETING: 1,
}
# Recent requests are spread over the lifecycle; older ones are mostly finished, a few late.
RECENT_STATUS = {
    Status.NEW: 12,
    Status.CONFIRMED: 12,
    Status.QUOTED: 6,
    Status.ACCEPTED: 5,
    Status.DISPATCHED: 15,
    Status.IN_PROGRESS: 15,
    Status.COMPLETED: 15,
    Status.CLOSED: 20,
}
OLD_STATUS = {
    Status.CLOSED: 86,
    Status.CANCELLED: 6,
    Status.DECLINED: 2,
    Status.COMPLETED: 3,
    Status.REOPENED: 1,
    Status.DISPATCHED: 1,
    Status.IN_PROGRESS: 1,
}
RECENT = dt.timedelta(days=7)
WITH_TECHNICIAN = (
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.CLOSED,
    Status.REOPENED,
)
FINISHED = (Status.COMPLETED, Status.CLOSED, Status.REOPENED)


class GenerateRefused(Exception):
    """The database is not a scratch database (it already has offices)."""


def mobile(n: int) -> str:
    """The n-th generated mobile number, E.164: distinct for distinct n, scattered, valid."""
    prefix = MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]
    # The multiplier is prime to 10^8, so distinct n (below 10^8) get distinct endings.
    ending = (n * 61803399 + 20240601) % 10**8
    return f"+86{prefix}{ending:08d}"


class Ids:
    """Primary keys handed out before the rows are written, so rows can point at each other."""

    def __init__(self, model):
        self.model = model
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


@contextmanager
def _stored_timestamps(models):
    """Let ``created_at``/``updated_at`` keep the values given: requests are spread over a year."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _stamps(at):
    return {"created_at": at, "updated_at": at}


@dataclass
class Item:
    pk: int
    kind: str  # the request kind it serves: repair or service
    chargeable: bool
    price: Decimal
    hours: int
    in_scope: bool
    is_special: bool
    problems: list


@dataclass
class OfficeCtx:
    pk: int
    lines: dict  # line kind → id
    agents: list
    technicians: list
    buildings: list


@dataclass
class Run:
    rng: random.Random
    now: dt.datetime
    days: int
    company_id: int
    tickets_per_household: int
    items: list
    ids: dict
    rows: Counter = field(default_factory=Counter)

    def id(self, model) -> int:
        return self.ids[model].take()


MODELS = [
    Office,
    User,
    HotlineLine,
    Community,
    Building,
    Unit,
    Household,
    Customer,
    CustomerPhone,
    Residence,
    Ticket,
    Call,
    Contact,
    Charge,
]


def _write(run: Run, batches: dict) -> None:
    """Write each model's rows in order (parents first), ``BATCH`` rows per INSERT."""
    for model, objs in batches.items():
        if objs:
            model.objects.bulk_create(objs, batch_size=BATCH)
            run.rows[model._meta.label] += len(objs)


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng) -> str:
    # Falling weights: the common surnames come up most, as in life.
    surname = SURNAMES[min(int(rng.expovariate(1 / 8)), len(SURNAMES) - 1)]
    return surname + rng.choice(GIVEN)


def _item(rng, items: list[Item]) -> Item:
    # Out-of-scope items are asked for now and then, not as often as the services offered.
    return rng.choices(items, weights=[1 if i.in_scope else 0.1 for i in items])[0]


# --- the catalogue and the company ------------------------------------------------------------


def _catalogue() -> list[Item]:
    """The company-wide catalogue: the one already there, or the small one above."""
    problems = {spec[1]: spec[8] for spec in ITEMS}
    existing = list(
        ServiceItem.objects.filter(office=None, is_active=True)
        .select_related("category")
        .order_by("pk")[:500]
    )
    if not existing:
        categories = {}
        for position, (key, name) in enumerate(CATEGORIES.items(), start=1):
            categories[key] = ServiceCategory.objects.create(name=name, kind=key, position=position)
        for kind, name, pricing, price, unit, hours, in_scope, special, _texts in ITEMS:
            item = ServiceItem.objects.create(
                category=categories[kind],
                name=name,
                pricing=pricing,
                price=Decimal(price),
                price_unit=unit,
                default_completion_hours=hours,
                in_scope=in_scope,
                is_special=special,
                service_hours="8:00-20:00",
            )
            ProcedureStep.objects.bulk_create(
                ProcedureStep(item=item, position=p, title=title)
                for p, title in enumerate(["上门查看", "作业处理", "清理验收"], start=1)
            )
            existing.append(item)
    return [
        Item(
            pk=item.pk,
            kind=Kind.REPAIR if item.category.kind == "repair" else Kind.SERVICE,
            chargeable=item.is_chargeable,
            price=item.price,
            hours=item.default_completion_hours or 24,
            in_scope=item.in_scope,
            is_special=item.is_special,
            problems=problems.get(item.name) or [f"需要{item.name}"],
        )
        for item in existing
    ]


def _company_user(run: Run) -> None:
    """One company-role user (quality) for the benchmark's company-wide view."""
    if User.objects.filter(username="bench-quality").exists():
        return
    _write(
        run,
        {
            User: [
                User(
                    id=run.id(User),
                    username="bench-quality",
                    password=make_password(None),
                    role=Role.QUALITY,
                    last_name="质",
                    first_name="检",
                )
            ]
        },
    )


# --- one office -------------------------------------------------------------------------------


def _office(run: Run, seq: int, households: int) -> OfficeCtx:
    rng, now = run.rng, run.now
    place = f"{PLACES[seq % len(PLACES)]}{ESTATES[seq // len(PLACES) % len(ESTATES)]}{seq}"
    code = f"bench{seq:05d}"
    office = Office(
        id=run.id(Office),
        company_id=run.company_id,
        name=f"{place}管理处",
        code=code,
        address=f"深圳市{DISTRICTS[seq % len(DISTRICTS)]}{place}路{seq % 300 + 1}号",
        **_stamps(now),
    )
    # 0755-3xxxxxxx, unique per office and line.
    lines = {
        kind: HotlineLine(
            id=run.id(HotlineLine),
            office_id=office.pk,
            kind=kind,
            number=f"+867553{seq:06d}{n}",
            **_stamps(now),
        )
        for n, kind in enumerate(HotlineLine.Kind.values, start=1)
    }
    password = make_password(None)  # staff made here cannot log in

    def staff(role, n):
        return User(
            id=run.id(User),
            username=f"bench-{code}-{role}{n}",
            password=password,
            role=role,
            office_id=office.pk,
            last_name=_name(rng)[0],
            first_name=rng.choice(GIVEN),
        )

    agents = [staff(Role.AGENT, n) for n in range(max(1, households // 1000))]
    technicians = [staff(Role.TECHNICIAN, n) for n in range(max(2, households // 300))]
    community = Community(
        id=run.id(Community),
        office_id=office.pk,
        name=place,
        address=office.address,
        **_stamps(now),
    )
    buildings = [
        Building(id=run.id(Building), community_id=community.pk, name=f"{b}栋", **_stamps(now))
        for b in range(1, math.ceil(households / UNITS_PER_BUILDING) + 1)
    ]
    with transaction.atomic():
        _write(
            run,
            {
                Office: [office],
                User: [*agents, *technicians, staff(Role.DIRECTOR, 0)],
                HotlineLine: list(lines.values()),
                Community: [community],
                Building: buildings,
            },
        )
    return OfficeCtx(
        pk=office.pk,
        lines={kind: line.pk for kind, line in lines.items()},
        agents=[u.pk for u in agents],
        technicians=[u.pk for u in technicians],
        buildings=[b.pk for b in buildings],
    )


def _households(run: Run, office: OfficeCtx, indexes: range) -> None:
    """Units, households, customers with phones, and their requests, contacts, calls, charges."""
    rng, now = run.rng, run.now
    out = {
        m: []
        for m in (
            Unit,
            Household,
            Customer,
            CustomerPhone,
            Residence,
            Ticket,
            Call,
            Contact,
            Charge,
        )
    }
    for u in indexes:
        within = u % UNITS_PER_BUILDING
        floor, room = within % (FLOORS * ROOMS) // ROOMS + 1, within % ROOMS + 1
        unit = Unit(
            id=run.id(Unit),
            building_id=office.buildings[u // UNITS_PER_BUILDING],
            entrance=f"{within // (FLOORS * ROOMS) + 1}单元",
            number=f"{floor}{room:02d}",
            area=Decimal(rng.randrange(60, 160)),
            **_stamps(now),
        )
        household = Household(
            id=run.id(Household), office_id=office.pk, unit_id=unit.pk, **_stamps(now)
        )
        out[Unit].append(unit)
        out[Household].append(household)
        # Every household has its owner; one in four is let to a tenant as well.
        people = [Customer.Kind.OWNER]
        if rng.random() < 0.25:
            people.append(Customer.Kind.TENANT)
        members = []
        for kind in people:
            customer = Customer(
                id=run.id(Customer),
                office_id=office.pk,
                name=_name(rng),
                kind=kind,
                is_important=rng.random() < 0.02,
                **_stamps(now),
            )
            out[Customer].append(customer)
            out[Residence].append(
                Residence(
                    id=run.id(Residence),
                    customer_id=customer.pk,
                    household_id=household.pk,
                    kind=kind,
                )
            )
            phones = 2 if rng.random() < 0.2 else 1
            for n in range(phones):
                pk = run.id(CustomerPhone)
                out[CustomerPhone].append(
                    CustomerPhone(
                        id=pk,
                        customer_id=customer.pk,
                        number=mobile(pk),
                        label="手机" if n == 0 else "家里",
                        is_primary=n == 0,
                    )
                )
            members.append((customer.pk, out[CustomerPhone][-phones].number))
        for _ in range(run.tickets_per_household):
            _ticket(run, office, household.pk, rng.choice(members), out)
        # Callers the company does not know: wrong numbers, sales calls, hang-ups.
        if rng.random() < 0.05:
            started = now - dt.timedelta(seconds=rng.randrange(run.days * 86400))
            out[Call].append(
                Call(
                    id=run.id(Call),
                    line_id=office.lines[HotlineLine.Kind.SERVICE],
                    office_id=office.pk,
                    caller_number=(number := f"147{rng.randrange(10**8):08d}"),
                    caller_e164=f"+86{number}",
                    state=Call.State.ENDED if rng.random() < 0.7 else Call.State.MISSED,
                    started_at=started,
                    ended_at=started + dt.timedelta(seconds=40),
                    outcome=Call.Outcome.OTHER,
                    summary="来电咨询,非本小区业务",
                    **_stamps(started),
                )
            )
    with transaction.atomic():
        _write(run, out)


def _ticket(run: Run, office: OfficeCtx, household_id: int, member, out: dict) -> None:
    rng, now = run.rng, run.now
    customer_id, phone = member
    created = now - dt.timedelta(seconds=rng.randrange(run.days * 86400))
    kind = _pick(rng, KIND_WEIGHTS)
    channel = _pick(rng, CHANNEL_WEIGHTS)
    item = None
    if kind in (Kind.REPAIR, Kind.SERVICE):
        item = _item(rng, [i for i in run.items if i.kind == kind] or run.items)
    elif kind == Kind.INQUIRY and rng.random() < 0.4:
        item = _item(rng, run.items)
    description = rng.choice(item.problems if item and kind != Kind.INQUIRY else TEXTS[kind])
    due = created + dt.timedelta(hours=item.hours if item else 24)
    age = now - created

    if kind in ANSWERED_KINDS:
        status = Status.NEW if age < dt.timedelta(hours=4) else Status.CLOSED
    else:
        status = _pick(rng, RECENT_STATUS if age < RECENT else OLD_STATUS)
        if item and not item.in_scope and status != Status.NEW:
            status = Status.DECLINED
        elif status in (Status.QUOTED, Status.ACCEPTED) and not (item and item.chargeable):
            status = Status.CONFIRMED
        elif status == Status.DECLINED and item and item.in_scope:
            status = Status.CANCELLED

    completed = closed = None
    if status in FINISHED:
        completed = created + dt.timedelta(
            hours=(item.hours if item else 24) * rng.uniform(0.2, 1.1)
        )
        if completed >= now:
            status, completed = Status.IN_PROGRESS, None
        elif status == Status.CLOSED:
            closed = min(completed + dt.timedelta(hours=rng.uniform(1, 48)), now)
    elif status == Status.CLOSED:  # an answered inquiry, suggestion or praise
        closed = created + dt.timedelta(minutes=rng.randrange(5, 120))
        closed = min(closed, now)
    charge = item.price if item and item.chargeable and completed else Decimal("0")
    technician = rng.choice(office.technicians) if status in WITH_TECHNICIAN and item else None
    agent = rng.choice(office.agents)

    pk = run.id(Ticket)
    ticket = Ticket(
        id=pk,
        number=f"{timezone.localtime(created):%y%m%d}{pk:06d}",
        office_id=office.pk,
        kind=kind,
        channel=channel,
        status=status,
        priority=_pick(rng, {Priority.NORMAL: 90, Priority.HIGH: 8, Priority.URGENT: 2}),
        customer_id=customer_id,
        household_id=household_id,
        item_id=item.pk if item else None,
        description=description,
        requested_deadline=due if rng.random() < 0.3 else None,
        due_at=due,
        created_by_id=agent,
        assignee_id=technician,
        confirmation="已与客户确认需求及上门时间" if status != Status.NEW else "",
        confirmed_at=created + dt.timedelta(minutes=10) if status != Status.NEW else None,
        answer="已详细答复客户" if kind in ANSWERED_KINDS and closed else "",
        decline_explanation="不在物业服务范围内,已向客户解释" if status == Status.DECLINED else "",
        work_summary="已处理完毕,客户验收" if completed else "",
        final_charge=charge,
        completed_at=completed,
        closed_at=closed,
        satisfied=(rng.random() < 0.95) if closed and completed else None,
        reopen_count=1 if status == Status.REOPENED else 0,
        created_at=created,
        updated_at=closed or completed or created,
    )
    out[Ticket].append(ticket)

    call_id = None
    if channel == Channel.HOTLINE:
        night = not 8 <= timezone.localtime(created).hour < 20
        line = (
            HotlineLine.Kind.COMPLAINT
            if kind == Kind.COMPLAINT
            else HotlineLine.Kind.DUTY
            if night
            else HotlineLine.Kind.SERVICE
        )
        started = created - dt.timedelta(minutes=4)
        call_id = run.id(Call)
        out[Call].append(
            Call(
                id=call_id,
                line_id=office.lines[line],
                office_id=office.pk,
                caller_number=phone[3:],
                caller_e164=phone,
                state=Call.State.ENDED,
                started_at=started,
                answered_at=started + dt.timedelta(seconds=8),
                ended_at=started + dt.timedelta(minutes=3),
                handler_id=agent,
                customer_id=customer_id,
                outcome=Call.Outcome.INQUIRY_ANSWERED
                if kind == Kind.INQUIRY
                else Call.Outcome.REQUEST_CREATED,
                summary=description,
                ticket_id=pk,
                **_stamps(started),
            )
        )
    out[Contact].append(
        Contact(
            id=run.id(Contact),
            office_id=office.pk,
            customer_id=customer_id,
            household_id=household_id,
            ticket_id=pk,
            call_id=call_id,
            channel=channel,
            direction=Contact.Direction.INBOUND,
            stage=Contact.Stage.BEFORE,
            staff_id=agent,
            at=created,
            summary=description,
        )
    )
    if closed and completed and rng.random() < 0.4:
        out[Contact].append(
            Contact(
                id=run.id(Contact),
                office_id=office.pk,
                customer_id=customer_id,
                household_id=household_id,
                ticket_id=pk,
                channel=Channel.FOLLOWUP,
                direction=Contact.Direction.OUTBOUND,
                stage=Contact.Stage.AFTER,
                staff_id=agent,
                at=closed,
                summary="回访客户,客户表示满意",
            )
        )
    if charge and technician:
        out[Charge].append(
            Charge(
                id=run.id(Charge),
                office_id=office.pk,
                ticket_id=pk,
                customer_id=customer_id,
                household_id=household_id,
                item_id=item.pk,
                is_special=item.is_special,
                amount=charge,
                recorded_at=completed,
                recorded_by_id=technician,
            )
        )


# --- the whole run ----------------------------------------------------------------------------


def generate(
    *,
    offices: int,
    households_per_office: int,
    tickets_per_household: int,
    seed: int = 1,
    days: int = 365,
    append: bool = False,
    analyze: bool = True,
    now=None,
    out=print,
) -> Counter:
    """Generate the data; return the number of rows written per model (``app.Model`` labels)."""
    if offices < 1 or households_per_office < 1 or tickets_per_household < 0 or days < 1:
        raise ValueError("offices and households must be at least 1, tickets at least 0")
    if not append and Office.objects.exists():
        raise GenerateRefused(
            "This database already has offices. Point DATABASE_URL at a scratch database, "
            "or pass --append to add to it."
        )
    now = now or timezone.now()
    company, _created = Company.objects.get_or_create(
        code="bench", defaults={"name": "基准测试物业公司"}
    )
    run = Run(
        rng=random.Random(seed),
        now=now,
        days=days,
        company_id=company.pk,
        items=_catalogue(),
        tickets_per_household=tickets_per_household,
        ids={model: Ids(model) for model in MODELS},
    )
    first = Office.objects.filter(code__startswith="bench").count()
    started = time.monotonic()
    with _stored_timestamps(MODELS):
        _company_user(run)
        for n in range(offices):
            ctx = _office(run, first + n, households_per_office)
            for start in range(0, households_per_office, CHUNK):
                _households(run, ctx, range(start, min(start + CHUNK, households_per_office)))
            total = sum(run.rows.values())
            elapsed = time.monotonic() - started
            out(
                f"office {n + 1}/{offices}: {total:,} rows, {total / max(elapsed, 1e-6):,.0f} rows/s"
            )
    _reset_sequences()
    if analyze:
        # Fresh statistics, so the planner sees the tables as they now are; on PostgreSQL also the
        # visibility map that autovacuum keeps in production, which index-only scans rely on.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return run.rows


def _reset_sequences() -> None:
    """Keys were handed out here; move the database's own counters past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Fill the configured database (DATABASE_URL) with a large generated company. "
        "Use a scratch database.",
    )
    parser.add_argument("--offices", type=int, required=True)
    parser.add_argument("--households-per-office", type=int, required=True)
    parser.add_argument("--tickets-per-household", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=365, help="history spread over this many days")
    parser.add_argument(
        "--append", action="store_true", help="add to a database that already has offices"
    )
    args = parser.parse_args(argv)
    db = connection.settings_dict
    print(f"Generating into {connection.vendor} database {db['NAME']}")
    started = time.monotonic()
    try:
        rows = generate(
            offices=args.offices,
            households_per_office=args.households_per_office,
            tickets_per_household=args.tickets_per_household,
            seed=args.seed,
            days=args.days,
            append=args.append,
        )
    except (GenerateRefused, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for label, count in rows.most_common():
        print(f"  {label:28} {count:>12,}")
    print(f"done in {time.monotonic() - started:,.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
