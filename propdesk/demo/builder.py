"""Build the demo company "K物业公司" into an empty database.

Organisation, customers and catalogue are written with ``bulk_create`` (with their audit history).
Hotline lines, the duty roster and a year of requests are then played through the real services
(``hotline.services``, ``tickets.services``) with ``now=`` set to the moment each step happened, so
calls, timelines, contacts, quotes, assignments, checklists, extensions and charges are what the
system itself would have written.

Everything runs in one transaction (one fsync, and all or nothing) under a simulated clock: the
services take ``now=``, but ``created_at``/``updated_at`` and the audit history read
``timezone.now()`` themselves, and a request received last March must say so everywhere.
"""

import datetime as dt
import io
import itertools
import random
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image
from simple_history.utils import bulk_create_with_history

from propdesk.aftercare.models import DefectWatch, FollowupCall, Inspection
from propdesk.aftercare.services import defects, followups
from propdesk.aftercare.services.measures import weekly_measures
from propdesk.catalog.models import ProcedureStep, ServiceCategory, ServiceItem
from propdesk.committee.models import Action as CommitteeAction
from propdesk.committee.models import Meeting as CommitteeMeeting
from propdesk.community import services as community
from propdesk.community.models import Activity, Registration
from propdesk.complaints.models import Complaint
from propdesk.complaints.services import handling as complaints_handling
from propdesk.complaints.services import intake as complaints_intake
from propdesk.complaints.services import prevention as complaints_prevention
from propdesk.core.models import DeferredTask
from propdesk.core.notify import muted
from propdesk.core.phones import display_phone
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from propdesk.demo.logins import DEMO_OFFICE, DEMO_PASSWORD, DEMO_USERNAMES
from propdesk.forum.models import Post, Reply
from propdesk.guide import services as guide
from propdesk.hotline import services as hotline
from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import Company, Department, HotlineLine, Office, Role, User
from propdesk.portal.models import PortalAccount
from propdesk.surveys.models import Campaign
from propdesk.surveys.models import FollowUp as SurveyFollowUp
from propdesk.surveys.models import Response as SurveyResponse
from propdesk.tickets import services
from propdesk.tickets.models import (
    Assignment,
    Channel,
    Charge,
    ChecklistStep,
    Contact,
    Extension,
    Kind,
    Priority,
    Quote,
    Status,
    Ticket,
    TicketEvent,
)

from . import data
from .committee import build_committees
from .forum import build_forum
from .surveys import build_surveys

DEFAULT_SEED = 2026
# The full demo's size: enough for every board, measure and chart to have its figures, week by
# week and month by month, and small enough to be built in a minute or so (docs/benchmarks.md).
FULL_TICKETS = 600  # a year of requests: some 17 an office a month
FULL_HOUSEHOLDS_PER_OFFICE = 120
# However small the scale: enough requests for every fate and every open status, and for the
# weekly follow-up samples (M13) to have calls to make.
MIN_TICKETS = 100

# What becomes of the year's requests: (fate, share, at least this many at any scale).
HISTORY_FATES = [
    ("rework", 0.04, 2),
    ("extended", 0.04, 2),
    ("late", 0.02, 1),
    ("declined", 0.03, 2),
    ("cancelled", 0.025, 2),
    ("quote_rejected", 0.015, 1),
    ("inquiry", 0.15, 3),
    ("suggestion", 0.03, 1),
    ("praise", 0.025, 1),
    ("complaint", 0.05, 2),
]  # the rest: "closed", a job done and confirmed by a satisfied customer

# Recent requests still open, by the status they stop in: (status, weight, youngest and oldest
# age in hours). Old enough to reach the status; the oldest run past their deadline.
OPEN_STOPS = [
    (Status.NEW, 2, (0.2, 4)),
    (Status.CONFIRMED, 2, (1, 16)),
    (Status.QUOTED, 2, (2, 20)),
    (Status.ACCEPTED, 2, (2, 24)),
    (Status.DISPATCHED, 4, (2, 36)),
    (Status.IN_PROGRESS, 4, (3, 40)),
    (Status.COMPLETED, 3, (6, 60)),
    (Status.REOPENED, 1, (24, 72)),
]

CHANNELS = {
    Kind.REPAIR: {
        Channel.HOTLINE: 60,
        Channel.WALK_IN: 15,
        Channel.PORTAL: 12,
        Channel.ON_SITE: 6,
        Channel.FOLLOWUP: 3,
        Channel.FORUM: 2,
        Channel.MEETING: 2,
    },
    Kind.SERVICE: {Channel.HOTLINE: 50, Channel.WALK_IN: 30, Channel.PORTAL: 20},
    Kind.INQUIRY: {Channel.HOTLINE: 60, Channel.WALK_IN: 30, Channel.PORTAL: 10},
    Kind.COMPLAINT: {
        Channel.HOTLINE: 60,
        Channel.WALK_IN: 15,
        Channel.PORTAL: 10,
        Channel.FORUM: 8,
        Channel.SURVEY: 4,
        Channel.MEETING: 3,
    },
    Kind.SUGGESTION: {
        Channel.PORTAL: 30,
        Channel.FORUM: 20,
        Channel.SURVEY: 20,
        Channel.MEETING: 20,
        Channel.WALK_IN: 10,
    },
    Kind.PRAISE: {Channel.HOTLINE: 40, Channel.WALK_IN: 30, Channel.PORTAL: 20, Channel.FORUM: 10},
}

# When people call: weight per local hour of the day.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 5, 9, 10, 10, 8, 6, 7, 9, 9, 9, 8, 8, 9, 8, 6, 4, 2]
DAY_HOURS = range(8, 21)  # outside these the 24-hour duty line answers


@dataclass(frozen=True)
class StageTiming:
    seconds: float  # wall-clock time
    cpu: float  # this process's CPU time: what the stage takes on a machine nobody else uses
    queries: int


class _Stop(Exception):
    """The request's story ends here: it is still open, or its next step lies in the future."""


@dataclass
class _Office:
    office: Office
    community: Community
    lines: dict = field(default_factory=dict)
    director: User | None = None
    agents: list = field(default_factory=list)
    technicians: list = field(default_factory=list)
    customers: list = field(default_factory=list)
    homes: dict = field(default_factory=dict)  # customer pk → [Household]
    items: dict = field(default_factory=dict)  # kind → [(ServiceItem, spec)]
    # Who sits on the office's owners' committee (committee.py seats them): members, representatives.
    committee: list = field(default_factory=list)
    representatives: list = field(default_factory=list)


@dataclass
class _Plan:
    fate: str
    created: dt.datetime
    office: _Office
    kind: str
    customer: Customer
    household: Household
    item: ServiceItem | None = None
    spec: dict | None = None
    stop: str | None = None
    pace: float = 1.0
    resolution: str = ""


class _Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@contextmanager
def _simulated(clock: _Clock):
    """While the demo is written, ``timezone.now()`` answers the simulated time (see module doc).

    Process-wide: fine for a command that runs before anything serves requests."""
    real = timezone.now
    timezone.now = clock
    try:
        yield
    finally:
        timezone.now = real


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 36), (150, 160, 170)).save(buffer, "PNG")
    return buffer.getvalue()


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def roster_start(now: dt.datetime) -> dt.datetime:
    """Local midnight of the first day the demo's roster covers: the Monday of the week that
    holds the first day of the month a year back, so that every week and month of the board's
    trends (twelve of each) and of the year's history has its roster."""
    local = timezone.localtime(now)
    year, month = (local.year - 1, local.month)
    day = dt.date(year, month, 1)
    day -= dt.timedelta(days=day.weekday())
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def daily_handovers(first: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
    """The moments one day's person on duty hands over to the next: 08:00 local each day
    between ``first`` and ``until`` (both local midnights), which open and close the list."""
    handovers = [first]
    day = timezone.localtime(first).date()
    while True:
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        if at >= until:
            break
        if at > first:
            handovers.append(at)
        day += dt.timedelta(days=1)
    return [*handovers, until]


class DemoBuilder:
    def __init__(self, *, seed: int = DEFAULT_SEED, scale: float = 1.0, stdout=None, now=None):
        if scale <= 0:
            raise ValueError("scale must be more than zero")
        self.rng = random.Random(seed)
        self.scale = scale
        self.stdout = stdout
        self.now = now or timezone.now()
        self.clock = _Clock(self.now - dt.timedelta(days=400))
        self.started = time.monotonic()
        self.offices: list[_Office] = []
        self.used_phones: set[str] = set()
        self.staff_names: set[str] = set()
        self.surname_weights = [1 / (i + 6) for i in range(len(data.SURNAMES))]
        self.photo = _png()
        self.timings: dict[str, StageTiming] = {}

    # --- plumbing ---------------------------------------------------------------------------

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:5.1f}s] {message}\n")
            # Shown as it happens, also when the output goes to a pipe (make, a log).
            flush = getattr(self.stdout, "flush", None)
            if flush is not None:
                flush()

    def at(self, when: dt.datetime) -> dt.datetime:
        """Move the clock to ``when``; stop the story when that lies in the future."""
        if when > self.now:
            raise _Stop
        self.clock.at = when
        return when

    def minutes(self, lo: float, hi: float, pace: float = 1.0) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.uniform(lo, hi) * pace)

    def name(self) -> str:
        surname = self.rng.choices(data.SURNAMES, weights=self.surname_weights)[0]
        return surname + self.rng.choice(data.GIVEN_NAMES)

    def staff_name(self) -> tuple[str, str]:
        while True:
            surname = self.rng.choices(data.SURNAMES, weights=self.surname_weights)[0]
            given = self.rng.choice(data.GIVEN_NAMES)
            if surname + given not in self.staff_names:
                self.staff_names.add(surname + given)
                return surname, given

    def mobile(self) -> str:
        while True:
            raw = f"+86{self.rng.choice(data.MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if raw in self.used_phones:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(raw)):
                self.used_phones.add(raw)
                return raw

    def moment(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A time between ``start`` and ``end`` at an hour people usually call."""
        local_start = timezone.localtime(start)
        days = max(0, (end - start).days)
        for _attempt in range(20):
            day = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
            day += dt.timedelta(days=self.rng.randint(0, days))
            hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            when = day + dt.timedelta(
                hours=hour, minutes=self.rng.randrange(60), seconds=self.rng.randrange(60)
            )
            if start <= when <= end:
                return when
        return start + (end - start) * self.rng.random()

    # --- build -------------------------------------------------------------------------------

    def stages(self) -> list[tuple[str, Callable[[], str]]]:
        """The build's stages in order: (name, step); each step returns what it wrote."""
        return [
            ("organisation", self.build_organisation),
            ("catalogue", self.build_catalogue),
            ("guide", self.build_guide),
            ("customers", self.build_customers),
            ("roster", self.build_roster),
            ("requests", self.build_history),
            ("contacts", self.build_contacts),
            ("calls", self.build_other_calls),
            ("portal", self.build_portal_account),
            ("after service", self.build_after_service),
            ("activities", self.build_activities),
            # The after-service channels, each built through its own services.
            ("forum", lambda: build_forum(self)),
            ("committees", lambda: build_committees(self)),
            ("surveys", lambda: build_surveys(self)),
            # The after-service numbers of this week and the last, as the nightly job would.
            ("weekly measures", self.build_weekly_measures),
        ]

    def build(self) -> dict[str, int]:
        # A year replayed is not news: nobody is notified of it.
        with transaction.atomic(), _simulated(self.clock), muted():
            for name, step in self.stages():
                self.run_stage(name, step)
        self.say(
            f"Built in {time.monotonic() - self.started:.1f}s "
            f"({sum(t.cpu for t in self.timings.values()):.1f}s of CPU), "
            f"{sum(t.queries for t in self.timings.values()):,} queries."
        )
        return self.counts()

    def run_stage(self, name: str, step: Callable[[], str]) -> None:
        """Run one stage; print what it wrote, its time and its number of queries."""
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started, cpu = time.monotonic(), time.process_time()
        with connection.execute_wrapper(count):
            summary = step()
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
        self.timings[name] = StageTiming(seconds=seconds, cpu=cpu, queries=queries[0])
        self.say(f"{summary} ({seconds:.1f}s, {cpu:.1f}s CPU, {queries[0]:,} queries)")

    def build_weekly_measures(self) -> str:
        weekly_measures(now=self.now)
        return "After-service measures: this week and the last."

    def build_organisation(self) -> str:
        company = Company.objects.create(**data.COMPANY)
        offices = bulk_create_with_history(
            [
                Office(company=company, name=o["name"], code=o["code"], address=o["address"])
                for o in data.OFFICES
            ],
            Office,
        )
        communities = Community.objects.bulk_create(
            Community(office=office, name=spec["community"], address=spec["address"])
            for office, spec in zip(offices, data.OFFICES, strict=True)
        )
        self.offices = [
            _Office(office=office, community=community)
            for office, community in zip(offices, communities, strict=True)
        ]

        K = Department.Kind
        departments = {
            kind: Department(company=company, kind=kind, name=name)
            for kind, name in [
                (K.QUALITY, "品质管理部"),
                (K.LEADERSHIP, "公司领导"),
                (K.FOLLOWUP, "客户回访组"),
                (K.ENGINEERING, "工程技术部"),
                (K.OTHER, "综合管理部"),
            ]
        }
        per_office = {}
        for o in self.offices:
            per_office[o.office.pk] = {
                K.SERVICE_CENTER: Department(
                    company=company, office=o.office, kind=K.SERVICE_CENTER, name="服务中心"
                ),
                K.ENGINEERING: Department(
                    company=company, office=o.office, kind=K.ENGINEERING, name="工程维修部"
                ),
            }
        Department.objects.bulk_create(
            [*departments.values(), *(d for ds in per_office.values() for d in ds.values())]
        )

        # Hashed once, for every demo login and the demo resident: it is slow on purpose.
        self.password = password = make_password(DEMO_PASSWORD)
        demo = DEMO_USERNAMES
        users = []

        def person(username, role, office=None, department=None, **extra):
            last, first = self.staff_name()
            user = User(
                username=username,
                role=role,
                office=office,
                department=department,
                last_name=last,
                first_name=first,
                phone=self.mobile(),
                password=password,
                **extra,
            )
            users.append(user)
            return user

        def office_staff(o, role, name, count, department):
            """``count`` people of ``role`` in the office (``<code>_<name><n>``); in the demo
            office the first one signs in with the demo login of the role."""
            mine = o.office.name == DEMO_OFFICE
            return [
                person(
                    demo[role] if mine and n == 1 else f"{o.office.code}_{name}{n}",
                    role,
                    o.office,
                    department,
                )
                for n in range(1, count + 1)
            ]

        for o in self.offices:
            desk = per_office[o.office.pk][K.SERVICE_CENTER]
            works = per_office[o.office.pk][K.ENGINEERING]
            o.director = person(
                demo[Role.DIRECTOR]
                if o.office.name == DEMO_OFFICE
                else f"{o.office.code}_director",
                Role.DIRECTOR,
                o.office,
                desk,
            )
            o.agents = office_staff(o, Role.AGENT, "agent", 3, desk)
            o.technicians = office_staff(o, Role.TECHNICIAN, "tech", 4, works)
        self.followups = [
            person(demo[Role.FOLLOWUP], Role.FOLLOWUP, department=departments[K.FOLLOWUP]),
            person("followup2", Role.FOLLOWUP, department=departments[K.FOLLOWUP]),
        ]
        self.quality = person(demo[Role.QUALITY], Role.QUALITY, department=departments[K.QUALITY])
        self.leader = person(
            demo[Role.LEADERSHIP], Role.LEADERSHIP, department=departments[K.LEADERSHIP]
        )
        self.admin = person(
            demo[Role.ADMIN],
            Role.ADMIN,
            department=departments[K.OTHER],
            is_staff=True,
            is_superuser=True,
        )
        bulk_create_with_history(users, User)
        for o, spec in zip(self.offices, data.OFFICES, strict=True):
            o.lines = {
                kind: hotline.line_set(actor=self.admin, office=o.office, kind=kind, number=number)
                for kind, number in spec["lines"].items()
            }
        return f"Organisation: {len(self.offices)} offices, {len(users)} staff."

    def build_catalogue(self) -> str:
        categories = {
            key: ServiceCategory(name=name, kind=kind, position=position)
            for key, name, kind, position in data.CATEGORIES
        }
        ServiceCategory.objects.bulk_create(categories.values())
        by_code = {o.office.code: o for o in self.offices}
        items = []
        for spec in data.ITEMS:
            owner = by_code[spec["office"]].office if spec.get("office") else None
            items.append(
                ServiceItem(
                    category=categories[spec["category"]],
                    office=owner,
                    name=spec["name"],
                    description=spec["description"],
                    service_hours=spec["hours"],
                    contact_phone=(
                        display_phone(by_code[spec["office"]].lines["service"].number)
                        if owner
                        else data.COMPANY_PHONE
                    ),
                    pricing=spec["pricing"],
                    price=spec["price"],
                    price_unit=spec.get("unit", ""),
                    in_scope=spec.get("in_scope", True),
                    is_special=spec.get("special", False),
                    is_major_defect=spec.get("major_defect", False),
                    default_completion_hours=spec["completion_hours"],
                )
            )
        bulk_create_with_history(items, ServiceItem, default_user=self.admin)
        bulk_create_with_history(
            [
                ProcedureStep(item=item, position=n, title=title, detail=detail, needs_photo=photo)
                for item, spec in zip(items, data.ITEMS, strict=True)
                for n, (title, detail, photo) in enumerate(spec.get("steps", []), start=1)
            ],
            ProcedureStep,
            default_user=self.admin,
        )
        for o in self.offices:
            for item, spec in zip(items, data.ITEMS, strict=True):
                if item.office_id not in (None, o.office.pk):
                    continue
                if not item.in_scope:
                    key = "declined"
                elif spec["category"] == "repair":
                    key = Kind.REPAIR
                else:
                    key = Kind.SERVICE
                o.items.setdefault(key, []).append((item, spec))
        return f"Catalogue: {len(categories)} categories, {len(items)} items."

    def build_guide(self) -> str:
        """Each office's director publishes its Service Guide (M06) from the catalogue, a little
        after the catalogue was drawn up, so residents find edition 1 in the portal. A replayed
        publication is announced to nobody: its announcement is marked done as it was written."""
        published = []
        for o in self.offices:
            at = self.at(self.clock.at + dt.timedelta(hours=2))
            edition = guide.edition_publish(actor=o.director, office=o.office, now=at)
            DeferredTask.objects.filter(key=f"guide:{edition.pk}:announce").update(finished_at=at)
            published.append(edition)
        entries = sum(e.entries.count() for e in published)
        return f"Service Guide: {len(published)} editions published, {entries} entries."

    def build_customers(self) -> str:
        per_office = max(10, round(FULL_HOUSEHOLDS_PER_OFFICE * self.scale))
        units = []
        for o, spec in zip(self.offices, data.OFFICES, strict=True):
            buildings = Building.objects.bulk_create(
                Building(community=o.community, name=f"{n}栋")
                for n in range(1, spec["buildings"] + 1)
            )
            for building in buildings:
                floors = self.rng.randint(*spec["floors"])
                units.extend(
                    Unit(
                        building=building,
                        entrance=f"{entrance}单元",
                        number=f"{floor}{room:02d}",
                        area=Decimal(self.rng.choice([68, 75, 89, 96, 108, 120, 135, 142])),
                    )
                    for entrance in (1, 2)
                    for floor in range(1, floors + 1)
                    for room in (1, 2)
                )
        Unit.objects.bulk_create(units)
        by_office = {}
        for unit in units:
            office_id = unit.building.community.office_id
            by_office.setdefault(office_id, []).append(unit)

        households, people = [], []  # people: (household, name — None: an owner found below, kind)
        for o in self.offices:
            for unit in self.rng.sample(by_office[o.office.pk], per_office):
                household = Household(office=o.office, unit=unit)
                households.append(household)
                if self.rng.random() < 0.15:  # rented out
                    people.append((household, self.name(), Customer.Kind.TENANT))
                    if self.rng.random() < 0.3:
                        people.append((household, self.name(), Customer.Kind.TENANT))
                    people.append((household, None, Customer.Kind.OWNER))  # owner: below
                else:
                    people.append((household, self.name(), Customer.Kind.OWNER))
                    if self.rng.random() < 0.6:
                        people.append((household, self.name(), Customer.Kind.OWNER))

        customers, residences = [], []
        owners_by_office: dict = {}
        notes = ["区人大代表", "企业负责人,关注服务质量", "老年独居,需重点关照", "小区首批业主"]
        for household, name, kind in people:
            office = household.office
            owners = owners_by_office.setdefault(office.pk, [])
            if name is None and owners and self.rng.random() < 0.3:
                # An owner who lets out a second unit.
                customer = self.rng.choice(owners)
            else:
                important = self.rng.random() < 0.05
                customer = Customer(
                    office=office,
                    name=name or self.name(),
                    kind=kind,
                    is_important=important,
                    note=self.rng.choice(notes) if important else "",
                )
                customers.append(customer)
                if kind == Customer.Kind.OWNER:
                    owners.append(customer)
            if not household.name:
                household.name = customer.name
            residences.append((customer, household, kind))

        # Owners' committee members and customer representatives, a few per office.
        for o in self.offices:
            mine = [c for c in customers if c.office is o.office]
            owners = [c for c in mine if c.kind == Customer.Kind.OWNER]
            o.committee = self.rng.sample(owners, min(len(owners), max(2, per_office // 30)))
            o.representatives = self.rng.sample(mine, min(len(mine), max(2, per_office // 16)))
            if not any(c.is_important for c in mine):
                self.rng.choice(mine).is_important = True

        bulk_create_with_history(households, Household, default_user=self.admin)
        bulk_create_with_history(customers, Customer, default_user=self.admin)
        bulk_create_with_history(
            [Residence(customer=c, household=h, kind=kind) for c, h, kind in residences],
            Residence,
            default_user=self.admin,
        )
        phones = []
        for customer in customers:
            phones.append(
                CustomerPhone(
                    customer=customer, number=self.mobile(), label="手机", is_primary=True
                )
            )
            if self.rng.random() < 0.15:
                label = self.rng.choice(["备用", "工作", "家人"])
                phones.append(CustomerPhone(customer=customer, number=self.mobile(), label=label))
        bulk_create_with_history(phones, CustomerPhone, default_user=self.admin)
        self.phones = {}
        for phone in phones:
            self.phones.setdefault(phone.customer_id, []).append(phone.number)

        by_pk = {o.office.pk: o for o in self.offices}
        for customer, household, _kind in residences:
            o = by_pk[customer.office_id]
            homes = o.homes.setdefault(customer.pk, [])
            if household not in homes:
                homes.append(household)
        for o in self.offices:
            o.customers = [c for c in customers if c.office_id == o.office.pk]
        return (
            f"Customers: {len(units)} units, {len(households)} households, "
            f"{len(customers)} customers, {len(phones)} phone numbers."
        )

    def build_roster(self) -> str:
        """The duty roster (M02) of the whole history and the coming week, through the roster's
        service, so the board's past weeks and months are covered and green.

        Until this week every line had one person on duty a day, handing over at 08:00 (one
        24-hour shift a line a day: a year of it is some 3,300 shifts, not 10,000), each week's
        drawn up a week ahead, all three lines at once. The coming week, drawn up a few days ago,
        has three 8-hour shifts a day on every line, with one gap left on purpose where the demo
        logins see it."""
        today = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        first = roster_start(self.now)
        handovers = daily_handovers(first, today)
        # The past days by week (the roster starts on a Monday): (week, (begins, ends)).
        days = list(enumerate(itertools.pairwise(handovers)))
        weeks = [
            list(week)
            for _, week in itertools.groupby(
                days, key=lambda day: (timezone.localdate(day[1][0]) - first.date()).days // 7
            )
        ]
        past = 0
        for week in weeks:
            self.clock.at = week[0][1][0] - dt.timedelta(days=7)  # planned a week ahead
            for n, o in enumerate(self.offices):
                desk = [*o.agents, o.director]
                run = []
                for offset, (kind, line) in enumerate(o.lines.items()):
                    # The duty line is the technicians' and the director's; the others the desk's.
                    people = [*o.technicians, o.director] if kind == HotlineLine.Kind.DUTY else desk
                    for k, (begins, ends) in week:
                        run.append(
                            {
                                "line": line,
                                "staff": people[(k + n + offset) % len(people)],
                                "starts_at": begins,
                                "ends_at": ends,
                            }
                        )
                past += len(hotline.shifts_add(actor=o.director, office=o.office, shifts=run))
        self.at(today - dt.timedelta(days=3))  # the directors drew this week up a few days ago
        coming = 0
        for n, o in enumerate(self.offices):
            desk = [*o.agents, o.director]
            run = []
            for offset, (kind, line) in enumerate(o.lines.items()):
                # Technicians take the duty line's nights; the service center the rest.
                night = o.technicians if kind == HotlineLine.Kind.DUTY else desk
                for day in range(8):
                    for shift, start in enumerate((0, 8, 16)):
                        if (n, kind, day, shift) == (0, HotlineLine.Kind.SERVICE, 2, 0):
                            # The gap, where the demo logins see it: nobody on 翠苑花园's
                            # service line from 00:00 to 08:00 the day after tomorrow.
                            continue
                        people = night if shift == 0 else desk
                        begins = today + dt.timedelta(days=day, hours=start)
                        run.append(
                            {
                                "line": line,
                                "staff": people[(day + shift + offset) % len(people)],
                                "starts_at": begins,
                                "ends_at": begins + dt.timedelta(hours=8),
                            }
                        )
            coming += len(hotline.shifts_add(actor=o.director, office=o.office, shifts=run))
        self.clock.at = self.now
        return (
            f"Duty roster: {past:,} daily shifts since {timezone.localdate(first)}, "
            f"{coming} shifts over the next 7 days."
        )

    # --- a year of requests ----------------------------------------------------------------

    def plans(self) -> list[_Plan]:
        total = max(MIN_TICKETS, round(FULL_TICKETS * self.scale))
        n_open = max(2 * len(OPEN_STOPS), round(total * 0.035))
        fates = []
        weight_sum = sum(w for _s, w, _a in OPEN_STOPS)
        for status, weight, ages in OPEN_STOPS:
            count = max(2, round(n_open * weight / weight_sum))
            fates.extend(("open", status, ages) for _ in range(count))
        n_history = max(0, total - len(fates))
        history = []
        for fate, share, least in HISTORY_FATES:
            history.extend((fate, None, None) for _ in range(max(least, round(n_history * share))))
        history.extend(("closed", None, None) for _ in range(max(0, n_history - len(history))))
        fates.extend(history)

        weights = [len(o.customers) for o in self.offices]
        year_ago = self.now - dt.timedelta(days=365)
        plans = []
        for fate, stop, ages in fates:
            o = self.rng.choices(self.offices, weights=weights)[0]
            if fate == "open":
                age = dt.timedelta(hours=self.rng.uniform(*ages))
                created = self.now - age
                pace = 0.3
            else:
                created = self.moment(year_ago, self.now - dt.timedelta(hours=12))
                pace = 1.0
            plan = self.plan(o, fate, created, stop)
            plan.pace = pace
            plans.append(plan)
        for o in self.offices:
            # A few complaints of the last days, still on the desk at one stage or another.
            for _n in range(4):
                created = self.now - dt.timedelta(hours=self.rng.uniform(2, 60))
                plan = self.plan(o, "complaint", created, None)
                plan.pace = 0.3
                plans.append(plan)
        plans.sort(key=lambda p: p.created)
        return plans

    def plan(self, o: _Office, fate: str, created, stop) -> _Plan:
        kind = {
            "inquiry": Kind.INQUIRY,
            "suggestion": Kind.SUGGESTION,
            "praise": Kind.PRAISE,
            "complaint": Kind.COMPLAINT,
        }.get(fate)
        needs_fee = fate == "quote_rejected" or stop in (Status.QUOTED, Status.ACCEPTED)
        item = spec = None
        if kind is None:
            if fate == "declined":
                pool = o.items["declined"]
                kind = Kind.REPAIR
            else:
                repair = fate in ("rework", "late") or stop == Status.REOPENED
                repair = repair or self.rng.random() < 0.65
                kind = Kind.REPAIR if repair else Kind.SERVICE
                pool = o.items[kind]
                if needs_fee:
                    pool = [(i, s) for i, s in pool if i.is_chargeable]
                if kind == Kind.REPAIR and fate in ("rework", "extended", "late"):
                    pool = [(i, s) for i, s in pool if s.get("steps")] or pool
            weights = [data.ITEM_WEIGHTS.get(i.name, 2) for i, _s in pool]
            item, spec = self.rng.choices(pool, weights=weights)[0]
        elif kind == Kind.INQUIRY and self.rng.random() < 0.4:
            item, spec = self.rng.choice(o.items[Kind.SERVICE] + o.items[Kind.REPAIR])
        customer = self.rng.choice(o.customers)
        household = self.rng.choice(o.homes[customer.pk])
        return _Plan(
            fate=fate,
            created=created,
            office=o,
            kind=kind,
            customer=customer,
            household=household,
            item=item,
            spec=spec,
            stop=stop,
        )

    def build_history(self) -> str:
        plans = self.plans()
        self.say(f"Requests: playing {len(plans)} requests through the services…")
        step = max(1, len(plans) // 6)
        for n, plan in enumerate(plans, start=1):
            with suppress(_Stop):
                self.play(plan)
            if n % step == 0 or n == len(plans):
                self.say(f"  {n}/{len(plans)} requests")
        by_status = Counter(Ticket.objects.values_list("status", flat=True))
        return "Requests by status: " + ", ".join(
            f"{status} {by_status.get(status, 0)}" for status in Status.values
        )

    def line_for(self, plan: _Plan, at) -> HotlineLine:
        if plan.kind == Kind.COMPLAINT:
            return plan.office.lines[HotlineLine.Kind.COMPLAINT]
        if timezone.localtime(at).hour in DAY_HOURS:
            return plan.office.lines[HotlineLine.Kind.SERVICE]
        return plan.office.lines[HotlineLine.Kind.DUTY]

    def caller(self, customer) -> str:
        """One of the customer's numbers as the phone shows it (``139 1234 5678``)."""
        return display_phone(self.rng.choice(self.phones[customer.pk]))

    def words(self, plan: _Plan) -> tuple[str, str]:
        """What the customer says, and the answer or resolution that will close it."""
        rng, item = self.rng, plan.item
        if plan.kind == Kind.COMPLAINT:
            return rng.choice(data.COMPLAINTS)
        if plan.kind == Kind.SUGGESTION:
            return rng.choice(data.SUGGESTIONS)
        if plan.kind == Kind.PRAISE:
            return rng.choice(data.PRAISES)
        if plan.kind == Kind.INQUIRY and item:
            return rng.choice(data.ITEM_QUESTIONS).format(name=item.name), (
                f"{item.name}:{item.description}收费标准:{item.price_label};"
                f"服务时间:{item.service_hours};联系电话:{item.contact_phone}。"
            )
        if plan.kind == Kind.INQUIRY:
            return rng.choice(data.INQUIRIES)
        return rng.choice(plan.spec["problems"]), ""

    def receive(self, plan: _Plan, t, *, creator, channel: str, description: str):
        """The request arrives: by a call the hotline turns into it, or on any other channel.
        Returns the request, or None for an inquiry the hotline answered on the spot."""
        if channel == Channel.HOTLINE and plan.kind == Kind.INQUIRY:
            hotline.call_log_inquiry(
                actor=creator,
                line=self.line_for(plan, t),
                caller_number=self.caller(plan.customer),
                customer=plan.customer,
                household=plan.household,
                summary=description,
                answer=plan.resolution,
                now=t,
            )
            return None
        deadline = None
        if plan.item and plan.kind in (Kind.REPAIR, Kind.SERVICE) and self.rng.random() < 0.25:
            # M09: the customer names a deadline.
            deadline = t + dt.timedelta(hours=self.rng.choice([24, 36, 48, 72]))
            deadline = deadline.replace(minute=0, second=0, microsecond=0)
        if channel == Channel.HOTLINE:
            # M02: the call becomes the request in one step.
            return hotline.call_to_request(
                actor=creator,
                line=self.line_for(plan, t),
                caller_number=self.caller(plan.customer),
                customer=plan.customer,
                household=plan.household,
                kind=plan.kind,
                item=plan.item,
                description=description,
                requested_deadline=deadline,
                now=t,
            ).ticket
        urgent = plan.customer.is_important or plan.kind == Kind.COMPLAINT
        return services.ticket_create(
            actor=creator,
            customer=plan.customer,
            household=plan.household,
            kind=plan.kind,
            channel=channel,
            description=description,
            item=plan.item,
            requested_deadline=deadline,
            priority=Priority.HIGH if urgent else Priority.NORMAL,
            now=t,
        )

    def play(self, plan: _Plan) -> None:
        """One request's story, step by step through the services, until it closes or stops."""
        o, rng = plan.office, self.rng
        agent = rng.choice(o.agents)
        channel = _weighted(rng, CHANNELS[plan.kind])
        if channel in (Channel.FOLLOWUP, Channel.SURVEY):
            creator = rng.choice(self.followups)
        elif channel == Channel.MEETING:
            creator = o.director
        else:
            creator = agent
        if plan.kind == Kind.COMPLAINT:
            self.play_complaint(plan)
            return
        description, plan.resolution = self.words(plan)

        t = self.at(plan.created)
        ticket = self.receive(plan, t, creator=creator, channel=channel, description=description)
        if ticket is None:
            return
        if plan.stop == Status.NEW:
            return

        if plan.kind in (Kind.INQUIRY, Kind.SUGGESTION, Kind.PRAISE):
            t = self.at(t + self.minutes(3, 30 if plan.kind == Kind.INQUIRY else 2000))
            actor = agent if plan.kind == Kind.INQUIRY or rng.random() < 0.6 else o.director
            services.ticket_answer(actor=actor, ticket=ticket, answer=plan.resolution, now=t)
            return

        if plan.fate == "declined":
            t = self.at(t + self.minutes(5, 60))
            explanation = rng.choice(plan.spec["decline"])
            services.ticket_decline(actor=agent, ticket=ticket, explanation=explanation, now=t)
            return

        t = self.at(t + self.minutes(5, 40, plan.pace))
        if plan.kind == Kind.COMPLAINT:
            confirmation = rng.choice(data.COMPLAINT_CONFIRMATIONS)
        else:
            confirmation = rng.choice(data.CONFIRMATIONS).format(when=rng.choice(data.WHEN))
        ticket = services.ticket_confirm(
            actor=agent, ticket=ticket, confirmation=confirmation, now=t
        )
        if plan.fate == "cancelled":
            t = self.at(t + self.minutes(30, 1440))
            services.ticket_cancel(
                actor=agent, ticket=ticket, reason=rng.choice(data.CANCEL_REASONS), now=t
            )
            return
        if plan.stop == Status.CONFIRMED:
            return

        total = Decimal("0")
        if ticket.needs_fee_acceptance:
            t = self.at(t + self.minutes(2, 30, plan.pace))
            quote, token = services.quote_create(
                actor=agent, ticket=ticket, lines=[self.quote_line(plan)], now=t
            )
            ticket, total = quote.ticket, quote.total
            if plan.stop == Status.QUOTED:
                return
            t = self.at(t + self.minutes(10, 240, plan.pace))
            accepted = plan.fate != "quote_rejected"
            if accepted and rng.random() < 0.4:
                services.quote_answer_by_link(token=token, accepted=True, now=t)
            else:
                via = rng.choice([Quote.Via.PHONE, Quote.Via.PHONE, Quote.Via.IN_PERSON])
                services.quote_record_answer(
                    actor=agent,
                    quote=quote,
                    accepted=accepted,
                    via=via,
                    answered_by_name=plan.customer.name,
                    now=t,
                )
            if not accepted:
                t = self.at(t + self.minutes(5, 60))
                services.ticket_cancel(
                    actor=agent, ticket=ticket, reason=data.QUOTE_REJECTED_CANCEL, now=t
                )
                return
            if plan.stop == Status.ACCEPTED:
                return

        ticket, t = self.work(plan, ticket, agent, t, total)
        if plan.stop in (Status.DISPATCHED, Status.IN_PROGRESS, Status.COMPLETED):
            return
        self.customer_word(plan, ticket, agent, t)

    def play_complaint(self, plan: _Plan) -> None:
        """A complaint's story (M17–M20): heard, handled at its level, answered, its cause found
        and a preventive measure set, then closed. Recent ones stop on the way."""
        o, rng = plan.office, self.rng
        agent = rng.choice(o.agents)
        channel = _weighted(rng, CHANNELS[Kind.COMPLAINT])
        compensation = rng.random() < 0.08
        if compensation:
            account, category, claimed, agreed = rng.choice(data.COMPENSATION_COMPLAINTS)
            resolution = "已赔偿并修复"
        else:
            n = rng.randrange(len(data.COMPLAINTS))
            (account, resolution), category = data.COMPLAINTS[n], data.COMPLAINT_CATEGORIES[n]
            claimed = agreed = None
        heard = {
            "listened": True,
            "understanding": rng.choice(data.COMPLAINT_UNDERSTANDING),
            "explanation": rng.choice(data.COMPLAINT_EXPLANATION),
        }
        t = self.at(plan.created)
        common = {"customer": plan.customer, "household": plan.household, "category": category}
        if channel == Channel.PORTAL:
            complaint = complaints_intake.complaint_file_by_customer(
                account=account, compensation_claimed=claimed, now=t, **common
            )
        elif channel == Channel.HOTLINE:
            call = hotline.call_to_complaint(
                actor=agent,
                line=self.line_for(plan, t),
                caller_number=self.caller(plan.customer),
                account=account,
                compensation_claimed=claimed,
                now=t,
                **heard,
                **common,
            )
            complaint = call.ticket.complaint
        else:
            written = channel in (Channel.FORUM, Channel.SURVEY)
            actor = o.director if channel == Channel.MEETING else agent
            complaint = complaints_intake.complaint_file(
                actor=actor,
                channel=channel,
                account=account,
                compensation_claimed=claimed,
                now=t,
                **({} if written else heard),
                **common,
            )
        recent = plan.created > self.now - dt.timedelta(days=3)
        if recent and rng.random() < 0.3:
            return  # still waiting for its first response, or just heard
        if complaint.state == Complaint.State.RECEIVED:
            t = self.at(t + self.minutes(30, 300))
            responder = {
                Complaint.Owner.QUALITY: self.quality,
                Complaint.Owner.LEADERSHIP: self.leader,
            }.get(complaint.owner, agent)
            complaint = complaints_handling.complaint_respond(
                actor=responder,
                complaint=complaint,
                now=t,
                **{k: heard[k] for k in heard if k != "listened"},
            )
        handler = agent
        if complaint.owner == Complaint.Owner.SERVICE_CENTER and rng.random() < 0.1:
            t = self.at(t + self.minutes(60, 600))
            complaints_handling.complaint_escalate(
                actor=agent, complaint=complaint, reason="涉及多个部门, 需公司协调", now=t
            )
            complaint.refresh_from_db()
        if complaint.is_company_level:
            handler = self.quality if complaint.owner == Complaint.Owner.QUALITY else self.leader
            t = self.at(t + self.minutes(60, 480))
            corrective = complaints_handling.plan_issue(
                actor=handler,
                complaint=complaint,
                plan=resolution,
                due_at=t + dt.timedelta(days=3),
                now=t,
            )
            if recent and rng.random() < 0.5:
                return  # the office is carrying out the company's plan
            t = self.at(t + self.minutes(600, 2400))
            complaints_handling.plan_report(
                actor=agent, plan=corrective, report="已按方案完成", now=t
            )
            t = self.at(t + self.minutes(60, 600))
            complaints_handling.plan_accept(actor=handler, plan=corrective, now=t)
        t = self.at(t + self.minutes(120, 1800, plan.pace))
        complaints_handling.complaint_resolve(
            actor=handler,
            complaint=complaint,
            resolution=resolution,
            compensation_agreed=agreed,
            now=t,
        )
        if recent and rng.random() < 0.5:
            return  # resolved, the customer still to be told
        answerer = rng.choice(self.followups) if complaint.is_company_level else agent
        t = self.at(t + self.minutes(30, 600))
        satisfied = rng.random() < 0.92
        complaints_handling.complaint_answer(
            actor=answerer,
            complaint=complaint,
            summary="回访客户, 告知处理结果",
            satisfied=satisfied,
            now=t,
        )
        if not satisfied:
            t = self.at(t + self.minutes(120, 1440))
            complaints_handling.complaint_resolve(
                actor=handler,
                complaint=complaint,
                resolution=resolution,
                compensation_agreed=agreed,
                now=t,
            )
            t = self.at(t + self.minutes(30, 600))
            complaints_handling.complaint_answer(
                actor=answerer,
                complaint=complaint,
                summary="再次回访, 客户表示满意",
                satisfied=True,
                now=t,
            )
        cause, analysis = rng.choice(data.COMPLAINT_CAUSES)
        t = self.at(t + self.minutes(60, 1440))
        complaints_prevention.cause_record(
            actor=handler, complaint=complaint, cause_category=cause, analysis=analysis, now=t
        )
        measure = complaints_prevention.measure_add(
            actor=handler,
            complaint=complaint,
            description=rng.choice(data.COMPLAINT_MEASURES),
            owner=o.director if not complaint.against_director else handler,
            due_on=timezone.localdate(t) + dt.timedelta(days=14),
            now=t,
        )
        complaints_handling.complaint_close(actor=handler, complaint=complaint, now=t)
        done = t + dt.timedelta(days=rng.uniform(3, 16))
        if done <= self.now and rng.random() < 0.85:
            self.clock.at = done
            complaints_prevention.measure_done(actor=measure.owner, measure=measure, now=done)

    def progress_call(self, plan: _Plan, ticket, at, agent, summary: str) -> Call:
        """A call about a request under way. The hotline's services log calls that answer an
        inquiry or become a request; this one does neither, so it is written as the call log
        keeps it: answered, ended a minute or two later, outcome "other"."""
        number = self.rng.choice(self.phones[plan.customer.pk])
        started = at - dt.timedelta(seconds=self.rng.randint(60, 200))
        return Call.objects.create(
            line=self.line_for(plan, at),
            office=plan.office.office,
            caller_number=display_phone(number),
            caller_e164=number,
            state=Call.State.ENDED,
            started_at=started,
            answered_at=started + dt.timedelta(seconds=self.rng.randint(3, 25)),
            ended_at=at,
            handler=agent,
            customer=plan.customer,
            outcome=Call.Outcome.OTHER,
            summary=summary,
            ticket=ticket,
        )

    def quote_line(self, plan: _Plan) -> dict:
        item, spec = plan.item, plan.spec
        if item.pricing == ServiceItem.Pricing.FROM:
            factor = self.rng.choice([1, 1, 1.2, 1.5, 2, 3])
            return {
                "item": item,
                "unit_price": str((item.price * Decimal(str(factor))).quantize(Decimal("1"))),
            }
        if item.pricing == ServiceItem.Pricing.PER_UNIT:
            if spec.get("by_area"):
                quantity = int(plan.household.unit.area)
            else:
                quantity = self.rng.randint(*spec.get("quantity", (1, 3)))
            return {"item": item, "quantity": str(quantity)}
        return {"item": item}

    def work(self, plan: _Plan, ticket, agent, t, total):
        """Dispatch, the technician's work and its checklist, any extension, completion."""
        o, rng, pace = plan.office, self.rng, plan.pace
        if ticket.status == Status.DISPATCHED:
            technician = ticket.assignee  # rework goes straight back to the technician (M15)
        else:
            t = self.at(t + self.minutes(10, 180, pace))
            technician = rng.choice(o.technicians)
            dispatcher = agent if rng.random() < 0.85 else o.director
            ticket = services.ticket_dispatch(
                actor=dispatcher, ticket=ticket, technician=technician, now=t
            )
        if rng.random() < 0.02 and plan.stop is None:
            t = self.at(t + self.minutes(20, 120))
            ticket = services.ticket_hand_back(
                actor=technician, ticket=ticket, reason=rng.choice(data.HAND_BACK_REASONS), now=t
            )
            t = self.at(t + self.minutes(10, 60))
            technician = rng.choice([x for x in o.technicians if x != technician])
            ticket = services.ticket_dispatch(
                actor=agent, ticket=ticket, technician=technician, now=t
            )
        elif rng.random() < 0.04:
            t = self.at(t + self.minutes(10, 90, pace))
            technician = rng.choice([x for x in o.technicians if x != technician])
            ticket = services.ticket_transfer(
                actor=agent,
                ticket=ticket,
                technician=technician,
                reason=rng.choice(data.TRANSFER_REASONS),
                now=t,
            )
        if ticket.channel == Channel.HOTLINE and rng.random() < 0.1:
            # The customer rings to ask how it is going.
            t = self.at(t + self.minutes(20, 120, pace))
            summary = rng.choice(data.PROGRESS_CALLS)
            call = self.progress_call(plan, ticket, t, agent, summary)
            services.contact_record(
                actor=agent,
                customer=plan.customer,
                ticket=ticket,
                call=call,
                summary=summary,
                channel=Channel.HOTLINE,
                direction=Contact.Direction.INBOUND,
                stage=Contact.Stage.DURING,
                now=t,
            )
        if plan.stop == Status.DISPATCHED:
            return ticket, t

        t = self.at(t + self.minutes(20, 240, pace))
        steps = list(ticket.checklist.all())
        done = rng.randint(0, len(steps)) if plan.stop == Status.IN_PROGRESS else len(steps)
        if not done:  # otherwise the first step ticked starts the work
            ticket = services.ticket_start(actor=technician, ticket=ticket, now=t)

        # How long the work takes, and when it ends against the deadline.
        due = ticket.due_at
        hours = plan.item.default_completion_hours if plan.item else 24
        work = dt.timedelta(hours=max(0.5, rng.uniform(0.05, 0.4) * hours)) * pace
        finish = t + work
        if plan.fate == "late":
            finish = max(finish, due + dt.timedelta(hours=rng.uniform(2, 30)))
        elif t < due and (
            plan.fate == "extended" or (plan.stop == Status.IN_PROGRESS and rng.random() < 0.3)
        ):
            # M09: the customer is called before the deadline and agrees to a later one.
            ask = t + (min(due, finish) - t) * rng.uniform(0.2, 0.8)
            t = self.at(ask)
            reason = rng.choice(data.EXTENSION_REASONS)
            new_due = (due + dt.timedelta(hours=rng.choice([24, 48, 72]))).replace(
                minute=0, second=0, microsecond=0
            )
            until = f"{timezone.localtime(new_due):%m月%d日%H:%M}"
            services.ticket_extend(
                actor=agent,
                ticket=ticket,
                new_due_at=new_due,
                reason=reason,
                customer_agreed=True,
                contact_summary=data.EXTENSION_CONTACT.format(reason=reason, until=until),
                now=t,
            )
            due = new_due
            finish = t + (due - t) * rng.uniform(0.3, 0.9)
        elif finish > due > t:
            finish = t + (due - t) * rng.uniform(0.5, 0.95)

        for n, step in enumerate(steps[:done], start=1):
            when = self.at(t + (finish - t) * n / (len(steps) + 1))
            photo = None
            if step.needs_photo:
                photo = SimpleUploadedFile("photo.png", self.photo, content_type="image/png")
            services.checklist_tick(
                actor=technician,
                ticket=ticket,
                step_id=step.pk,
                note=rng.choice(data.STEP_NOTES),
                photo=photo,
                now=when,
            )
        if plan.stop == Status.IN_PROGRESS:
            return ticket, t
        t = self.at(finish)
        summary = plan.resolution or rng.choice(plan.spec["work"])
        ticket = services.ticket_complete(
            actor=technician,
            ticket=ticket,
            work_summary=summary,
            final_charge=total if ticket.needs_fee_acceptance else 0,
            now=t,
        )
        return ticket, t

    def customer_word(self, plan: _Plan, ticket, agent, t) -> None:
        """The customer confirms the result; rework when not satisfied; a follow-up visit."""
        rng = self.rng
        t = self.at(t + self.minutes(30, 2160, plan.pace))
        unsatisfied = plan.fate == "rework" or plan.stop == Status.REOPENED
        comment = (
            rng.choice(plan.spec.get("unsatisfied") or ["问题没有解决"])
            if unsatisfied
            else rng.choice(data.SATISFIED_COMMENTS)
        )
        self.confirm(ticket, agent, t, satisfied=not unsatisfied, comment=comment)
        if unsatisfied:
            rework = Ticket.objects.get(rework_of=ticket)
            followup = rng.choice(self.followups)
            within = rng.uniform(2, 20) if rng.random() < 0.9 else rng.uniform(26, 40)
            try:
                # M15: a special follow-up within 24 hours of the complaint (late otherwise).
                contact_at = self.at(t + dt.timedelta(hours=within))
                self.followup_made(rework, followup, contact_at)
            except _Stop:
                pass  # not made yet: the call stays open, perhaps late, on the rework board
            rework_plan = _Plan(
                fate="closed",
                created=t,
                office=plan.office,
                kind=plan.kind,
                customer=plan.customer,
                household=plan.household,
                item=plan.item,
                spec=plan.spec,
                stop=Status.DISPATCHED if plan.stop == Status.REOPENED else None,
                pace=plan.pace,
            )
            rework, t = self.work(rework_plan, rework, agent, t, Decimal("0"))
            if rework_plan.stop:
                return
            t = self.at(t + self.minutes(30, 600))
            self.confirm(rework, agent, t, satisfied=True, comment="返修后已正常")
            return
        if plan.kind == Kind.REPAIR and rng.random() < 0.25:
            t = self.at(t + dt.timedelta(days=rng.uniform(1, 6)))
            services.contact_record(
                actor=rng.choice(self.followups),
                customer=plan.customer,
                ticket=ticket,
                summary=rng.choice(data.FOLLOWUP_VISITS),
                channel=Channel.FOLLOWUP,
                direction=Contact.Direction.OUTBOUND,
                stage=Contact.Stage.AFTER,
                now=t,
            )

    def followup_made(self, rework, followup, at) -> None:
        """The special follow-up call, which the after-service app opened with the rework, is
        made at ``at`` through the follow-up service: by the specialist it was given to (else
        ``followup``), recorded as done, with its contact in the customer's history."""
        call = FollowupCall.objects.get(kind=FollowupCall.Kind.REWORK, ticket=rework)
        followups.call_outcome(
            actor=call.assignee or followup,
            call=call,
            satisfied=True,
            comment=data.REWORK_FOLLOWUP,
            now=at,
        )

    def confirm(self, ticket, agent, t, *, satisfied: bool, comment: str) -> None:
        how = self.rng.random()
        if how < 0.55:
            actor, channel = agent, Channel.HOTLINE
        elif how < 0.8:
            actor, channel = None, Channel.PORTAL  # the customer, in the portal
        else:
            actor, channel = self.rng.choice(self.followups), Channel.FOLLOWUP
        services.ticket_customer_confirm(
            actor=actor,
            ticket=ticket,
            satisfied=satisfied,
            comment=comment,
            channel=channel,
            now=t,
        )

    # --- contacts and calls outside requests --------------------------------------------

    def build_contacts(self) -> str:
        """Walk-ins and visits to important customers (the committee's meetings are its own)."""
        rng, year_ago, count = self.rng, self.now - dt.timedelta(days=365), 0
        for _n in range(max(10, round(FULL_TICKETS * 0.12 * self.scale))):
            o = rng.choice(self.offices)
            customer = rng.choice(o.customers)
            t = self.at(self.moment(year_ago, self.now - dt.timedelta(hours=1)))
            services.contact_record(
                actor=rng.choice(o.agents),
                customer=customer,
                household=rng.choice(o.homes[customer.pk]),
                summary=rng.choice(data.WALK_INS),
                channel=Channel.WALK_IN,
                direction=Contact.Direction.INBOUND,
                stage=Contact.Stage.BEFORE,
                now=t,
            )
            count += 1
        for o in self.offices:
            for customer in o.customers:
                if not customer.is_important:
                    continue
                for _visit in range(2):
                    t = self.at(self.moment(year_ago, self.now - dt.timedelta(days=1)))
                    services.contact_record(
                        actor=o.director,
                        customer=customer,
                        summary=rng.choice(data.IMPORTANT_VISITS),
                        channel=Channel.ON_SITE,
                        direction=Contact.Direction.OUTBOUND,
                        stage=Contact.Stage.AFTER,
                        now=t,
                    )
                    count += 1
        return f"Contacts: {count} walk-ins and visits outside requests."

    def build_other_calls(self) -> str:
        """Calls that led to no request: strangers, wrong numbers, missed calls."""
        rng, year_ago, calls = self.rng, self.now - dt.timedelta(days=365), []
        for _n in range(max(10, round(FULL_TICKETS * 0.1 * self.scale))):
            o = rng.choice(self.offices)
            started = self.moment(year_ago, self.now - dt.timedelta(minutes=10))
            local_hour = timezone.localtime(started).hour
            kind = HotlineLine.Kind.SERVICE if local_hour in DAY_HOURS else HotlineLine.Kind.DUTY
            customer = rng.choice(o.customers) if rng.random() < 0.4 else None
            number = rng.choice(self.phones[customer.pk]) if customer else self.mobile()
            missed = rng.random() < 0.15
            calls.append(
                Call(
                    line=o.lines[kind],
                    office=o.office,
                    caller_number=display_phone(number),
                    caller_e164=number,
                    state=Call.State.MISSED if missed else Call.State.ENDED,
                    started_at=started,
                    answered_at=None if missed else started + dt.timedelta(seconds=8),
                    ended_at=started + dt.timedelta(seconds=rng.randint(20, 200)),
                    handler=None if missed else rng.choice(o.agents),
                    customer=customer,
                    outcome="" if missed else Call.Outcome.OTHER,
                    summary="" if missed else rng.choice(data.OTHER_CALLS),
                )
            )
        Call.objects.bulk_create(calls)
        # bulk_create stamps them all with one time; they were made when they rang.
        Call.objects.filter(pk__in=[c.pk for c in calls]).update(
            created_at=F("started_at"), updated_at=F("ended_at")
        )
        return f"Calls: {len(calls)} calls that led to no request."

    def build_after_service(self) -> str:
        """M13 and M14 as the company ran them: the weekly samples of the last eight weeks with
        their calls made, and the designated people's visits to watched repairs."""
        rng = self.rng
        this_monday = timezone.make_aware(
            dt.datetime.combine(followups.week_start_of(self.now), dt.time(0, 30))
        )
        for weeks_back in range(7, -1, -1):
            run_at = this_monday - dt.timedelta(weeks=weeks_back)
            if run_at <= self.now:
                self.clock.at = run_at
                followups.weekly_sample(now=run_at)
        calls = FollowupCall.objects.filter(
            kind=FollowupCall.Kind.SAMPLE, state=FollowupCall.State.OPEN
        ).select_related("assignee", "ticket", "customer")
        for call in calls.order_by("due_at", "pk"):
            at = call.created_at + dt.timedelta(hours=rng.uniform(3, 100))
            if (
                at > self.now
                or call.assignee is None
                or (call.due_at > self.now and rng.random() < 0.5)
            ):
                continue  # still to be called this week: the specialists' worklist
            self.clock.at = at
            if rng.random() < 0.06:  # three tries, nobody answers
                for attempt in range(3):
                    when = at + dt.timedelta(hours=3 * attempt)
                    if when > self.now:
                        break
                    self.clock.at = when
                    followups.call_attempt(actor=call.assignee, call=call, reached=False, now=when)
                continue
            followups.call_outcome(
                actor=call.assignee,
                call=call,
                satisfied=True,
                comment=rng.choice(data.SAMPLE_FOLLOWUP_COMMENTS),
                now=at,
            )
        watches = DefectWatch.objects.select_related("watcher").order_by("pk")
        for watch in watches:
            for _visit in range(watch.planned_inspections):
                due = watch.inspections.filter(done_at__isnull=True).order_by("number").first()
                if due is None:
                    break
                at = due.due_at + dt.timedelta(hours=rng.uniform(-48, 30))
                if at > self.now or rng.random() < 0.08:
                    break  # not due yet, or (now and then) not made: it shows as overdue
                self.clock.at = at
                defects.inspection_record(
                    actor=watch.watcher,
                    inspection=due,
                    findings=rng.choice(data.INSPECTION_FINDINGS),
                    result=Inspection.Result.CLEAN,
                    now=at,
                )
                watch.refresh_from_db()
                if watch.state != DefectWatch.State.OPEN:
                    break
        self.clock.at = self.now
        made = FollowupCall.objects.filter(kind=FollowupCall.Kind.SAMPLE).exclude(
            state=FollowupCall.State.OPEN
        )
        return (
            f"After service: {made.count()} weekly sample calls made, "
            f"{Inspection.objects.exclude(done_at=None).count()} defect inspections."
        )

    def build_activities(self) -> str:
        """M07: each office's open day a month ago (who came, and their ratings), a themed
        activity in ten days that is full with a waiting list, and one still being planned.
        The demo resident has a place at the coming one."""
        rng = self.rng
        resident = PortalAccount.objects.select_related("customer").first()
        for i, o in enumerate(self.offices):
            if o.director is None or not o.agents or len(o.customers) < 12:
                continue
            agent = o.agents[0]
            day = timezone.localtime(self.now).replace(hour=9, minute=30, second=0, microsecond=0)
            past_start = day - dt.timedelta(days=30)
            self.clock.at = past_start - dt.timedelta(days=14)
            open_day = community.activity_create(
                actor=agent,
                now=self.clock.at,
                starts_at=past_start,
                ends_at=past_start + dt.timedelta(hours=2),
                community=o.community,
                **data.OPEN_DAY,
            )
            community.activity_publish(
                actor=o.director, activity=open_day, notify_customers=False, now=self.clock.at
            )
            guests = rng.sample(o.customers, min(14, len(o.customers) // 2))
            for n, guest in enumerate(guests):
                community.register(
                    activity=open_day,
                    customer=guest,
                    seats=rng.choice([1, 1, 2]),
                    actor=agent if n % 3 == 0 else None,
                    now=self.clock.at + dt.timedelta(hours=n * 5),
                )
            came = open_day.registrations.filter(state=Registration.State.CONFIRMED)
            for registration in came.order_by("pk"):
                if rng.random() < 0.85:
                    community.registration_check_in(
                        actor=agent, registration=registration, now=past_start
                    )
            end = past_start + dt.timedelta(hours=2)
            community.activity_finish(actor=o.director, activity=open_day, now=end)
            attended = open_day.registrations.filter(state=Registration.State.ATTENDED)
            for registration in attended.order_by("pk"):
                if rng.random() < 0.6:
                    community.registration_feedback(
                        registration=registration,
                        customer=registration.customer,
                        rating=rng.choice([4, 5, 5, 5, 3]),
                        comment=rng.choice(data.ACTIVITY_COMMENTS),
                        now=end + dt.timedelta(hours=rng.uniform(2, 48)),
                    )
            spec = data.THEMED_ACTIVITIES[i % len(data.THEMED_ACTIVITIES)]
            people = rng.sample(o.customers, min(10, len(o.customers) // 2))
            if resident and resident.customer.office_id == o.office.pk:
                people = [resident.customer, *[p for p in people if p != resident.customer]]
            start = day.replace(hour=15, minute=0) + dt.timedelta(days=10)
            self.clock.at = self.now - dt.timedelta(days=3)
            coming = community.activity_create(
                actor=agent,
                now=self.clock.at,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                **{**spec, "capacity": min(8, len(people) - 2)},
            )
            community.activity_publish(
                actor=o.director, activity=coming, notify_customers=False, now=self.clock.at
            )
            for n, person in enumerate(people):
                community.register(
                    activity=coming,
                    customer=person,
                    seats=1 if n < 6 else rng.choice([1, 2]),
                    now=self.clock.at + dt.timedelta(hours=n * 3),
                )
            later = data.THEMED_ACTIVITIES[(i + 1) % len(data.THEMED_ACTIVITIES)]
            start = start + dt.timedelta(days=21)
            community.activity_create(
                actor=agent,
                now=self.now,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                **later,
            )
        self.clock.at = self.now
        return (
            f"Activities: {Activity.objects.count()}, {Registration.objects.count()} registrations."
        )

    def build_portal_account(self) -> str:
        """A resident of the demo office who signs in to the portal with the demo password: the
        one with the most requests still open, so the portal has something to show."""
        open_ = [Status.CONFIRMED, Status.QUOTED, Status.DISPATCHED, Status.COMPLETED]
        ticket = (
            Ticket.objects.filter(office__name=DEMO_OFFICE, status__in=open_)
            .exclude(household=None)
            .order_by("-created_at")
            .first()
        )
        if ticket is None:
            return "Portal: no demo resident (no open request in the demo office)."
        phone = ticket.customer.phones.order_by("-is_primary", "pk").first()
        if phone is not None:
            PortalAccount.objects.create(
                customer=ticket.customer, phone=phone.number, password=self.password
            )
            return f"Portal: the demo resident signs in with {display_phone(phone.number)}."
        return "Portal: no demo resident (no open request in the demo office)."

    def counts(self) -> dict[str, int]:
        models = [
            Company,
            Office,
            Department,
            User,
            Community,
            Building,
            Unit,
            Household,
            Customer,
            CustomerPhone,
            Residence,
            ServiceCategory,
            ServiceItem,
            ProcedureStep,
            HotlineLine,
            DutyShift,
            Call,
            Ticket,
            TicketEvent,
            Contact,
            Quote,
            Assignment,
            ChecklistStep,
            Extension,
            Charge,
            PortalAccount,
            Activity,
            Registration,
            Complaint,
            Post,
            Reply,
            CommitteeMeeting,
            CommitteeAction,
            Campaign,
            SurveyResponse,
            SurveyFollowUp,
        ]
        return {model._meta.label: model.objects.count() for model in models}


def build_demo(*, seed: int = DEFAULT_SEED, scale: float = 1.0, stdout=None, now=None):
    """Build the demo company; returns the number of rows per model. ``scale`` < 1 builds a
    smaller company (fewer households and requests) with the same staff, catalogue and logins."""
    return DemoBuilder(seed=seed, scale=scale, stdout=stdout, now=now).build()
