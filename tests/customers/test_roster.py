from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from propdesk.core.errors import DomainError, Forbidden
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from propdesk.customers.roster import EVERY_BUILDING, RosterInvalid, roster_import
from tests.queries import max_queries

from .conftest import xlsx

ROWS = [
    ["1栋", "1单元", 101, 89.5, "王芳", "业主", "13911112222", "是", "否", ""],
    ["1栋", "1单元", 101, 89.5, "李强", "租户", "13922223333; 0755-26881234", "", "", "是"],
    ["1栋", "2单元", "201", "", "赵磊", "owner", 13933334444, "no", "yes", "0"],
    ["2栋", "", "301", "120", "王芳", "业主", "13911112222", "1", "0", "0"],
]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Community, Building, Unit, Household, Customer, CustomerPhone, Residence)
    }


def run(actor, office, file, community="翠苑一期"):
    """Import into the office's community of that name, or a new one: every building allowed."""
    existing = Community.objects.filter(office=office, name=community).first()
    return roster_import(
        actor=actor,
        office=office,
        file=file,
        community=existing,
        new_community="" if existing else community,
        create_buildings=EVERY_BUILDING,
    )


def test_valid_roster_creates_everything(director, office):
    result = run(director, office, xlsx(ROWS))
    assert (result.rows, result.buildings_created, result.units_created) == (4, 2, 3)
    assert (result.households_created, result.customers_created) == (3, 3)
    assert (result.phones_added, result.residences_created) == (4, 4)
    assert result.community_created

    wang = Customer.objects.get(name="王芳")
    assert wang.office == office and wang.is_important
    # Committee membership is the committee's now (M22): its columns are reported, not imported.
    assert result.ignored_columns == ["业委会", "客户代表"]
    # 王芳 owns two units: one customer, two households.
    assert sorted(h.unit.number for h in wang.households.all()) == ["101", "301"]
    li = Customer.objects.get(name="李强")
    assert li.residences.get().kind == Customer.Kind.TENANT
    assert sorted(li.phones.values_list("number", flat=True)) == [
        "+8613922223333",
        "+8675526881234",
    ]
    assert not Customer.objects.get(name="赵磊").is_important
    assert Unit.objects.get(number="101").area == Decimal("89.50")
    assert Unit.objects.get(number="301").entrance == ""
    assert wang.history.get().history_user == director


def test_reimporting_the_same_file_duplicates_nothing(director, office):
    run(director, office, xlsx(ROWS))
    before = counts()
    result = run(director, office, xlsx(ROWS))
    assert counts() == before
    assert (result.customers_created, result.phones_added, result.residences_created) == (0, 0, 0)
    assert result.customers_matched == 3 and not result.community_created


def test_reimport_updates_flags_and_area(director, office):
    run(director, office, xlsx(ROWS))
    changed = [list(r) for r in ROWS]
    changed[0][3], changed[0][7] = 92, "否"
    changed[1][3] = 92
    changed[3][7] = "否"  # 王芳's second unit
    result = run(director, office, xlsx(changed))
    assert result.units_updated == 1 and result.customers_updated == 1
    assert not Customer.objects.get(name="王芳").is_important
    assert Unit.objects.get(number="101").area == Decimal("92.00")


def test_header_with_english_aliases_and_a_title_row(director, office):
    header = ["Building", "Entrance", "Room", "Name", "Kind", "Phones"]
    rows = [["A", "", "1", "Li Lei", "tenant", "13955556666/13955557777"]]
    result = run(director, office, xlsx(rows, header, title_rows=[["翠苑业主名册"]]))
    assert result.customers_created == 1 and result.phones_added == 2
    assert not Customer.objects.get().is_important


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["1栋", "", "101", "", "", "业主", "13911112222", "", "", ""], "姓名", "empty"),
        (["1栋", "", "101", "", "王芳", "业主", "12345", "", "", ""], "手机", "12345"),
        (["1栋", "", "101", "", "王芳", "房东", "13911112222", "", "", ""], "身份", "房东"),
        (["1栋", "", "101", "大", "王芳", "业主", "13911112222", "", "", ""], "面积", "大"),
        (["1栋", "", "101", "-5", "王芳", "业主", "13911112222", "", "", ""], "面积", "-5"),
        (["1栋", "", "101", "", "王芳", "业主", "13911112222", "也许", "", ""], "重要客户", "也许"),
        (["", "", "101", "", "王芳", "业主", "13911112222", "", "", ""], "楼栋", "empty"),
        (["1栋", "", "101", "", "王芳", "业主", "", "", "", ""], "手机", "empty"),
        (["1栋", "", "101", "", "王" * 61, "业主", "13911112222", "", "", ""], "姓名", "60"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_is_written(
    director, office, row, column, words
):
    good = ["1栋", "", "100", "", "赵磊", "业主", "13933334444", "", "", ""]
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx([good, row]))
    assert err.value.code == "roster_invalid"
    [error] = err.value.rows
    assert (error.row, error.column) == (3, column)  # header is row 1, the good row is row 2
    assert words in error.message
    assert counts() == dict.fromkeys(counts(), 0)


def test_duplicate_rows_are_reported(director, office):
    row = ["1栋", "", "101", "", "王芳", "业主", "13911112222", "", "", ""]
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx([row, row]))
    [error] = err.value.rows
    assert error.row == 3 and "row 2" in error.message
    assert not Customer.objects.exists()


def test_all_errors_are_collected_at_once(director, office):
    rows = [
        ["1栋", "", "101", "", "", "业主", "13911112222", "", "", ""],
        ["1栋", "", "102", "", "李强", "业主", "13922223333", "", "", ""],
        ["1栋", "", "103", "", "赵磊", "业主", "bad", "", "", ""],
    ]
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx(rows))
    assert [(e.row, e.column) for e in err.value.rows] == [(2, "姓名"), (4, "手机")]
    assert err.value.as_dict()["errors"][0] == {
        "row": 2,
        "column": "姓名",
        "message": "This cell is empty.",
    }
    assert not Unit.objects.exists()


def test_missing_column_is_reported(director, office):
    header = ["楼栋", "房号", "姓名", "身份"]
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx([["1栋", "101", "王芳", "业主"]], header))
    assert [(e.row, e.column) for e in err.value.rows] == [(1, "手机")]
    assert not Community.objects.exists()


def test_a_file_without_rows_is_refused(director, office):
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx([]))
    assert "no customer rows" in err.value.rows[0].message
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not a spreadsheet",
        "姓名,手机\n王芳,13911112222\n".encode(),
        b"PK\x03\x04broken zip",
    ],
)
def test_a_file_that_is_not_xlsx_gets_a_clear_message(director, office, content):
    upload = SimpleUploadedFile("roster.xlsx", content)
    with pytest.raises(DomainError) as err:
        run(director, office, upload)
    assert err.value.code == "not_xlsx" and err.value.field == "file"
    assert "not an Excel .xlsx file" in str(err.value.message)
    assert counts() == dict.fromkeys(counts(), 0)


def test_agent_may_not_import(agent, office):
    with pytest.raises(Forbidden):
        run(agent, office, xlsx(ROWS))
    assert not Customer.objects.exists()


def test_community_name_is_required(director, office):
    with pytest.raises(DomainError) as err:
        run(director, office, xlsx(ROWS), community=" ")
    # The community is chosen from the list, or a new one named: neither is refused.
    assert err.value.field == "community" and err.value.code == "required"
    assert not Customer.objects.exists()


def test_existing_customer_in_the_office_is_matched_by_name_and_phone(director, office, customer):
    rows = [["9栋", "", "901", "", "张伟", "业主", "139 1234 5678", "", "", ""]]
    result = run(director, office, xlsx(rows))
    assert result.customers_created == 0 and result.customers_matched == 1
    assert customer.households.count() == 2


def test_a_large_roster_is_written_in_chunks_with_bounded_queries(director, office, monkeypatch):
    from propdesk.customers import roster

    monkeypatch.setattr(roster, "CHUNK", 50)
    rows = [
        [f"{i // 40 + 1}栋", "", f"{i:04d}", "", f"客户{i}", "业主", f"1390000{i:04d}", "", "", ""]
        for i in range(200)
    ]
    # Per chunk a fixed number of statements, not one per row.
    with max_queries(4 * 25):
        result = run(director, office, xlsx(rows))
    assert result.customers_created == 200 and Customer.objects.count() == 200


def _numbered_rows(n):
    return [
        [f"{i // 40 + 1}栋", "", f"{i:04d}", "", f"客户{i}", "业主", f"1390000{i:04d}", "", "", ""]
        for i in range(n)
    ]


def test_rows_are_read_a_batch_at_a_time_not_all_before_writing(director, office, monkeypatch):
    """Flat memory: the import reads a batch of rows, writes it, then reads the next; the sheet is
    never read to its end before the first write (which would hold every row, or what each row
    said, until then)."""
    from propdesk.customers import roster

    monkeypatch.setattr(roster, "CHUNK", 50)
    read = 0
    real_sheet_rows = roster._sheet_rows

    def counting(ws):
        nonlocal read
        for row in real_sheet_rows(ws):
            read += 1
            yield row

    writes = []
    real_write = roster._write_chunk

    def recording(rows, **kwargs):
        writes.append((read, len(rows)))
        return real_write(rows, **kwargs)

    monkeypatch.setattr(roster, "_sheet_rows", counting)
    monkeypatch.setattr(roster, "_write_chunk", recording)
    result = run(director, office, xlsx(_numbered_rows(200)))

    assert result.customers_created == 200 and read == 201  # the header and 200 rows, once
    assert [size for _read, size in writes] == [50, 50, 50, 50]
    # Each batch is written when at most its own rows (and the header) have been read past the
    # rows written before it.
    written = 0
    for read_then, size in writes:
        assert read_then <= 1 + written + size
        written += size


def test_what_the_rows_said_is_not_kept_in_memory(director, office, monkeypatch):
    """Duplicates and contradicting areas are found against every earlier row, without the
    import keeping those rows: what it needs of them is looked up, a batch at a time, in a
    temporary file that holds no Python objects."""
    from propdesk.customers import roster

    monkeypatch.setattr(roster, "CHUNK", 50)
    lookups = []
    real_check = roster._Seen.check

    def check(self, batch, labels):
        lookups.append(len(batch))
        return real_check(self, batch, labels)

    monkeypatch.setattr(roster._Seen, "check", check)
    rows = _numbered_rows(150)
    rows.append(rows[3])  # row 5 again, as row 152, two batches later
    rows.append([*rows[60][:3], "88", "新客户", "租户", "13900009999", "", "", ""])  # same unit
    rows[60][3] = "77"
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx(rows))
    assert [(e.row, e.column) for e in err.value.rows] == [(152, "姓名"), (153, "面积")]
    assert "row 5 " in err.value.rows[0].message and "Row 62 " in err.value.rows[1].message
    assert lookups == [50, 50, 50, 2]
    assert counts() == dict.fromkeys(counts(), 0)  # the first three batches were rolled back


def test_an_error_after_written_batches_leaves_nothing(director, office, monkeypatch):
    from propdesk.customers import roster

    monkeypatch.setattr(roster, "CHUNK", 50)
    written = []
    real_write = roster._write_chunk
    monkeypatch.setattr(
        roster,
        "_write_chunk",
        lambda rows, **kw: written.append(len(rows)) or real_write(rows, **kw),
    )
    rows = _numbered_rows(180)
    rows[170][6] = "bad"
    with pytest.raises(RosterInvalid) as err:
        run(director, office, xlsx(rows))
    assert [(e.row, e.column) for e in err.value.rows] == [(172, "手机")]
    assert written == [50, 50, 50]  # written before the error was read, then rolled back
    assert counts() == dict.fromkeys(counts(), 0)
