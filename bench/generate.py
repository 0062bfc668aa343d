"""Fill a scratch database with a large, realistic company, for the benchmark.

    python -m bench.generate --offices 50 --households-per-office 2000 --tickets-per-household 3

Writes into the database named by ``DATABASE_URL`` (default: the embedded SQLite in ``var/``), so
point it at a scratch database. It refuses a database that already has offices unless
``--append`` is given.

Rows go straight into the tables, not through the services: the services would take days for
millions of requests, and the benchmark measures reads, not writes. For the same reason no audit
history or timeline events are written. Rows are plain dicts (never model instances); on
PostgreSQL each batch goes in with one binary ``COPY`` per table (``bench.pgload``), on SQLite
with ``bulk_create``. Households are generated a chunk at a time, each chunk written and
committed, so memory stays flat whatever the scale. Primary keys are handed out here (and the
sequences reset at the end) so that rows can point at each other before they are written, and so
that request numbers follow ``tickets.services._number`` (local date + row id) and are unique.

On PostgreSQL two worker processes write half the offices each, with key ranges of their own, and
a large load sets the tables' secondary indexes and constraints aside and rebuilds them at the
end, crash-safe (``bench.pgload``). Each office draws from its own random stream, so a seed gives
the same offices whichever process writes them.

Every request of kind "complaint" gets its ``Complaint`` (with escalations, recusals, the answer
contact, preventive measures and, for major ones, the corrective action report), in a state that
follows the request's; every office gets a few community activities a month with their
registrations.
"""

import argparse
import datetime as dt
import math
import multiprocessing
import random
import sys
import time
import traceback
from bisect import bisect
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from bench import pgload
from propdesk.catalog.models import ProcedureStep, ServiceCategory, ServiceItem
from propdesk.community.models import Activity, Registration
from propdesk.complaints import rules as complaint_rules
from propdesk.complaints.models import (
    Complaint,
    CorrectiveActionReport,
    Escalation,
    PreventiveMeasure,
)
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from propdesk.hotline.models import Call
from propdesk.org.models import Company, HotlineLine, Office, Role, User
from propdesk.tickets.models import (
    Channel,
    Charge,
    Contact,
    Kind,
    Priority,
    Status,
    Ticket,
    TicketRecusal,
)


def _plain(choices):
    """The choices' values as plain strings under the same names. Looking up and comparing enum
    members costs many times what plain strings do, and the loop below does it millions of
    times; the values written are the same."""
    return type(choices.__name__, (), {member.name: member.value for member in choices})


Channel, Kind, Priority, Status = (_plain(c) for c in (Channel, Kind, Priority, Status))
LineKind, CallState, Outcome = (_plain(c) for c in (HotlineLine.Kind, Call.State, Call.Outcome))
Direction, Stage = _plain(Contact.Direction), _plain(Contact.Stage)
OWNER, TENANT = Customer.Kind.OWNER.value, Customer.Kind.TENANT.value
SECOND, MINUTE, HOUR = (dt.timedelta(seconds=n) for n in (1, 60, 3600))
ZERO = Decimal("0")

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
PRIORITY_WEIGHTS = {Priority.NORMAL: 90, Priority.HIGH: 8, Priority.URGENT: 2}

# --- complaints: one ``Complaint`` per request of kind "complaint" -----------------------------

Category, Severity = _plain(Complaint.Category), _plain(Complaint.Severity)
Owner, CState, Cause = _plain(Complaint.Owner), _plain(Complaint.State), _plain(Complaint.Cause)
EscalationCause = _plain(Escalation.Cause)
COMPLAINT_TEXTS = {
    Category.ATTITUDE: ["前台工作人员态度很差,不耐烦", "维修师傅上门时说话很冲"],
    Category.TIMELINESS: ["楼道灯坏了三天了一直没人修", "报修两天了还没有人联系我"],
    Category.REPAIR_QUALITY: ["上周刚修的水管又漏了", "墙面补漆颜色不一致,要求返工"],
    Category.ENVIRONMENT: ["垃圾桶满了没人清", "草坪很久没修剪,蚊虫很多"],
    Category.SECURITY: ["外来人员随意进出小区", "地下车库晚上没有保安巡逻"],
    Category.FACILITIES: ["电梯经常停运,老人上下楼困难", "小区门禁坏了一周"],
    Category.FEES: ["物业费账单多收了一个月", "停车费涨价没有提前通知"],
    Category.NEIGHBOURS: ["楼上装修晚上九点还在打电钻", "邻居在楼道堆放杂物"],
    Category.MANAGEMENT: ["小区绿地改停车位没有征求业主意见"],
    Category.OTHER: ["对物业的处理结果不满意"],
}
CATEGORY_WEIGHTS = {
    Category.ATTITUDE: 14,
    Category.TIMELINESS: 16,
    Category.REPAIR_QUALITY: 14,
    Category.ENVIRONMENT: 14,
    Category.SECURITY: 8,
    Category.FACILITIES: 12,
    Category.FEES: 6,
    Category.NEIGHBOURS: 10,
    Category.MANAGEMENT: 4,
    Category.OTHER: 2,
}
SEVERITY_WEIGHTS = {Severity.GENERAL: 80, Severity.SERIOUS: 17, Severity.MAJOR: 3}
CAUSES = {
    Cause.STAFF: (30, "员工服务意识不足,未按规范答复客户"),
    Cause.PROCESS: (20, "报修派工流程缺少时限跟踪"),
    Cause.SUPPLIER: (15, "外包保洁单位人员不足,清运不及时"),
    Cause.FACILITY: (15, "设备老化,维保计划未落实"),
    Cause.DEVELOPER: (5, "开发商遗留的防水施工问题"),
    Cause.MISUNDERSTANDING: (12, "客户对收费标准理解有误,已解释清楚"),
    Cause.OTHER: (3, "其他原因,已记录"),
}
CAUSE_WEIGHTS = {cause: weight for cause, (weight, _text) in CAUSES.items()}
# The request's status → the complaint's state. The request of a complaint only moves with it
# (``tickets.lifecycle``: new, in progress, completed, closed), so the other statuses the request
# picker draws are folded into those four.
COMPLAINT_STATUS = {
    Status.NEW: Status.NEW,
    Status.COMPLETED: Status.COMPLETED,
    Status.CLOSED: Status.CLOSED,
    Status.CANCELLED: Status.CLOSED,
    Status.DECLINED: Status.CLOSED,
}
COMPLAINT_STATE = {
    Status.NEW: CState.RECEIVED,
    Status.IN_PROGRESS: CState.IN_PROGRESS,
    Status.COMPLETED: CState.RESOLVED,
    Status.CLOSED: CState.CLOSED,
}
ESCALATION_REASONS = {
    EscalationCause.CANNOT_HANDLE: "管理处无法独立处理,提交品质管理部",
    EscalationCause.BY_QUALITY: "品质管理部提交公司领导处理",
    EscalationCause.COMPENSATION: "客户提出经济赔偿,由公司领导处理",
    EscalationCause.AGAINST_DIRECTOR: "投诉涉及管理处主任,由公司领导处理",
    EscalationCause.FIRST_RESPONSE_LATE: "首次响应超时",
    EscalationCause.RESOLUTION_LATE: "处理超时",
}

# --- community activities: a few per office a month, 10–60 registrations each -----------------

ACTIVITIES_PER_MONTH = 3
ACTIVITY_KINDS = {
    # kind: (weight, titles)
    Activity.Kind.OPEN_DAY: (15, ["认识我们的家园开放日"]),
    Activity.Kind.CULTURE: (35, ["中秋游园会", "夏日露天电影", "书法交流会", "春节写春联"]),
    Activity.Kind.EARLY_EDUCATION: (15, ["亲子绘本阅读", "儿童手工课", "幼儿安全知识讲座"]),
    Activity.Kind.TRAVEL: (10, ["周末郊游:梧桐山", "大鹏古城一日游"]),
    Activity.Kind.STOCKS: (5, ["投资理财讲座", "股市入门知识分享"]),
    Activity.Kind.OTHER: (20, ["社区义诊", "防诈骗宣传讲座", "旧物交换市集"]),
}
ACTIVITY_KIND_WEIGHTS = {kind: weight for kind, (weight, _titles) in ACTIVITY_KINDS.items()}
ACTIVITY_PLACES = ["小区会所多功能厅", "中心广场", "管理处会议室", "小区南门集合"]
SEATS = {1: 50, 2: 25, 3: 15, 4: 7, 5: 3}
RATINGS = {5: 50, 4: 30, 3: 15, 2: 4, 1: 1}


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

    def __init__(self, first: int):
        self.next = first

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
    director: int = 0
    community: int = 0
    customers: list = field(default_factory=list)  # filled as households are written


@dataclass
class ComplaintTerms:
    """What is drawn for a complaint before its request: the severity sets the request's due."""

    category: str
    severity: str
    compensation: bool
    director: bool


@dataclass
class Run:
    seed: int
    now: dt.datetime
    days: int
    company_id: int
    tickets_per_household: int
    items: list
    ids: dict
    write: object = None  # (model, rows): the database's way of writing them
    rng: random.Random = None  # the office's own: a seed gives the same offices in any worker
    tz: dt.tzinfo = None
    rows: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)  # spent writing each model's rows
    item_choices: dict = field(default_factory=dict)  # kind → items, weights (``_item``)
    quality: int = 0  # the company's users: the Quality Management Department and leadership
    leadership: int = 0

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
    Complaint,
    Complaint.about_staff.through,
    TicketRecusal,
    Escalation,
    PreventiveMeasure,
    CorrectiveActionReport,
    Activity,
    Registration,
]
# What one chunk of households writes, in this order (parents first).
HOUSEHOLD_MODELS = MODELS[MODELS.index(Unit) : MODELS.index(Activity)]


def _write(run: Run, batches: dict) -> None:
    """Write each model's rows (dicts of attribute name → value) in order, parents first."""
    for model, rows in batches.items():
        if rows:
            began = time.perf_counter()
            run.write(model, rows)
            run.seconds[model._meta.label] += time.perf_counter() - began
            run.rows[model._meta.label] += len(rows)


def _bulk_create(model, rows) -> None:
    """SQLite: through the ORM, ``BATCH`` rows per INSERT; fine at the scales SQLite is for."""
    model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)


_CUMULATIVE = {}  # id(weights) → (weights, values, cumulative weights, total)


def _pick(rng, weights: dict):
    """A key of ``weights`` drawn by weight (as ``rng.choices`` does, without rebuilding the
    lists on every draw). ``weights`` is one of the module's constant tables."""
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        cumulative = list(accumulate(weights.values()))
        table = _CUMULATIVE[id(weights)] = (weights, list(weights), cumulative, cumulative[-1])
    _weights, values, cumulative, total = table
    return values[bisect(cumulative, rng.random() * total)]


def _name(rng) -> str:
    # Falling weights: the common surnames come up most, as in life.
    surname = SURNAMES[min(int(rng.expovariate(1 / 8)), len(SURNAMES) - 1)]
    return surname + rng.choice(GIVEN)


def _item(rng, run: Run, kind) -> Item:
    """An item for a request of ``kind`` (None: any). Out-of-scope items are asked for now and
    then, not as often as the services offered."""
    choices = run.item_choices.get(kind)
    if choices is None:
        items = [i for i in run.items if kind is None or i.kind == kind] or run.items
        weights = {n: 1 if i.in_scope else 0.1 for n, i in enumerate(items)}
        choices = run.item_choices[kind] = (items, weights)
    items, weights = choices
    return items[_pick(rng, weights)]


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


def _company_users(run: Run) -> None:
    """The company-role users: Quality (the benchmark's company-wide view; it handles, approves
    and owns measures of company-level complaints) and leadership."""
    made = []
    for role, username, last, first in (
        (Role.QUALITY, "bench-quality", "质", "检"),
        (Role.LEADERSHIP, "bench-leadership", "领", "导"),
    ):
        pk = User.objects.filter(username=username).values_list("pk", flat=True).first()
        if pk is None:
            pk = run.id(User)
            made.append(
                {
                    "id": pk,
                    "username": username,
                    "password": make_password(None),
                    "role": role,
                    "last_name": last,
                    "first_name": first,
                }
            )
        setattr(run, role.value, pk)
    _write(run, {User: made})


# --- one office -------------------------------------------------------------------------------


def _office(run: Run, seq: int, households: int) -> OfficeCtx:
    rng, now = run.rng, run.now
    place = f"{PLACES[seq % len(PLACES)]}{ESTATES[seq // len(PLACES) % len(ESTATES)]}{seq}"
    code = f"bench{seq:05d}"
    office = dict(
        id=run.id(Office),
        company_id=run.company_id,
        name=f"{place}管理处",
        code=code,
        address=f"深圳市{DISTRICTS[seq % len(DISTRICTS)]}{place}路{seq % 300 + 1}号",
        **_stamps(now),
    )
    # 0755-3xxxxxxx, unique per office and line.
    lines = {
        kind: dict(
            id=run.id(HotlineLine),
            office_id=office["id"],
            kind=kind,
            number=f"+867553{seq:06d}{n}",
            **_stamps(now),
        )
        for n, kind in enumerate(HotlineLine.Kind.values, start=1)
    }
    password = make_password(None)  # staff made here cannot log in

    def staff(role, n):
        return {
            "id": run.id(User),
            "username": f"bench-{code}-{role}{n}",
            "password": password,
            "role": role,
            "office_id": office["id"],
            "last_name": _name(rng)[0],
            "first_name": rng.choice(GIVEN),
        }

    agents = [staff(Role.AGENT, n) for n in range(max(1, households // 1000))]
    technicians = [staff(Role.TECHNICIAN, n) for n in range(max(2, households // 300))]
    community = dict(
        id=run.id(Community),
        office_id=office["id"],
        name=place,
        address=office["address"],
        **_stamps(now),
    )
    buildings = [
        dict(id=run.id(Building), community_id=community["id"], name=f"{b}栋", **_stamps(now))
        for b in range(1, math.ceil(households / UNITS_PER_BUILDING) + 1)
    ]
    director = staff(Role.DIRECTOR, 0)
    with transaction.atomic():
        _write(
            run,
            {
                Office: [office],
                User: [*agents, *technicians, director],
                HotlineLine: list(lines.values()),
                Community: [community],
                Building: buildings,
            },
        )
    return OfficeCtx(
        pk=office["id"],
        lines={kind: line["id"] for kind, line in lines.items()},
        agents=[u["id"] for u in agents],
        technicians=[u["id"] for u in technicians],
        buildings=[b["id"] for b in buildings],
        director=director["id"],
        community=community["id"],
    )


def _households(run: Run, office: OfficeCtx, indexes: range) -> None:
    """Units, households, customers with phones, and their requests, contacts, calls, charges."""
    rng, now = run.rng, run.now
    out = {m: [] for m in HOUSEHOLD_MODELS}
    for u in indexes:
        within = u % UNITS_PER_BUILDING
        floor, room = within % (FLOORS * ROOMS) // ROOMS + 1, within % ROOMS + 1
        unit = dict(
            id=run.id(Unit),
            building_id=office.buildings[u // UNITS_PER_BUILDING],
            entrance=f"{within // (FLOORS * ROOMS) + 1}单元",
            number=f"{floor}{room:02d}",
            area=Decimal(rng.randrange(60, 160)),
            **_stamps(now),
        )
        household = dict(
            id=run.id(Household), office_id=office.pk, unit_id=unit["id"], **_stamps(now)
        )
        out[Unit].append(unit)
        out[Household].append(household)
        # Every household has its owner; one in four is let to a tenant as well.
        people = [OWNER]
        if rng.random() < 0.25:
            people.append(TENANT)
        members = []
        for kind in people:
            customer = dict(
                id=run.id(Customer),
                office_id=office.pk,
                name=_name(rng),
                kind=kind,
                is_important=rng.random() < 0.02,
                **_stamps(now),
            )
            out[Customer].append(customer)
            out[Residence].append(
                {
                    "id": run.id(Residence),
                    "customer_id": customer["id"],
                    "household_id": household["id"],
                    "kind": kind,
                }
            )
            phones = 2 if rng.random() < 0.2 else 1
            for n in range(phones):
                pk = run.id(CustomerPhone)
                out[CustomerPhone].append(
                    {
                        "id": pk,
                        "customer_id": customer["id"],
                        "number": mobile(pk),
                        "label": "手机" if n == 0 else "家里",
                        "is_primary": n == 0,
                    }
                )
            members.append((customer["id"], out[CustomerPhone][-phones]["number"]))
        for _ in range(run.tickets_per_household):
            _ticket(run, office, household["id"], rng.choice(members), out)
        # Callers the company does not know: wrong numbers, sales calls, hang-ups.
        if rng.random() < 0.05:
            started = now - SECOND * rng.randrange(run.days * 86400)
            out[Call].append(
                dict(
                    id=run.id(Call),
                    line_id=office.lines[LineKind.SERVICE],
                    office_id=office.pk,
                    caller_number=(number := f"147{rng.randrange(10**8):08d}"),
                    caller_e164=f"+86{number}",
                    state=CallState.ENDED if rng.random() < 0.7 else CallState.MISSED,
                    started_at=started,
                    ended_at=started + 40 * SECOND,
                    outcome=Outcome.OTHER,
                    summary="来电咨询,非本小区业务",
                    **_stamps(started),
                )
            )
    office.customers += [c["id"] for c in out[Customer]]
    with transaction.atomic():
        _write(run, out)


def _ticket(run: Run, office: OfficeCtx, household_id: int, member, out: dict) -> None:
    rng, now = run.rng, run.now
    customer_id, phone = member
    created = now - SECOND * rng.randrange(run.days * 86400)
    kind = _pick(rng, KIND_WEIGHTS)
    channel = _pick(rng, CHANNEL_WEIGHTS)
    item = terms = None
    if kind in (Kind.REPAIR, Kind.SERVICE):
        item = _item(rng, run, kind)
    elif kind == Kind.INQUIRY and rng.random() < 0.4:
        item = _item(rng, run, None)
    elif kind == Kind.COMPLAINT:
        terms = _complaint_terms(rng)
    if terms:
        description = rng.choice(COMPLAINT_TEXTS[terms.category])
        # The complaint's resolution clock (complaints.rules) is the request's deadline.
        hours = complaint_rules.CLOCKS[terms.severity][1] / HOUR
    else:
        description = rng.choice(item.problems if item and kind != Kind.INQUIRY else TEXTS[kind])
        hours = item.hours if item else 24
    span = HOUR * hours
    due = created + span
    age = now - created

    if kind in ANSWERED_KINDS:
        status = Status.NEW if age < 4 * HOUR else Status.CLOSED
    else:
        status = _pick(rng, RECENT_STATUS if age < RECENT else OLD_STATUS)
        if item and not item.in_scope and status != Status.NEW:
            status = Status.DECLINED
        elif status in (Status.QUOTED, Status.ACCEPTED) and not (item and item.chargeable):
            status = Status.CONFIRMED
        elif status == Status.DECLINED and item and item.in_scope:
            status = Status.CANCELLED
        if terms:
            status = COMPLAINT_STATUS.get(status, Status.IN_PROGRESS)
            if status == Status.NEW and channel in complaint_rules.LIVE_CHANNELS:
                status = Status.IN_PROGRESS  # heard in person: responded to at once

    completed = closed = None
    if status in FINISHED:
        completed = created + span * rng.uniform(0.2, 1.1)
        if completed >= now:
            status, completed = Status.IN_PROGRESS, None
        elif status == Status.CLOSED:
            closed = min(completed + HOUR * rng.uniform(1, 48), now)
    elif status == Status.CLOSED:  # an answered inquiry, suggestion or praise
        closed = created + MINUTE * rng.randrange(5, 120)
        closed = min(closed, now)
    charge = item.price if item and item.chargeable and completed else ZERO
    technician = rng.choice(office.technicians) if status in WITH_TECHNICIAN and item else None
    agent = rng.choice(office.agents)

    pk = run.id(Ticket)
    local = created.astimezone(run.tz)
    ticket = {
        "id": pk,
        "number": f"{local:%y%m%d}{pk:06d}",
        "office_id": office.pk,
        "kind": kind,
        "channel": channel,
        "status": status,
        "priority": Priority.HIGH if terms else _pick(rng, PRIORITY_WEIGHTS),
        "customer_id": customer_id,
        "household_id": household_id,
        "item_id": item.pk if item else None,
        "description": description,
        "requested_deadline": due if rng.random() < 0.3 else None,
        "due_at": due,
        "created_by_id": agent,
        "assignee_id": technician,
        "confirmation": "已与客户确认需求及上门时间" if status != Status.NEW else "",
        "confirmed_at": created + 10 * MINUTE if status != Status.NEW else None,
        "answer": "已详细答复客户" if kind in ANSWERED_KINDS and closed else "",
        "decline_explanation": "不在物业服务范围内,已向客户解释"
        if status == Status.DECLINED
        else "",
        "work_summary": "已处理完毕,客户验收" if completed else "",
        "final_charge": charge,
        "completed_at": completed,
        "closed_at": closed,
        "satisfied": (rng.random() < 0.95) if closed and completed else None,
        "reopen_count": 1 if status == Status.REOPENED else 0,
        "created_at": created,
        "updated_at": closed or completed or created,
    }
    out[Ticket].append(ticket)

    call_id = None
    if channel == Channel.HOTLINE:
        night = not 8 <= local.hour < 20
        line = (
            LineKind.COMPLAINT
            if kind == Kind.COMPLAINT
            else LineKind.DUTY
            if night
            else LineKind.SERVICE
        )
        started = created - 4 * MINUTE
        call_id = run.id(Call)
        out[Call].append(
            dict(
                id=call_id,
                line_id=office.lines[line],
                office_id=office.pk,
                caller_number=phone[3:],
                caller_e164=phone,
                state=CallState.ENDED,
                started_at=started,
                answered_at=started + 8 * SECOND,
                ended_at=started + 3 * MINUTE,
                handler_id=agent,
                customer_id=customer_id,
                outcome=Outcome.INQUIRY_ANSWERED
                if kind == Kind.INQUIRY
                else Outcome.REQUEST_CREATED,
                summary=description,
                ticket_id=pk,
                **_stamps(started),
            )
        )
    out[Contact].append(
        {
            "id": run.id(Contact),
            "office_id": office.pk,
            "customer_id": customer_id,
            "household_id": household_id,
            "ticket_id": pk,
            "call_id": call_id,
            "channel": channel,
            "direction": Direction.INBOUND,
            "stage": Stage.BEFORE,
            "staff_id": agent,
            "at": created,
            "summary": description,
        }
    )
    if terms:  # its own contact with the customer is the complaint's answer
        _complaint(run, office, ticket, terms, agent, out)
    elif closed and completed and rng.random() < 0.4:
        out[Contact].append(
            {
                "id": run.id(Contact),
                "office_id": office.pk,
                "customer_id": customer_id,
                "household_id": household_id,
                "ticket_id": pk,
                "channel": Channel.FOLLOWUP,
                "direction": Direction.OUTBOUND,
                "stage": Stage.AFTER,
                "staff_id": agent,
                "at": closed,
                "summary": "回访客户,客户表示满意",
            }
        )
    if charge and technician:
        out[Charge].append(
            {
                "id": run.id(Charge),
                "office_id": office.pk,
                "ticket_id": pk,
                "customer_id": customer_id,
                "household_id": household_id,
                "item_id": item.pk,
                "is_special": item.is_special,
                "amount": charge,
                "recorded_at": completed,
                "recorded_by_id": technician,
            }
        )


# --- complaints -------------------------------------------------------------------------------


def _complaint_terms(rng) -> ComplaintTerms:
    category = _pick(rng, CATEGORY_WEIGHTS)
    severity = _pick(rng, SEVERITY_WEIGHTS)
    compensation = rng.random() < 0.03
    director = rng.random() < 0.01
    if (compensation or director) and severity == Severity.GENERAL:
        severity = Severity.SERIOUS  # as the intake floors it
    return ComplaintTerms(category, severity, compensation, director)


def _between(rng, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in [start, end] (start if the span is empty)."""
    return start + max(end - start, dt.timedelta(0)) * rng.random()


def _complaint(run: Run, office: OfficeCtx, ticket: Ticket, terms: ComplaintTerms, agent, out):
    """The complaint of a request of kind "complaint", in the state its request is in, with what
    handling it leaves behind: escalations (M18's routing, by hand, missed clocks), recusals of
    the staff it names, the answer contact, the cause, preventive measures and, for a major one,
    the corrective action report."""
    rng, now = run.rng, run.now
    created, resolved, closed = ticket["created_at"], ticket["completed_at"], ticket["closed_at"]
    first_clock = complaint_rules.CLOCKS[terms.severity][0]
    first_due = created + first_clock
    live = ticket["channel"] in complaint_rules.LIVE_CHANNELS
    state = COMPLAINT_STATE[ticket["status"]]
    if state == CState.RESOLVED and now - resolved > dt.timedelta(days=1) and rng.random() < 0.5:
        state = CState.ANSWERED
    is_open = state in Complaint.OPEN_STATES
    done_by = resolved or now  # nothing happens after it is resolved, or after now

    if live:
        responded = created
    elif state == CState.RECEIVED:
        responded = None
    elif rng.random() < 0.06:  # answered late
        responded = min(first_due + dt.timedelta(hours=rng.uniform(0.5, 8)), done_by)
    else:
        responded = min(created + first_clock * rng.uniform(0.05, 0.9), done_by)

    # Who handles it: M18's routing, passing up by hand, and the clock job on a missed deadline.
    steps = []  # (at, wanted owner or None for "one level up", cause, actor)
    if terms.compensation or terms.director:
        cause = EscalationCause.AGAINST_DIRECTOR if terms.director else EscalationCause.COMPENSATION
        steps.append((created, Owner.LEADERSHIP, cause, None))
    elif (r := rng.random()) < 0.08:
        at = min(created + dt.timedelta(hours=rng.uniform(1, 24)), done_by)
        steps.append((at, Owner.QUALITY, EscalationCause.CANNOT_HANDLE, agent))
        if r < 0.015:
            at = min(at + dt.timedelta(hours=rng.uniform(2, 24)), done_by)
            steps.append((at, Owner.LEADERSHIP, EscalationCause.BY_QUALITY, run.quality))
    if (responded or now) > first_due:
        steps.append((first_due, None, EscalationCause.FIRST_RESPONSE_LATE, None))
    if (resolved or now) > ticket["due_at"]:
        steps.append((ticket["due_at"], None, EscalationCause.RESOLUTION_LATE, None))
    owner, escalations = Owner.SERVICE_CENTER, []
    for at, wanted, cause, actor in sorted(steps, key=lambda step: step[0]):
        to = wanted or complaint_rules.NEXT_OWNER[owner] or owner  # at the top: noted only
        if wanted and complaint_rules.RANK[to] <= complaint_rules.RANK[owner]:
            continue  # already there
        escalations.append(
            {
                "id": run.id(Escalation),
                "at": at,
                "actor_id": actor,
                "from_owner": owner,
                "to_owner": to,
                "cause": cause,
                "reason": ESCALATION_REASONS[cause],
            }
        )
        owner = to
    company_level = owner != Owner.SERVICE_CENTER
    # Who handles, answers and closes it: the company's department, or the office's desk.
    handler = (
        (run.leadership if owner == Owner.LEADERSHIP else run.quality)
        if company_level
        else rng.choice((agent, office.director))
    )
    about = []  # the staff it names never see it (M18)
    if terms.director:
        about.append(office.director)
    elif terms.category == Category.ATTITUDE and rng.random() < 0.3:
        about.append(rng.choice(office.technicians))

    answered = analysed = None
    if state == CState.ANSWERED:
        answered = min(resolved + dt.timedelta(hours=rng.uniform(1, 20)), now)
    elif state == CState.CLOSED:
        answered = _between(rng, resolved, closed)
        analysed = _between(rng, answered, closed)
    cause = _pick(rng, CAUSE_WEIGHTS) if analysed else ""
    claimed = Decimal(rng.choice((500, 1000, 2000, 5000))) if terms.compensation else None

    pk = run.id(Complaint)
    answer_contact = None
    if answered:
        answer_contact = {
            "id": run.id(Contact),
            "office_id": office.pk,
            "customer_id": ticket["customer_id"],
            "household_id": ticket["household_id"],
            "ticket_id": ticket["id"],
            "channel": Channel.FOLLOWUP,
            "direction": Direction.OUTBOUND,
            "stage": Stage.AFTER,
            "staff_id": run.quality if company_level else handler,
            "at": answered,
            "summary": "告知客户投诉处理结果及整改措施",
        }
        out[Contact].append(answer_contact)
    complaint = {
        "id": pk,
        "ticket_id": ticket["id"],
        "office_id": office.pk,
        "customer_id": ticket["customer_id"],
        "account": ticket["description"],
        "listened": live,
        "understanding": "耐心听完客户陈述,对客户的不便表示理解" if live else "",
        "explanation": "向客户说明处理流程和答复时限" if live else "",
        "category": terms.category,
        "severity": terms.severity,
        "about_text": "管理处主任" if terms.director else "维修人员" if about else "",
        "against_director": terms.director,
        "involves_compensation": terms.compensation,
        "compensation_claimed": claimed,
        "compensation_agreed": claimed / 2 if claimed and state == CState.CLOSED else None,
        "owner": owner,
        "state": state,
        "first_response_due_at": first_due,
        "first_responded_at": responded,
        "resolution": "已安排整改,并向客户说明" if resolved else "",
        "resolved_at": resolved,
        "answered_at": answered,
        "answer_contact_id": answer_contact["id"] if answer_contact else None,
        "answer_satisfied": (rng.random() < 0.9) if answered else None,
        "cause_category": cause,
        "cause_analysis": CAUSES[cause][1] if cause else "",
        "substantiated": (cause != Cause.MISUNDERSTANDING and rng.random() < 0.85)
        if cause
        else None,
        "analysed_at": analysed,
        "analysed_by_id": handler if analysed else None,
        "closed_at": closed if state == CState.CLOSED else None,
        "closed_by_id": handler if state == CState.CLOSED else None,
        "created_at": created,
        "updated_at": max(t for t in (created, responded, resolved, answered, closed) if t),
    }
    out[Complaint].append(complaint)
    for escalation in escalations:
        escalation["complaint_id"] = pk
    out[Escalation] += escalations
    about_staff = Complaint.about_staff.through
    for user in about:
        out[about_staff].append({"id": run.id(about_staff), "complaint_id": pk, "user_id": user})
        out[TicketRecusal].append(
            {
                "id": run.id(TicketRecusal),
                "ticket_id": ticket["id"],
                "user_id": user,
                "reason": "投诉涉及本人",
                "created_at": created,
            }
        )

    # M20: what will stop it happening again, added before it was closed (measure_add refuses a
    # closed complaint), due some weeks on; most of those due by now are done.
    if complaint["substantiated"]:
        today = timezone.localdate(now)
        for _ in range(rng.choice((1, 1, 2))):
            owner_id = (
                run.quality
                if company_level
                else office.director
                if rng.random() < 0.6
                else rng.choice(office.agents)
            )
            due_on = timezone.localdate(analysed) + dt.timedelta(days=rng.randint(7, 60))
            done_at = None
            if rng.random() < (0.9 if due_on < today else 0.3):
                due_end = timezone.make_aware(dt.datetime.combine(due_on, dt.time(18)))
                done_at = _between(rng, analysed, min(due_end, now))
            out[PreventiveMeasure].append(
                {
                    "id": run.id(PreventiveMeasure),
                    "complaint_id": pk,
                    "description": f"针对{CAUSES[cause][1][:10]}的问题,组织培训并每周检查",
                    "owner_id": owner_id,
                    "due_on": due_on,
                    "done_at": done_at,
                    "done_by_id": owner_id if done_at else None,
                    "done_note": "已落实并检查" if done_at else "",
                    "created_by_id": handler,
                    "created_at": analysed,
                    "updated_at": done_at or analysed,
                }
            )

    # M20: a major complaint's corrective action report, written by the office and approved by
    # Quality before the complaint could close (never by whoever wrote it).
    if terms.severity == Severity.MAJOR and resolved and not is_open:
        report_pk = run.id(CorrectiveActionReport)
        approved = _between(rng, analysed, closed) if state == CState.CLOSED else None
        if approved:
            report_state = CorrectiveActionReport.State.APPROVED
        elif rng.random() < 0.5:
            report_state = CorrectiveActionReport.State.SUBMITTED
        else:
            report_state = CorrectiveActionReport.State.DRAFT
        submitted = report_state != CorrectiveActionReport.State.DRAFT
        out[CorrectiveActionReport].append(
            {
                "id": report_pk,
                "complaint_id": pk,
                "office_id": office.pk,
                "number": f"CAR-{timezone.localtime(approved):%Y}-{report_pk:05d}"
                if approved
                else "",
                "title": f"关于{ticket['number']}投诉的纠正措施报告",
                "facts": ticket["description"],
                "cause": complaint["cause_analysis"],
                "correction": "已完成整改,并向客户道歉",
                "prevention": "修订作业规范,加强员工培训和日常检查",
                "verification": "品质管理部现场核查,整改有效" if approved else "",
                "state": report_state,
                "prepared_by_id": agent,
                "submitted_by_id": agent if submitted else None,
                "submitted_at": (analysed or resolved) if submitted else None,
                "approved_by_id": run.quality if approved else None,
                "approved_at": approved,
                "created_at": resolved,
                "updated_at": approved or analysed or resolved,
            }
        )


# --- community activities ---------------------------------------------------------------------


def _activities(run: Run, office: OfficeCtx) -> None:
    """A few activities a month over the history and the month ahead: held or cancelled ones in
    the past, open or drafted ones to come, each with 10–60 registrations of the office's
    customers in queue order (confirmed while seats last, then waiting)."""
    rng, now = run.rng, run.now
    today = timezone.localdate(now)
    count = round((run.days + 30) / 30 * ACTIVITIES_PER_MONTH * rng.uniform(0.7, 1.3))
    out = {Activity: [], Registration: []}
    for _ in range(max(count, 1)):
        kind = _pick(rng, ACTIVITY_KIND_WEIGHTS)
        day = today + dt.timedelta(days=rng.randint(-run.days, 30))
        starts = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.choice((9, 10, 14, 15, 19))))
        )
        ends = starts + dt.timedelta(hours=rng.choice((1.5, 2, 3, 4)))
        closes = starts - dt.timedelta(hours=rng.choice((2, 24, 48)))
        created = min(
            starts - dt.timedelta(days=rng.uniform(10, 25)),
            now - dt.timedelta(hours=rng.uniform(1, 72)),
        )
        if starts > now:
            state = Activity.State.DRAFT if rng.random() < 0.12 else Activity.State.PUBLISHED
        elif now - ends < dt.timedelta(days=2) and rng.random() < 0.5:
            state = Activity.State.PUBLISHED  # held, not yet marked as held
        else:
            state = Activity.State.FINISHED
        if state != Activity.State.DRAFT and rng.random() < 0.04:
            state = Activity.State.CANCELLED
        published = finished = cancelled = None
        if state != Activity.State.DRAFT:
            published = min(created + dt.timedelta(hours=rng.uniform(1, 24)), now)
        if state == Activity.State.FINISHED:
            finished = min(ends + dt.timedelta(hours=rng.uniform(0.5, 24)), now)
        elif state == Activity.State.CANCELLED:
            cancelled = published + (min(starts, now) - published) * rng.uniform(0.3, 0.95)
        activity = {
            "id": run.id(Activity),
            "office_id": office.pk,
            "community_id": office.community if rng.random() < 0.3 else None,
            "kind": kind,
            "title": f"{rng.choice(ACTIVITY_KINDS[kind][1])}({day.month}月)",
            "description": "欢迎各位业主和家人踊跃报名参加",
            "facilities": "消防控制室、水泵房、配电房、监控中心"
            if kind == Activity.Kind.OPEN_DAY
            else "",
            "place": rng.choice(ACTIVITY_PLACES),
            "starts_at": starts,
            "ends_at": ends,
            "registration_closes_at": closes,
            "capacity": rng.choice((30, 40, 50, 60, 80, 100, 120)),
            "state": state,
            "published_at": published,
            "finished_at": finished,
            "cancelled_at": cancelled,
            "cancel_reason": "天气原因,活动取消" if cancelled else "",
            "created_by_id": office.director,
            "created_at": created,
            "updated_at": finished or cancelled or published or created,
        }
        out[Activity].append(activity)
        if published and office.customers:
            _registrations(run, office, activity, out[Registration])
    with transaction.atomic():
        _write(run, out)


def _registrations(run: Run, office: OfficeCtx, activity: Activity, out: list) -> None:
    rng, now = run.rng, run.now
    State, RState = Activity.State, Registration.State
    opened = activity["published_at"]
    closes = min(activity["registration_closes_at"], activity["cancelled_at"] or now, now)
    customers = rng.sample(office.customers, min(rng.randint(10, 60), len(office.customers)))
    queued = sorted(_between(rng, opened, closes) for _ in customers)
    taken = 0
    for customer_id, at in zip(customers, queued, strict=True):
        seats = _pick(rng, SEATS)
        by_staff = rng.random() < 0.4
        reg = {
            "id": run.id(Registration),
            "activity_id": activity["id"],
            "customer_id": customer_id,
            "seats": seats,
            "channel": Registration.Channel.STAFF if by_staff else Registration.Channel.PORTAL,
            "registered_by_id": rng.choice(office.agents) if by_staff else None,
            "queued_at": at,
            "created_at": at,
        }
        if rng.random() < 0.06:  # withdrawn by the customer
            reg["state"], reg["cancelled_at"] = RState.CANCELLED, _between(rng, at, closes)
        elif taken + seats <= activity["capacity"]:
            reg["state"], reg["confirmed_at"] = RState.CONFIRMED, at
            taken += seats
        else:
            reg["state"] = RState.WAITING
        held = activity["state"] == State.FINISHED or (
            activity["state"] == State.PUBLISHED and activity["starts_at"] < now
        )
        if activity["state"] == State.CANCELLED and reg["state"] != RState.CANCELLED:
            reg["state"], reg["cancelled_at"] = RState.CANCELLED, activity["cancelled_at"]
        elif held and reg["state"] == RState.CONFIRMED and rng.random() < 0.85:
            reg["state"] = RState.ATTENDED
            reg["checked_in_at"] = activity["starts_at"] + dt.timedelta(
                minutes=rng.uniform(-20, 30)
            )
            reg["checked_in_by_id"] = rng.choice(office.agents)
            if activity["finished_at"] and rng.random() < 0.4:
                reg["rating"] = _pick(rng, RATINGS)
                reg["comment"] = "活动组织得很好" if reg["rating"] >= 4 else ""
                reg["feedback_at"] = min(
                    activity["finished_at"] + dt.timedelta(hours=rng.uniform(1, 72)), now
                )
        elif activity["state"] == State.FINISHED and reg["state"] == RState.CONFIRMED:
            reg["state"] = RState.ABSENT
        elif activity["state"] == State.FINISHED and reg["state"] == RState.WAITING:
            reg["state"], reg["cancelled_at"] = RState.CANCELLED, activity["finished_at"]
        reg["updated_at"] = max(
            t
            for t in (at, *(reg.get(k) for k in ("cancelled_at", "checked_in_at", "feedback_at")))
            if t
        )
        out.append(reg)


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
    workers: int | None = None,
    indexes: str = "auto",
    now=None,
    out=print,
) -> Counter:
    """Generate the data; return the number of rows written per model (``app.Model`` labels).

    ``workers``: processes writing offices side by side (PostgreSQL; default 2 when the run is
    not inside a transaction, else 1). ``indexes`` (PostgreSQL): "drop" sets the generated
    tables' secondary indexes and constraints aside for the load and rebuilds them after it,
    "keep" leaves them, "auto" drops them for a load of at least ``DROP_INDEXES_FROM`` requests
    that is no smaller than what the tables hold already."""
    if offices < 1 or households_per_office < 1 or tickets_per_household < 0 or days < 1:
        raise ValueError("offices and households must be at least 1, tickets at least 0")
    if indexes not in ("auto", "drop", "keep"):
        raise ValueError("indexes is one of auto, drop, keep")
    postgres = connection.vendor == "postgresql"
    if postgres and pgload.stashed():
        out("Rebuilding the indexes and constraints an interrupted run set aside ...")
        pgload.restore(out)
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
        seed=seed,
        now=now,
        days=days,
        company_id=company.pk,
        items=_catalogue(),
        tickets_per_household=tickets_per_household,
        ids={model: Ids(_next_id(model)) for model in MODELS},
        write=pgload.Copier(MODELS).write if postgres else _bulk_create,
        tz=timezone.get_current_timezone(),
    )
    first = Office.objects.filter(code__startswith="bench").count()
    in_transaction = connection.in_atomic_block
    if workers is None:
        workers = 2 if postgres and not in_transaction else 1
    workers = max(1, min(workers, offices))
    if workers > 1 and (not postgres or in_transaction):
        raise ValueError("several workers need PostgreSQL, outside a transaction")
    requests = offices * households_per_office * tickets_per_household
    drop = postgres and (
        indexes == "drop"
        or (indexes == "auto" and requests >= DROP_INDEXES_FROM and requests >= _held(Ticket))
    )
    started = time.monotonic()
    tables = [model._meta.db_table for model in MODELS]
    with _stored_timestamps(MODELS):
        _company_users(run)
        if drop:
            out(f"Setting aside {pgload.set_aside(tables)} indexes and constraints for the load")
        try:
            seqs = range(first, first + offices)
            if workers == 1:
                _offices(run, seqs, households_per_office, started, out)
            else:
                _in_workers(run, seqs, households_per_office, workers, started, out)
        finally:
            if drop:
                loaded = time.monotonic()
                out("Rebuilding the indexes and constraints ...")
                count = pgload.restore(out)
                out(f"{count} rebuilt in {time.monotonic() - loaded:,.0f} s")
    _reset_sequences()
    if analyze:
        # Fresh statistics, so the planner sees the tables as they now are; on PostgreSQL also the
        # visibility map that autovacuum keeps in production, which index-only scans rely on.
        vacuum = postgres and not connection.in_atomic_block
        analysing = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        out(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} in {time.monotonic() - analysing:,.0f} s")
    out("rows written, and how fast while writing (all workers' time added up):")
    for label, count in run.rows.most_common():
        rate = count / max(run.seconds[label], 1e-6)
        out(f"  {label:34} {count:>12,} {rate:>12,.0f} rows/s")
    return run.rows


# A load of this many requests or more sets the indexes aside ("auto").
DROP_INDEXES_FROM = 100_000


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _held(model) -> int:
    """PostgreSQL's estimate of a table's rows (no count of millions of rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return int(cursor.fetchone()[0])


def _offices(run: Run, seqs, households: int, started: float, out, label: str = "") -> Counter:
    """Write the offices numbered ``seqs``, each from its own random stream."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A scratch database: a crash may lose the last commits, which a rerun makes again.
            cursor.execute("SET synchronous_commit = off")
    for n, seq in enumerate(seqs, start=1):
        run.rng = random.Random(f"{run.seed}:{seq}")
        ctx = _office(run, seq, households)
        for start in range(0, households, CHUNK):
            _households(run, ctx, range(start, min(start + CHUNK, households)))
        _activities(run, ctx)
        total = sum(run.rows.values())
        elapsed = time.monotonic() - started
        out(
            f"{label}office {n}/{len(seqs)}: {total:,} rows, "
            f"{total / max(elapsed, 1e-6):,.0f} rows/s"
        )
    return run.rows


def _most_rows(households: int, tickets: int, days: int) -> dict:
    """The most rows of each model one office can have: the key range a worker sets aside for
    each of its offices (the other worker's keys start beyond)."""
    requests = households * tickets
    activities = math.ceil((days + 30) / 30 * ACTIVITIES_PER_MONTH * 1.3) + 1
    return {
        Office: 1,
        User: max(1, households // 1000) + max(2, households // 300) + 1,
        HotlineLine: len(HotlineLine.Kind.values),
        Community: 1,
        Building: math.ceil(households / UNITS_PER_BUILDING),
        Unit: households,
        Household: households,
        Customer: 2 * households,
        CustomerPhone: 4 * households,
        Residence: 2 * households,
        Ticket: requests,
        Call: requests + households,
        Contact: 2 * requests,
        Charge: requests,
        Complaint: requests,
        Complaint.about_staff.through: requests,
        TicketRecusal: requests,
        Escalation: 4 * requests,
        PreventiveMeasure: 2 * requests,
        CorrectiveActionReport: requests,
        Activity: activities,
        Registration: 60 * activities,
    }


def _in_workers(run: Run, seqs, households: int, workers: int, started: float, out) -> None:
    """Split the offices between ``workers`` forked processes, each with its own connection and
    its own key ranges: PostgreSQL's side of ``COPY`` uses the other core."""
    most = _most_rows(households, run.tickets_per_household, run.days)
    slices = [
        seqs[w * len(seqs) // workers : (w + 1) * len(seqs) // workers] for w in range(workers)
    ]
    context = multiprocessing.get_context("fork")
    connection.close()  # each process opens its own
    procs, pipes = [], []
    first = {model: ids.next for model, ids in run.ids.items()}
    try:
        for w, offices in enumerate(slices):
            receive, send = context.Pipe(duplex=False)
            starts = dict(first)
            proc = context.Process(
                target=_worker,
                args=(run, offices, households, starts, started, send, out, f"[{w + 1}] "),
                daemon=True,
            )
            proc.start()
            send.close()
            procs.append(proc)
            pipes.append(receive)
            for model in first:
                first[model] += most[model] * len(offices)
        failures = []
        for proc, pipe in zip(procs, pipes, strict=True):
            result = pipe.recv() if pipe.poll(None) else None
            proc.join()
            if isinstance(result, tuple):
                run.rows.update(result[0])
                run.seconds.update(result[1])
            else:
                failures.append(result or f"worker exited with status {proc.exitcode}")
        if failures:
            raise RuntimeError("a worker failed:\n" + "\n".join(failures))
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
    for model, ids in run.ids.items():
        ids.next = first[model]


def _worker(run: Run, seqs, households, starts, started, send, out, label) -> None:
    try:
        run.ids = {model: Ids(first) for model, first in starts.items()}
        run.rows, run.seconds = Counter(), Counter()
        _offices(run, seqs, households, started, out, label)
        send.send((run.rows, run.seconds))
    except BaseException:
        send.send(traceback.format_exc())
        raise
    finally:
        connection.close()
        send.close()


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
    parser.add_argument("--offices", type=int)
    parser.add_argument("--households-per-office", type=int)
    parser.add_argument("--tickets-per-household", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=365, help="history spread over this many days")
    parser.add_argument(
        "--append", action="store_true", help="add to a database that already has offices"
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="PostgreSQL: processes writing offices side by side (default 2)",
    )
    parser.add_argument(
        "--indexes",
        choices=("auto", "drop", "keep"),
        default="auto",
        help="PostgreSQL: set the tables' secondary indexes and constraints aside during the "
        "load and rebuild them after it (auto: for a load of 100,000 requests or more that is "
        "no smaller than what the database holds)",
    )
    parser.add_argument(
        "--restore-indexes",
        action="store_true",
        help="only rebuild the indexes and constraints an interrupted run set aside",
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip the VACUUM ANALYZE at the end"
    )
    args = parser.parse_args(argv)
    db = connection.settings_dict
    if args.restore_indexes:
        if connection.vendor != "postgresql":
            print("nothing to do: indexes are set aside only on PostgreSQL")
            return 0
        print(f"Rebuilt {pgload.restore()} indexes and constraints in {db['NAME']}")
        return 0
    sizes = (args.offices, args.households_per_office, args.tickets_per_household)
    if None in sizes:
        parser.error("--offices, --households-per-office and --tickets-per-household are required")
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
            analyze=not args.no_analyze,
            workers=args.workers,
            indexes=args.indexes,
        )
    except (GenerateRefused, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    total = sum(rows.values())
    print(f"{total:,} rows in {elapsed:,.1f} s ({total / max(elapsed, 1e-6):,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
