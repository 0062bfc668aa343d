"""The roster import in steps: upload, preview (nothing written), confirm (written once).

The check and the import are deferred work, run after the upload's or the confirmation's
transaction commits: ``commits()`` runs them, as a broker-less server does in the request.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.customers import roster_uploads
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    RosterUpload,
    Unit,
)
from propdesk.customers.roster import EVERY_BUILDING, RosterInvalid, roster_import
from tests import factories as f

from .conftest import xlsx

State = RosterUpload.State
ROWS = [
    ["1栋", "1单元", 101, 89.5, "王芳", "业主", "13911112222", "是", "", ""],
    ["1栋", "1单元", 101, 89.5, "李强", "租户", "13922223333", "", "", ""],
    ["2栋", "", "301", "120", "王芳", "业主", "13911112222", "", "", ""],
]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Community, Building, Unit, Household, Customer, CustomerPhone, Residence)
    }


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what commits schedule (the deferred check and import), as happens without a broker."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def community(office):
    """翠苑一期 with 21 customers in 1栋 and 2栋, imported before."""
    rows = [
        [
            f"{i % 2 + 1}栋",
            "",
            f"{100 + i}",
            "",
            f"住户{i}",
            "业主",
            f"139000000{i:02d}",
            "",
            "",
            "",
        ]
        for i in range(21)
    ]
    director = f.UserFactory(username="setup", role="director", office=office)
    roster_import(
        actor=director,
        office=office,
        file=xlsx(rows),
        new_community="翠苑一期",
        create_buildings=EVERY_BUILDING,
    )
    return Community.objects.get(office=office, name="翠苑一期")


def upload(director, file, commits, **choice):
    with commits():
        return roster_uploads.roster_upload_create(actor=director, file=file, **choice)


def fresh(upload_):
    upload_.refresh_from_db()
    return upload_


# --- the community and the buildings --------------------------------------------------------


def test_a_new_community_whose_name_the_office_has_is_refused(director, community, commits):
    before = counts()
    with pytest.raises(DomainError) as err:
        upload(director, xlsx(ROWS), commits, new_community=" 翠苑一期 ")
    assert (err.value.field, err.value.code) == ("new_community", "community_exists")
    assert counts() == before and not RosterUpload.objects.exists()


def test_a_typo_in_a_building_creates_nothing(director, community, commits):
    """The old import took a typo for a new building (or community) and moved the customers into
    new households; now the rows are refused until the building is ticked for creation."""
    residences = set(Residence.objects.values_list("customer_id", "household_id"))
    before = counts()
    rows = [
        ["1 栋", "", f"{100 + i}", "", f"住户{i}", "业主", f"139000000{i:02d}", "", "", ""]
        for i in range(0, 21, 2)
    ]
    made = upload(director, xlsx(rows), commits, community=community.pk)
    made = fresh(made)
    assert made.state == State.PREVIEWED
    preview = made.preview
    assert preview["errors"] == []
    assert preview["unknown_buildings"] == [{"name": "1 栋", "rows": 11, "first_row": 2}]
    refusals = preview["building_refusals"]
    assert [r["row"] for r in refusals] == list(range(2, 13))
    assert "has no building “1 栋”" in refusals[0]["message"]
    assert counts() == before

    with pytest.raises(DomainError) as err, commits():
        roster_uploads.roster_upload_confirm(actor=director, upload=made, create_buildings=[])
    assert (err.value.field, err.value.code) == ("create_buildings", "unknown_buildings")
    assert fresh(made).state == State.PREVIEWED
    assert counts() == before
    assert set(Residence.objects.values_list("customer_id", "household_id")) == residences
    assert not Community.objects.exclude(pk=community.pk).exists()


def test_a_ticked_building_is_created(director, community, commits):
    made = upload(director, xlsx(ROWS), commits, community=community.pk)
    # 1栋 and 2栋 exist; 2栋 has no room 301 yet, so only units and people are new.
    assert fresh(made).preview["unknown_buildings"] == []
    rows = [["3栋", "", "501", "", "赵磊", "业主", "13933334444", "", "", ""]]
    made = upload(director, xlsx(rows), commits, community=community.pk)
    with commits():
        _upload, confirmed = roster_uploads.roster_upload_confirm(
            actor=director, upload=fresh(made), create_buildings=["3栋"]
        )
    assert confirmed and fresh(made).state == State.DONE
    assert Building.objects.get(community=community, name="3栋")
    assert Customer.objects.get(name="赵磊").households.get().unit.building.name == "3栋"


def test_the_import_refuses_an_unticked_building_itself(director, community):
    rows = [["9栋", "", "901", "", "赵磊", "业主", "13933334444", "", "", ""]]
    before = counts()
    with pytest.raises(RosterInvalid) as err:
        roster_import(actor=director, office=community.office, file=xlsx(rows), community=community)
    [error] = err.value.rows
    assert (error.row, error.column) == (2, "楼栋") and "9栋" in error.message
    assert counts() == before


def test_another_offices_community_is_not_found(director, other_office, commits):
    theirs = f.CommunityFactory(office=other_office)
    with pytest.raises(NotFound) as err:
        upload(director, xlsx(ROWS), commits, community=theirs.pk)
    assert err.value.field == "community"
    assert not RosterUpload.objects.exists()


# --- preview, confirm, once -----------------------------------------------------------------


def test_the_preview_writes_nothing_and_the_confirm_writes_what_it_showed(
    director, community, commits
):
    rows = [
        *ROWS,
        ["1栋", "", "100", "95", "住户0", "业主", "13900000000", "是", "", ""],  # known: changed
        ["2栋", "", "101", "", "住户1", "业主", "13900000001", "", "", ""],  # known: unchanged
    ]
    before = counts()
    made = fresh(upload(director, xlsx(rows), commits, community=community.pk))
    assert counts() == before
    preview = made.preview
    assert made.state == State.PREVIEWED and made.checked_at
    assert preview["rows"] == 5 and preview["errors"] == preview["building_refusals"] == []
    assert (preview["customers_created"], preview["customers_matched"]) == (2, 2)
    by_row = {o["row"]: o for o in preview["outcomes"]}
    assert by_row[2]["action"] == "created" and "new_unit" in by_row[2]["notes"]
    assert by_row[4]["action"] == "changed" and by_row[4]["notes"] == [
        "new_unit",
        "new_household",
        "moved_in",
    ]
    assert by_row[5]["action"] == "changed"
    assert set(by_row[5]["notes"]) == {"area_changed", "flags_changed"}
    assert by_row[6] == {
        "row": 6,
        "address": "2栋-101",
        "name": "住户1",
        "kind": "owner",
        "action": "unchanged",
        "notes": [],
    }

    with commits():
        _u, confirmed = roster_uploads.roster_upload_confirm(actor=director, upload=made)
    made = fresh(made)
    assert confirmed and made.state == State.DONE and not made.file
    for key in (
        "customers_created",
        "customers_matched",
        "units_created",
        "households_created",
        "phones_added",
        "residences_created",
        "customers_updated",
        "units_updated",
    ):
        assert made.result[key] == preview[key], key
    after = counts()
    assert after["Customer"] == before["Customer"] + 2

    # A second confirm (a double submit, or a retry) imports nothing more.
    with commits():
        _u, confirmed = roster_uploads.roster_upload_confirm(actor=director, upload=made)
    assert not confirmed and counts() == after
    # Nor does the deferred import run again.
    assert roster_uploads.roster_upload_run(upload=made.pk) == "imported already"
    assert counts() == after


def test_the_confirm_validates_again(director, office, commits):
    made = fresh(upload(director, xlsx(ROWS), commits, new_community="翠苑二期"))
    assert made.state == State.PREVIEWED and made.preview["community_created"]
    assert [b["name"] for b in made.preview["new_buildings"]] == ["1栋", "2栋"]
    # Meanwhile someone creates the community by that name.
    f.CommunityFactory(office=office, name="翠苑二期")
    before = counts()
    with commits():
        roster_uploads.roster_upload_confirm(actor=director, upload=made)
    made = fresh(made)
    assert made.state == State.FAILED and "翠苑二期" in made.message
    assert counts() == before


def test_a_preview_with_errors_cannot_be_confirmed(director, community, commits):
    rows = [*ROWS, ["1栋", "", "102", "", "赵磊", "房东", "13933334444", "", "", ""]]
    made = fresh(upload(director, xlsx(rows), commits, community=community.pk))
    assert [(e["row"], e["column"]) for e in made.preview["errors"]] == [(5, "身份")]
    before = counts()
    with pytest.raises(Conflict) as err, commits():
        roster_uploads.roster_upload_confirm(actor=director, upload=made)
    assert err.value.code == "roster_invalid" and counts() == before


def test_the_file_is_kept_privately_until_imported(director, community, commits, client, settings):
    made = fresh(upload(director, xlsx(ROWS), commits, community=community.pk))
    path = settings.MEDIA_ROOT / made.file.name
    assert path.exists() and made.token in made.file.name
    assert made.file.name.startswith("private/roster-imports/")
    client.force_login(director)
    assert client.get(f"/media/{made.file.name}").status_code == 404
    with commits():
        roster_uploads.roster_upload_confirm(actor=director, upload=made)
    assert not path.exists()


def test_an_upload_is_only_its_uploaders(director, office, community, commits, client):
    made = upload(director, xlsx(ROWS), commits, community=community.pk)
    colleague = f.UserFactory(username="director2", role="director", office=office)
    client.force_login(colleague)
    url = reverse("console:customer_import_status", args=[made.token])
    assert client.get(url).status_code == 404
    assert client.post(url + "confirm/").status_code == 404
    assert fresh(made).state == State.PREVIEWED


def test_agents_may_not_upload(agent, community, commits):
    with pytest.raises(Forbidden):
        upload(agent, xlsx(ROWS), commits, community=community.pk)
    assert not RosterUpload.objects.exists()


# --- malformed files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"hello", b"PK\x03\x04broken zip", "姓名,手机\n王芳,1\n".encode()]
)
def test_a_file_that_is_not_xlsx_is_refused_at_once(director, community, commits, content):
    with pytest.raises(DomainError) as err:
        upload(director, SimpleUploadedFile("r.xlsx", content), commits, community=community.pk)
    assert (err.value.code, err.value.field) == ("not_xlsx", "file")
    assert not RosterUpload.objects.exists()


def test_a_sheet_without_the_columns_is_refused_at_once(director, community, commits):
    with pytest.raises(RosterInvalid) as err:
        upload(director, xlsx([["x"]], ["姓名", "楼栋", "身份"]), commits, community=community.pk)
    assert sorted(e.column for e in err.value.rows) == ["房号", "手机"]
    assert not RosterUpload.objects.exists()


# --- the console ------------------------------------------------------------------------------


def test_console_upload_preview_confirm(client, director, community, commits):
    client.force_login(director)
    page = client.get(reverse("console:customer_import")).content.decode()
    assert f'<option value="{community.pk}">翠苑一期</option>' in page
    assert "New community" in page and reverse("console:customer_import_template") in page
    before = counts()
    rows = [*ROWS, ["5栋", "", "501", "", "赵磊", "业主", "13933334444", "", "", ""]]
    with commits():
        response = client.post(
            reverse("console:customer_import"), {"community": community.pk, "file": xlsx(rows)}
        )
    made = RosterUpload.objects.get()
    status_url = reverse("console:customer_import_status", args=[made.token])
    assert response.status_code == 302 and response["Location"] == status_url
    body = client.get(status_url).content.decode()
    assert "Preview: nothing is written until you confirm" in body
    assert 'name="create_buildings" value="5栋"' in body
    assert "<td>5</td><td>楼栋</td>" in body and "has no building “5栋”" in body
    assert counts() == before

    # Unticked: refused, on the page, nothing written.
    with commits():
        response = client.post(status_url + "confirm/")
    assert response.status_code == 400 and "tick it to create it" in response.content.decode()
    assert counts() == before

    with commits():
        response = client.post(status_url + "confirm/", {"create_buildings": ["5栋"]})
    assert response.status_code == 302
    body = client.get(status_url).content.decode()
    assert "Imported" in body and "Customers created" in body
    assert Customer.objects.filter(name="赵磊").exists()
    after = counts()
    with commits():
        assert (
            client.post(status_url + "confirm/", {"create_buildings": ["5栋"]}).status_code == 302
        )
    assert counts() == after


def test_console_new_community_needs_its_name_and_the_explicit_choice(client, director, commits):
    client.force_login(director)
    url = reverse("console:customer_import")
    response = client.post(url, {"community": "new", "new_community": "", "file": xlsx(ROWS)})
    assert response.status_code == 400 and "Give the new community" in response.content.decode()
    # A name typed without choosing "New community" creates nothing either.
    response = client.post(url, {"community": "", "new_community": "翠苑一其", "file": xlsx(ROWS)})
    assert response.status_code == 400
    assert not Community.objects.exists() and not RosterUpload.objects.exists()
    with commits():
        response = client.post(
            url, {"community": "new", "new_community": "翠苑三期", "file": xlsx(ROWS)}
        )
    assert response.status_code == 302 and not Community.objects.exists()


def test_console_progress_is_polled_while_checking(client, director, community, monkeypatch):
    client.force_login(director)
    made = roster_uploads.roster_upload_create(  # commits never run here: still checking
        actor=director, file=xlsx(ROWS), community=community.pk
    )
    roster_uploads._reporter(made.pk)(2)
    url = reverse("console:customer_import_status", args=[made.token])
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in body and "2 of about 3 rows read" in body
    assert "<html" not in body


def test_console_malformed_file_message(client, director, community):
    client.force_login(director)
    response = client.post(
        reverse("console:customer_import"),
        {"community": community.pk, "file": SimpleUploadedFile("r.xlsx", b"hello")},
    )
    assert response.status_code == 400 and "not an Excel .xlsx file" in response.content.decode()


# --- the template -----------------------------------------------------------------------------


def _sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_the_template_downloads_in_the_users_language_and_imports_filled_in(
    client, director, community, commits
):
    client.force_login(director)
    response = client.get(reverse("console:customer_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    workbook = _sheet(response.content)
    first, example = workbook.worksheets
    assert [c.value for c in first[1]] == [
        "Building",
        "Entrance",
        "Room",
        "Area",
        "Name",
        "Kind",
        "Phones",
        "Important",
    ]
    assert first.max_row == 1  # nothing to delete before filling it in
    assert [c.value for c in example[2]][:6] == ["1", "1", "101", 89.5, "Wang Fang", "owner"]

    first.append(["3栋", "", "301", 80, "Li Lei", "tenant", "13955556666", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    made = fresh(upload(director, filled, commits, community=community.pk))
    assert made.preview["rows"] == 1 and made.preview["errors"] == []
    with commits():
        roster_uploads.roster_upload_confirm(actor=director, upload=made, create_buildings=["3栋"])
    assert fresh(made).state == State.DONE
    assert Customer.objects.get(name="Li Lei").kind == Customer.Kind.TENANT


def test_the_template_in_chinese(api, director):
    api.force_authenticate(director)
    response = api.get("/api/v1/roster-imports/template/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    first, example = _sheet(response.content).worksheets
    assert [c.value for c in first[1]] == [
        "楼栋",
        "单元",
        "房号",
        "面积",
        "姓名",
        "身份",
        "手机",
        "重要客户",
    ]
    assert [c.value for c in example[2]][4:6] == ["王芳", "业主"]


# --- the API ----------------------------------------------------------------------------------


def test_api_preview_then_confirm_once(api, director, community, commits):
    api.force_authenticate(director)
    before = counts()
    with commits():
        response = api.post(
            "/api/v1/roster-imports/", {"community": community.pk, "file": xlsx(ROWS)}
        )
    assert response.status_code == 202
    body = response.json()
    token = body["token"]
    assert response["Location"] == f"/api/v1/roster-imports/{token}/"
    # The check runs after the upload commits (at once, without a broker).
    assert body["state"] == "checking"
    url = f"/api/v1/roster-imports/{token}/"
    body = api.get(url).json()
    assert body["state"] == "previewed" and body["preview"]["customers_created"] == 2
    assert body["progress"]["rows"] == 3
    assert counts() == before

    with commits():
        response = api.post(url + "confirm/", {"create_buildings": []}, format="json")
    assert response.status_code == 202 and response.json()["state"] == "importing"
    body = api.get(url).json()
    assert body["state"] == "done" and body["result"]["customers_created"] == 2
    after = counts()
    with commits():
        response = api.post(url + "confirm/", {}, format="json")
    assert response.status_code == 200 and counts() == after


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"community": "{community}"}, 400, "file"),
        ({"community": "翠苑一其", "file": "xlsx"}, 400, "community"),
        ({"community": 999999, "file": "xlsx"}, 404, "community"),
        ({"community": "{theirs}", "file": "xlsx"}, 404, "community"),
        ({"file": "xlsx"}, 400, "community"),
        ({"community": "{community}", "file": "junk"}, 400, "file"),
        ({"new_community": "翠苑一期", "file": "xlsx"}, 400, "new_community"),
    ],
)
def test_api_bad_input_names_the_field(
    api, director, community, other_office, commits, data, status, field
):
    theirs = f.CommunityFactory(office=other_office)
    files = {"xlsx": xlsx(ROWS), "junk": SimpleUploadedFile("r.xlsx", b"junk")}
    payload = {
        key: files.get(value, value) if key == "file" else value for key, value in data.items()
    }
    for key, value in payload.items():
        if value == "{community}":
            payload[key] = community.pk
        elif value == "{theirs}":
            payload[key] = theirs.pk
    api.force_authenticate(director)
    before = counts()
    with commits():
        response = api.post("/api/v1/roster-imports/", payload)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert counts() == before and not RosterUpload.objects.exists()


def test_api_confirm_with_a_building_not_listed_is_400(api, director, community, commits):
    api.force_authenticate(director)
    with commits():
        token = api.post(
            "/api/v1/roster-imports/", {"community": community.pk, "file": xlsx(ROWS)}
        ).json()["token"]
    response = api.post(
        f"/api/v1/roster-imports/{token}/confirm/", {"create_buildings": ["9栋"]}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "create_buildings"
    assert RosterUpload.objects.get().state == State.PREVIEWED


def test_api_agents_are_forbidden(api, agent, community):
    api.force_authenticate(agent)
    response = api.post("/api/v1/roster-imports/", {"community": community.pk, "file": xlsx(ROWS)})
    assert response.status_code == 403
    assert not RosterUpload.objects.exists()


def test_api_someone_elses_upload_is_not_found(api, director, office, community, commits):
    made = upload(director, xlsx(ROWS), commits, community=community.pk)
    api.force_authenticate(f.UserFactory(username="d2", role="director", office=office))
    assert api.get(f"/api/v1/roster-imports/{made.token}/").status_code == 404
    assert api.post(f"/api/v1/roster-imports/{made.token}/confirm/").status_code == 404


def test_unconfirmed_uploads_are_forgotten_after_two_days(
    director, community, commits, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    made = fresh(upload(director, xlsx(ROWS), commits, community=community.pk))
    path = settings.MEDIA_ROOT / made.file.name
    now = timezone.now()
    assert roster_uploads.roster_uploads_expire(now=now + dt.timedelta(days=1)) == {"expired": 0}
    with django_capture_on_commit_callbacks(execute=True):
        later = now + dt.timedelta(days=3)
        assert roster_uploads.roster_uploads_expire(now=later) == {"expired": 1}
    made = fresh(made)
    assert made.state == State.FAILED and not made.file and not path.exists()
    with pytest.raises(Conflict):
        roster_uploads.roster_upload_confirm(actor=director, upload=made)
    assert roster_uploads.roster_uploads_expire(now=later) == {"expired": 0}
