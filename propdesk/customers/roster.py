"""Import of buildings, units, households and customers from an office's Excel roster (.xlsx).

All or nothing, at flat memory: the sheet is read once, streaming (openpyxl's read-only mode), a
batch of ``CHUNK`` rows at a time. Each batch is checked (row-level errors with row numbers as
Excel shows them; duplicates and contradicting areas against every earlier row, looked up in a
temporary SQLite file rather than kept in memory) and, while the file has no error so far, written
with a few bulk queries inside the one transaction of the whole import. Any error rolls it all
back, after the rest of the file has been read for its errors too. Importing the same file again
changes nothing: units are matched by building + entrance + room, customers by name + phone number.

The community is never made from a name by chance: the import goes into an existing community of
the office, or into a new one named as such (``new_community``), refused if the office has one of
that name. A building the community does not have is refused, row by row, unless it is named in
``create_buildings`` (the preview's ticks); in a new community every building is new.

``dry_run=True`` is the preview: the same import, in a transaction rolled back at its end, which
reports rather than raises the errors and says what it would do, row by row (``outcomes``, the
first ``PREVIEW_ROWS``), and which buildings it would have to create (``unknown_buildings``).
The step by step upload, preview and confirmation is ``roster_uploads.py``.
"""

import contextlib
import sqlite3
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from simple_history.utils import bulk_update_with_history

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.phones import normalize_phone
from propdesk.core.scoping import can_see_office

from .models import Building, Community, Customer, CustomerPhone, Household, Residence, Unit
from .services import split_phones

CHUNK = 2000
MAX_ERRORS = 200
# Rows described one by one in a preview; the rest are counted.
PREVIEW_ROWS = 500
MAX_BUILDINGS_KEPT = 5000
HEADER_SEARCH_ROWS = 10

# Each column: the header we show, and every header (Chinese or English) we accept for it.
COLUMNS = {
    "building": ("楼栋", ("楼栋", "楼号", "栋", "楼", "building")),
    "entrance": ("单元", ("单元", "entrance")),
    "room": ("房号", ("房号", "房间号", "室", "room")),
    "area": ("面积", ("面积", "建筑面积", "area")),
    "name": ("姓名", ("姓名", "客户姓名", "name")),
    "kind": ("身份", ("身份", "类型", "kind")),
    "phones": ("手机", ("手机", "手机号", "电话", "联系电话", "phone", "phones")),
    "is_important": ("重要客户", ("重要客户", "important")),
    # Committee membership is kept on each office's owners' committee (M22), no longer on the
    # customer: these columns are recognised, left out of the import, and reported as ignored.
    "ignored_committee": ("业委会", ("业委会", "业委会成员", "committee")),
    "ignored_representative": ("客户代表", ("客户代表", "representative")),
}
REQUIRED = ("building", "room", "name", "kind", "phones")
FLAGS = ("is_important",)
IGNORED = ("ignored_committee", "ignored_representative")
KINDS = {
    "业主": Customer.Kind.OWNER,
    "产权人": Customer.Kind.OWNER,
    "owner": Customer.Kind.OWNER,
    "租户": Customer.Kind.TENANT,
    "租客": Customer.Kind.TENANT,
    "tenant": Customer.Kind.TENANT,
}
YES = {"是", "yes", "y", "1", "true", "√"}
NO = {"否", "no", "n", "0", "false", "×", ""}
MAX_AREA = Decimal("999999.99")


def _alias_map() -> dict[str, str]:
    return {alias.lower(): key for key, (_shown, aliases) in COLUMNS.items() for alias in aliases}


ALIASES = _alias_map()


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class RosterInvalid(DomainError):
    """The roster has row-level errors; ``rows`` lists them, and nothing was written."""

    def __init__(self, rows: list[RowError]):
        super().__init__(
            _("The roster has errors in %(count)d places; nothing was imported.")
            % {"count": len(rows)},
            code="roster_invalid",
        )
        self.rows = rows

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "detail": str(self.message),
            "errors": [r.as_dict() for r in self.rows],
        }


@dataclass
class ImportResult:
    community: str = ""
    community_created: bool = False
    rows: int = 0
    buildings_created: int = 0
    units_created: int = 0
    units_updated: int = 0
    households_created: int = 0
    customers_created: int = 0
    customers_matched: int = 0
    customers_updated: int = 0
    phones_added: int = 0
    residences_created: int = 0
    # Columns of the file that were not imported (the committee's, kept on the committee page).
    ignored_columns: list = field(default_factory=list)
    # Buildings the import creates: [{"name", "rows", "first_row"}].
    new_buildings: list = field(default_factory=list)
    # A preview's (dry run's) findings, reported rather than raised: every error (RowError dicts),
    # the buildings of an existing community it would create only if ticked (as new_buildings),
    # and what it would do row by row, for the first PREVIEW_ROWS rows.
    errors: list = field(default_factory=list)
    unknown_buildings: list = field(default_factory=list)
    building_refusals: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class RosterRow:
    row: int
    building: str
    entrance: str
    room: str
    area: Decimal | None
    name: str
    kind: str
    phones: list[str]
    # None where the file has no such column: an existing customer's flag stays as it is.
    flags: dict = field(default_factory=dict)

    @property
    def unit_key(self) -> tuple[str, str, str]:
        return (self.building, self.entrance, self.room)


# --- reading --------------------------------------------------------------------------------


def _not_xlsx() -> DomainError:
    return DomainError(_("The file is not an Excel .xlsx file."), code="not_xlsx", field="file")


def _open(file):
    with contextlib.suppress(AttributeError, OSError):
        file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        return workbook, workbook.worksheets[0]
    except Exception:
        # openpyxl reports a foreign or broken file through many exception types (zip, XML,
        # InvalidFileException, KeyError for a missing part); to the user they all mean one thing.
        raise _not_xlsx() from None


def _text(value) -> str:
    """A cell as text: Excel keeps phone and room numbers as numbers (13812345678.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(row: tuple, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]


def _header(ws) -> tuple[int, dict[str, int], dict[str, str]]:
    """Find the header row (a title may sit above it): its number, column indexes and labels."""
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        indexes: dict[str, int] = {}
        labels: dict[str, str] = {}
        for index, value in enumerate(row):
            label = _text(value)
            key = ALIASES.get(label.lower().replace(" ", ""))
            if key and key not in indexes:
                indexes[key], labels[key] = index, label
        if "name" in indexes and len(indexes) >= 3:
            missing = [k for k in REQUIRED if k not in indexes]
            if missing:
                raise RosterInvalid(
                    [
                        RowError(number, COLUMNS[k][0], gettext("This column is missing."))
                        for k in missing
                    ]
                )
            return number, indexes, labels
    raise RosterInvalid(
        [
            RowError(
                1,
                "",
                gettext("No header row found. The columns must include: %(columns)s.")
                % {"columns": "、".join(COLUMNS[k][0] for k in REQUIRED)},
            )
        ]
    )


def _parse_row(number: int, row: tuple, indexes, labels) -> tuple[RosterRow | None, list]:
    errors: list[RowError] = []

    def error(key: str, message) -> None:
        errors.append(RowError(number, labels.get(key, COLUMNS[key][0]), str(message)))

    def text(key: str, max_length: int | None = None, required: bool = False) -> str:
        value = _text(_cell(row, indexes.get(key)))
        if required and not value:
            error(key, gettext("This cell is empty."))
        elif max_length and len(value) > max_length:
            error(key, gettext("Too long: at most %(n)d characters.") % {"n": max_length})
        return value

    building = text("building", 50, required=True)
    entrance = text("entrance", 20)
    room = text("room", 20, required=True)
    name = text("name", 60, required=True)

    raw_kind = text("kind", required=True)
    kind = KINDS.get(raw_kind.lower())
    if raw_kind and kind is None:
        error(
            "kind",
            gettext("“%(value)s” is neither 业主 (owner) nor 租户 (tenant).") % {"value": raw_kind},
        )

    area = None
    raw_area = text("area")
    if raw_area:
        try:
            area = Decimal(raw_area).quantize(Decimal("0.01"))
        except InvalidOperation:
            area = None
        if area is None or not (0 < area <= MAX_AREA):
            error("area", gettext("“%(value)s” is not an area in m².") % {"value": raw_area})
            area = None

    phones: list[str] = []
    raw_phones = text("phones", required=True)
    for part in split_phones(raw_phones):
        try:
            e164 = normalize_phone(part, field="phones")
        except DomainError as exc:
            error("phones", exc.message)
            continue
        if e164 not in phones:
            phones.append(e164)

    flags: dict[str, bool | None] = {}
    for key in FLAGS:
        if key not in indexes:
            flags[key] = None
            continue
        value = text(key).lower()
        if value in YES:
            flags[key] = True
        elif value in NO:
            flags[key] = False
        else:
            error(key, gettext("Write 是 or 否 (yes or no), not “%(value)s”.") % {"value": value})
    if errors:
        return None, errors
    return (
        RosterRow(number, building, entrance, room, area, name, kind, phones, flags),
        [],
    )


def _sheet_rows(ws):
    """The sheet's rows as tuples of values, read as they are needed: a broken sheet, found
    half-way through, is still "not an .xlsx file", never a server error."""
    rows = ws.iter_rows(values_only=True)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:
            # openpyxl reports broken XML inside a sheet through many exception types.
            raise _not_xlsx() from None
        yield row


def _rows(ws, header_row: int, indexes, labels):
    """(row number, parsed row or None, errors) for every non-empty row below the header."""
    for number, row in enumerate(_sheet_rows(ws), start=1):
        if number <= header_row or all(_text(v) == "" for v in row):
            continue
        parsed, errors = _parse_row(number, row, indexes, labels)
        yield number, parsed, errors


class _Seen:
    """What the rows read so far said: the first row of each unit + name (a second is a
    duplicate) and the first area given to each unit (another is a contradiction).

    Kept in a private temporary SQLite database, which SQLite deletes when it is closed (or the
    process dies), with a small page cache: the file grows with the roster, the process's memory
    does not. Looked up and filled a batch of rows at a time."""

    def __init__(self):
        self.db = sqlite3.connect("")  # "": a private temporary database on disk
        self.db.execute("PRAGMA cache_size = -2048")  # KiB: at most 2 MiB of pages in memory
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE person (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self.db.execute(
            "CREATE TABLE unit (key TEXT PRIMARY KEY, area TEXT, row INTEGER) WITHOUT ROWID"
        )

    def close(self) -> None:
        self.db.close()

    def _find(self, table: str, columns: str, keys) -> dict:
        found = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):  # SQLite's bound on parameters
            part = keys[start : start + 500]
            found.update(
                (key, rest)
                for key, *rest in self.db.execute(
                    f"SELECT key, {columns} FROM {table} WHERE key IN ({','.join('?' * len(part))})",  # noqa: S608 (fixed names)
                    part,
                )
            )
        return found

    def check(self, batch: list[tuple[int, RosterRow]], labels) -> list[RowError]:
        """The errors of ``batch`` against each other and every earlier batch; then remember it."""
        person_key = {number: "\x1f".join((*r.unit_key, r.name)) for number, r in batch}
        unit_key = {number: "\x1f".join(r.unit_key) for number, r in batch}
        people = {
            k: rest[0] for k, rest in self._find("person", "row", person_key.values()).items()
        }
        units = {
            k: (Decimal(area), row)
            for k, (area, row) in self._find("unit", "area, row", unit_key.values()).items()
        }
        errors: list[RowError] = []
        new_people, new_units = [], []
        for number, parsed in batch:
            key = person_key[number]
            if key in people:
                errors.append(
                    RowError(
                        number,
                        labels["name"],
                        gettext("Duplicate of row %(row)d (same unit and name).")
                        % {"row": people[key]},
                    )
                )
            else:
                people[key] = number
                new_people.append((key, number))
            if parsed.area is not None:
                key = unit_key[number]
                if key not in units:
                    units[key] = (parsed.area, number)
                    new_units.append((key, str(parsed.area), number))
                elif units[key][0] != parsed.area:
                    errors.append(
                        RowError(
                            number,
                            labels["area"],
                            gettext("Row %(row)d gives this unit another area (%(area)s).")
                            % {"row": units[key][1], "area": units[key][0]},
                        )
                    )
        self.db.executemany("INSERT INTO person VALUES (?, ?)", new_people)
        self.db.executemany("INSERT INTO unit VALUES (?, ?, ?)", new_units)
        return errors


class _Reader:
    """Reads the sheet's rows below the header once, ``CHUNK`` at a time: ``batches()`` yields the
    valid rows of each batch, checked against each other and every earlier row; ``errors`` holds
    every error found so far, in row order (reading stops at ``MAX_ERRORS``), and ``rows`` the
    number of rows read. Only one batch and a bounded lookup are in memory at a time."""

    def __init__(self, ws, header_row: int, indexes, labels):
        self.ws, self.header_row, self.indexes, self.labels = ws, header_row, indexes, labels
        self.errors: list[RowError] = []
        self.rows = 0

    def batches(self):
        seen = _Seen()
        try:
            batch: list[tuple[int, RosterRow]] = []
            batch_errors: list[RowError] = []
            for number, parsed, row_errors in _rows(
                self.ws, self.header_row, self.indexes, self.labels
            ):
                self.rows += 1
                batch_errors.extend(row_errors)
                if parsed is not None:
                    batch.append((number, parsed))
                if len(batch) >= CHUNK:
                    yield self._checked(seen, batch, batch_errors)
                    batch, batch_errors = [], []
                if len(self.errors) + len(batch_errors) >= MAX_ERRORS:
                    break
            if batch or batch_errors:
                yield self._checked(seen, batch, batch_errors)
        finally:
            seen.close()
        del self.errors[MAX_ERRORS:]

    def _checked(self, seen: _Seen, batch, batch_errors) -> list[RosterRow]:
        found = seen.check(batch, self.labels)
        # In the order the person reads the file; a row's own errors before its clashes.
        self.errors.extend(sorted([*batch_errors, *found], key=lambda e: e.row))
        return [parsed for _number, parsed in batch]


# --- writing --------------------------------------------------------------------------------


# The columns simple_history adds to every historical table; anything else it adds (a custom
# field, a relation) makes ``_create_with_history`` fall back to simple_history's own way.
HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type"}


def _create_with_history(model, objs: list, *, actor, now) -> None:
    """``bulk_create`` with the audit rows simple_history's ``bulk_create_with_history`` writes
    (type "+", the actor, ``now``), but copied by the database (``INSERT … SELECT``) rather than
    built as a second model instance per row in Python: half the objects, for the same rows."""
    if not objs:
        return
    model.objects.bulk_create(objs)
    history = model.history.model
    tracked = [f.column for f in history.tracked_fields]
    columns = {f.column for f in history._meta.concrete_fields}
    user_column = history._meta.get_field("history_user").column
    if columns != {*tracked, *HISTORY_COLUMNS, user_column}:
        history.objects.bulk_create(
            history(
                history_date=now,
                history_user=actor,
                history_type="+",
                **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
            )
            for obj in objs
        )
        return
    quote = connection.ops.quote_name
    copied = ", ".join(quote(c) for c in tracked)
    ids = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608 (names from _meta)
                f"({copied}, history_date, {quote(user_column)}, history_type) "
                f"SELECT {copied}, %s, %s, '+' FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(part))})",
                [now, actor.pk if actor else None, *part],
            )


class _Every:
    """``create_buildings=EVERY_BUILDING``: any building the rows name may be created."""

    def __contains__(self, name) -> bool:
        return True


EVERY_BUILDING = _Every()


def _check_buildings(
    rows: list[RosterRow], *, community, buildings, new_names: dict, allowed, labels
) -> list[RowError]:
    """Find the batch's buildings in the community; the rows of a building it does not have are
    counted in ``new_names`` (name → {"name", "rows", "first_row"}) and refused unless the
    building is ``allowed`` (ticked in the preview)."""
    # Buildings: few per community, so their ids are kept for the whole import, up to a bound.
    if len(buildings) > MAX_BUILDINGS_KEPT:
        buildings.clear()
    names = {r.building for r in rows} - buildings.keys() - new_names.keys()
    if names:
        buildings.update(
            Building.objects.filter(community=community, name__in=names).values_list("name", "pk")
        )
    errors: list[RowError] = []
    for r in rows:
        if r.building not in new_names and r.building in buildings:
            continue
        entry = new_names.setdefault(
            r.building, {"name": r.building, "rows": 0, "first_row": r.row}
        )
        entry["rows"] += 1
        if r.building not in allowed:
            errors.append(
                RowError(
                    r.row,
                    labels["building"],
                    gettext(
                        "%(community)s has no building “%(building)s”. Tick it in the preview "
                        "to create it, or correct the row."
                    )
                    % {"community": community.name, "building": r.building},
                )
            )
    return errors


def _write_chunk(
    rows: list[RosterRow], *, community, actor, buildings, result, now, outcomes=None
) -> None:
    office_id = community.office_id

    # Buildings: those the community lacks (allowed by ``_check_buildings``) are created.
    names = {r.building for r in rows} - buildings.keys()
    if names:
        buildings.update(
            Building.objects.filter(community=community, name__in=names).values_list("name", "pk")
        )
        new = [Building(community=community, name=n) for n in sorted(names - buildings.keys())]
        Building.objects.bulk_create(new)
        buildings.update((b.name, b.pk) for b in new)
        result.buildings_created += len(new)

    # Units, by building + entrance + room.
    wanted = {(buildings[r.building], r.entrance, r.room): r.area for r in rows}
    units = {
        (u.building_id, u.entrance, u.number): u
        for u in Unit.objects.filter(
            building_id__in={k[0] for k in wanted}, number__in={k[2] for k in wanted}
        )
        if (u.building_id, u.entrance, u.number) in wanted
    }
    changed = []
    for key, unit in units.items():
        if wanted[key] is not None and unit.area != wanted[key]:
            unit.area = wanted[key]
            changed.append(unit)
    known_units = set(units)
    Unit.objects.bulk_update(changed, ["area"])
    result.units_updated += len(changed)
    new_units = [
        Unit(building_id=k[0], entrance=k[1], number=k[2], area=area)
        for k, area in wanted.items()
        if k not in units
    ]
    Unit.objects.bulk_create(new_units)
    units.update(((u.building_id, u.entrance, u.number), u) for u in new_units)
    result.units_created += len(new_units)

    # The current household of each unit.
    unit_ids = {u.pk for u in units.values()}
    households = {
        h.unit_id: h for h in Household.objects.filter(unit_id__in=unit_ids, is_active=True)
    }
    new_households = [
        Household(office_id=office_id, unit_id=pk) for pk in sorted(unit_ids - households.keys())
    ]
    _create_with_history(Household, new_households, actor=actor, now=now)
    households.update((h.unit_id, h) for h in new_households)
    new_household_units = {h.unit_id for h in new_households}
    result.households_created += len(new_households)

    # Customers: the same name with one of the same numbers in this office is the same person.
    numbers = {n for r in rows for n in r.phones}
    known: dict[tuple[str, str], Customer] = {}
    have_phone: set[tuple[int, str]] = set()
    for phone in CustomerPhone.objects.filter(
        number__in=numbers, customer__office_id=office_id
    ).select_related("customer"):
        known[(phone.customer.name, phone.number)] = phone.customer
    matched_ids = {c.pk for c in known.values()}
    have_phone.update(
        CustomerPhone.objects.filter(customer_id__in=matched_ids).values_list(
            "customer_id", "number"
        )
    )

    row_customer: list[tuple[RosterRow, Customer]] = []
    first_rows: set[int] = set()  # the rows that bring a new customer first
    new_customers: list[Customer] = []
    to_update: dict[int, Customer] = {}
    for r in rows:
        customer = next((known[(r.name, n)] for n in r.phones if (r.name, n) in known), None)
        if customer is None:
            customer = Customer(
                office_id=office_id,
                name=r.name,
                kind=r.kind,
                **{k: bool(v) for k, v in r.flags.items()},
            )
            new_customers.append(customer)
            first_rows.add(r.row)
        elif customer.pk:
            for flag, value in r.flags.items():
                if value is not None and getattr(customer, flag) != value:
                    setattr(customer, flag, value)
                    to_update[customer.pk] = customer
        for n in r.phones:
            known.setdefault((r.name, n), customer)
        row_customer.append((r, customer))
    result.customers_matched += len({c.pk for _r, c in row_customer if c.pk})
    _create_with_history(Customer, new_customers, actor=actor, now=now)
    result.customers_created += len(new_customers)
    if to_update:
        bulk_update_with_history(
            list(to_update.values()), Customer, list(FLAGS), default_user=actor
        )
        result.customers_updated += len(to_update)

    # Their numbers, and their link to the household.
    with_phones = {customer_id for customer_id, _n in have_phone}
    new_phones: list[CustomerPhone] = []
    pairs: set[tuple[int, int, str]] = set()
    phones_of_row: dict[int, int] = {}
    for r, customer in row_customer:
        unit = units[(buildings[r.building], r.entrance, r.room)]
        pairs.add((customer.pk, households[unit.pk].pk, r.kind))
        for n in r.phones:
            if (customer.pk, n) not in have_phone:
                new_phones.append(
                    CustomerPhone(
                        customer=customer, number=n, is_primary=customer.pk not in with_phones
                    )
                )
                have_phone.add((customer.pk, n))
                with_phones.add(customer.pk)
                phones_of_row[r.row] = phones_of_row.get(r.row, 0) + 1
    _create_with_history(CustomerPhone, new_phones, actor=actor, now=now)
    result.phones_added += len(new_phones)

    linked = set(
        Residence.objects.filter(
            customer_id__in={p[0] for p in pairs}, household_id__in={p[1] for p in pairs}
        ).values_list("customer_id", "household_id")
    )
    new_residences = []
    for customer_id, household_id, kind in sorted(pairs):
        if (customer_id, household_id) not in linked:
            linked.add((customer_id, household_id))
            new_residences.append(
                Residence(customer_id=customer_id, household_id=household_id, kind=kind)
            )
    _create_with_history(Residence, new_residences, actor=actor, now=now)
    result.residences_created += len(new_residences)

    if outcomes is not None and len(outcomes) < PREVIEW_ROWS:
        moved_in = {(r.customer_id, r.household_id) for r in new_residences}
        changed_pks = {u.pk for u in changed}
        new_buildings = {b["name"] for b in result.new_buildings}
        for r, customer in row_customer[: PREVIEW_ROWS - len(outcomes)]:
            key = (buildings[r.building], r.entrance, r.room)
            unit = units[key]
            notes = [
                note
                for note, happens in (
                    ("new_building", r.building in new_buildings),
                    ("new_unit", key not in known_units),
                    ("area_changed", unit.pk in changed_pks),
                    ("new_household", unit.pk in new_household_units),
                    ("new_customer", r.row in first_rows),
                    ("flags_changed", customer.pk in to_update),
                    ("phones_added", r.row in phones_of_row),
                    ("moved_in", (customer.pk, households[unit.pk].pk) in moved_in),
                )
                if happens
            ]
            action = "created" if r.row in first_rows else "changed" if notes else "unchanged"
            outcomes.append(
                {
                    "row": r.row,
                    "address": "-".join(p for p in (r.building, r.entrance, r.room) if p),
                    "name": r.name,
                    "kind": r.kind,
                    "action": action,
                    "notes": notes,
                }
            )


def community_choice(*, office, community, new_community: str):
    """The existing community chosen, or a new one's name checked: (community or None, name)."""
    name = (new_community or "").strip()
    if community is not None and name:
        raise DomainError(
            _("Choose an existing community or a new one, not both."),
            code="invalid",
            field="community",
        )
    if community is not None:
        if community.office_id != office.pk:
            raise NotFound(field="community")
        return community, community.name
    if not name:
        raise DomainError(
            _("Choose the community, or create a new one with its name."),
            code="required",
            field="community",
        )
    if len(name) > Community._meta.get_field("name").max_length:
        raise DomainError(
            _("The community's name is too long."), code="invalid", field="new_community"
        )
    if Community.objects.filter(office=office, name=name).exists():
        raise DomainError(
            _("The office has a community “%(name)s” already: choose it from the list.")
            % {"name": name},
            code="community_exists",
            field="new_community",
        )
    return None, name


def open_roster(file):
    """The workbook and the header of an uploaded roster: (workbook, sheet, header row, column
    indexes, labels). Raises the not-an-.xlsx error, or ``RosterInvalid`` for a missing header
    or column; the caller closes the workbook."""
    if file is None:
        raise DomainError(_("Choose the roster file."), code="required", field="file")
    workbook, ws = _open(file)
    try:
        header_row, indexes, labels = _header(ws)
    except DomainError:
        workbook.close()
        raise
    except Exception:
        # The workbook opened but a sheet's XML is broken: still not a usable .xlsx.
        workbook.close()
        raise _not_xlsx() from None
    return workbook, ws, header_row, indexes, labels


class _DryRunDone(Exception):
    """Rolls a preview's transaction back."""


def roster_import(
    *,
    actor,
    office,
    file,
    community=None,
    new_community: str = "",
    create_buildings=frozenset(),
    dry_run: bool = False,
    progress=None,
    now=None,
) -> ImportResult:
    """Import a roster into ``community`` (of ``office``) or into a new community named
    ``new_community``: all rows or none. A building the community lacks is created only if its
    name is in ``create_buildings`` (every one in a new community); its rows are refused
    otherwise. ``dry_run``: write nothing and report (see the module's docstring).
    ``progress(rows)`` is called after each batch with the rows read so far."""
    if not can_see_office(actor, office.pk):
        raise NotFound(field="office")
    require(actor, "customer.import", office)
    community, name = community_choice(
        office=office, community=community, new_community=new_community
    )
    workbook, ws, header_row, indexes, labels = open_roster(file)
    try:
        reader = _Reader(ws, header_row, indexes, labels)
        now = now or timezone.now()
        result = ImportResult(community=name, community_created=community is None)
        result.ignored_columns = [labels[k] for k in IGNORED if k in indexes]
        allowed = create_buildings
        if community is None or allowed is EVERY_BUILDING:
            allowed = EVERY_BUILDING
        else:
            allowed = {str(b) for b in allowed}
        pending: list[RowError] = []  # a preview's rows in buildings not ticked
        outcomes: list | None = [] if dry_run else None
        try:
            # One pass, one transaction: each batch is checked and, while the file has no error
            # so far, written; an error anywhere rolls every batch back (as does a process
            # killed half-way, whose transaction never commits). After the first error the rest
            # is only read, to report every error at once.
            with transaction.atomic():
                if community is None:
                    community = Community.objects.create(office=office, name=name)
                buildings: dict[str, int] = {}
                new_names: dict[str, dict] = {}
                for batch in reader.batches():
                    refused = _check_buildings(
                        batch,
                        community=community,
                        buildings=buildings,
                        new_names=new_names,
                        allowed=allowed,
                        labels=labels,
                    )
                    if dry_run:
                        # A preview creates them all, to show what the import would do once
                        # they are ticked, and lists their rows as refused until then.
                        pending.extend(refused[: max(0, MAX_ERRORS - len(pending))])
                    else:
                        reader.errors.extend(refused)
                    result.new_buildings = list(new_names.values())
                    if not reader.errors:
                        _write_chunk(
                            batch,
                            community=community,
                            actor=actor,
                            buildings=buildings,
                            result=result,
                            now=now,
                            outcomes=outcomes,
                        )
                    if progress is not None:
                        progress(reader.rows)
                if reader.rows == 0 and not reader.errors:
                    reader.errors.append(
                        RowError(header_row + 1, "", gettext("The roster has no customer rows."))
                    )
                reader.errors.sort(key=lambda e: e.row)
                del reader.errors[MAX_ERRORS:]
                if dry_run:
                    result.errors = [e.as_dict() for e in reader.errors]
                    result.building_refusals = [e.as_dict() for e in pending]
                    if not result.community_created:
                        result.unknown_buildings = result.new_buildings
                    result.outcomes = outcomes
                    raise _DryRunDone
                if reader.errors:
                    raise RosterInvalid(reader.errors)
        except _DryRunDone:
            pass
        except IntegrityError:
            # Another import into the same community got there first; ours is rolled back whole.
            raise Conflict(
                _("Another import changed this community meanwhile. Try again."),
                code="import_conflict",
                field="file",
            ) from None
    finally:
        workbook.close()
    result.rows = reader.rows
    return result
