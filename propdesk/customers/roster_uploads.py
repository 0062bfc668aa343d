"""The roster import step by step: upload, preview, confirm, import (``roster.py`` does the work).

1. ``roster_upload_create`` checks the choice of community (an existing one of the office's
   roster, or a new one named as such), opens the file and finds its header (a file that is not
   an .xlsx, or lacks a column, is refused there and then, nothing kept), stores the file under a
   private path named by a random token (``RosterUpload``) and defers the check.
2. ``roster_upload_check`` (deferred work) runs the import as a dry run, in a transaction rolled
   back at its end: what it would create, change and refuse, row by row, is kept as the
   upload's ``preview``; nothing of the roster is written.
3. ``roster_upload_confirm`` takes the buildings ticked for creation and defers the import; an
   upload is confirmed once, so a second submit imports nothing more.
4. ``roster_upload_run`` (deferred work) imports the stored file in one transaction, which also
   marks the upload done: everything is validated again against the roster as it is then, so
   what changed since the preview is refused rather than overwritten. Run again after a crash,
   it finds the upload done, or starts afresh (the killed transaction left nothing).

Both runs report the rows read so far in the cache (``progress``), since their transaction
commits only at its end; the pages poll it.
"""

import datetime as dt
import io
import secrets

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from propdesk.core.background import defer
from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require

from . import selectors
from .models import RosterUpload
from .roster import (
    COLUMNS,
    IGNORED,
    ImportResult,
    RosterInvalid,
    community_choice,
    open_roster,
    roster_import,
)

State = RosterUpload.State
PROGRESS_SECONDS = 24 * 3600


# --- progress ---------------------------------------------------------------------------------


def _progress_key(pk: int) -> str:
    return f"roster-upload:{pk}:rows"


def _reporter(pk: int):
    def report(rows: int) -> None:
        cache.set(_progress_key(pk), rows, PROGRESS_SECONDS)

    cache.set(_progress_key(pk), 0, PROGRESS_SECONDS)
    return report


def progress(upload: RosterUpload) -> dict:
    """The rows read so far by the check or the import under way, and the sheet's estimate of
    its rows ("about"), with a percentage when the estimate is above what was read."""
    rows = cache.get(_progress_key(upload.pk)) or 0
    total = upload.rows_estimate
    percent = min(99, rows * 100 // total) if total and total >= rows else None
    return {"rows": rows, "total": total, "percent": percent}


# --- upload -----------------------------------------------------------------------------------


def _choice(actor, *, office_id, community_id, new_community: str):
    """(office, community or None, new community's name) as chosen, within the actor's offices."""
    name = (new_community or "").strip()
    if community_id not in (None, "") and name:
        raise DomainError(
            _("Choose an existing community or a new one, not both."),
            code="invalid",
            field="community",
        )
    if community_id not in (None, ""):
        community = selectors.communities_for(actor).filter(pk=_id(community_id)).first()
        if community is None:
            raise NotFound(field="community")
        if office_id not in (None, "") and community.office_id != _id(office_id):
            raise DomainError(
                _("This community is not in the office chosen."),
                code="invalid",
                field="community",
            )
        return community.office, community, ""
    if office_id not in (None, ""):
        office = selectors.offices_for(actor).filter(pk=_id(office_id)).first()
        if office is None:
            raise NotFound(field="office")
    elif actor.office is not None:
        office = actor.office
    else:
        raise DomainError(_("Choose the office."), code="required", field="office")
    return office, None, name


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(field="community") from None


def roster_upload_create(
    *, actor, file, community=None, new_community: str = "", office=None, now=None
) -> RosterUpload:
    """Keep an uploaded roster and start its check. ``community`` and ``office`` are ids (from a
    form or the API): another office's is not found."""
    require(actor, "customer.import")
    if file is None:
        raise DomainError(_("Choose the roster file."), code="required", field="file")
    office, chosen, name = _choice(
        actor, office_id=office, community_id=community, new_community=new_community
    )
    require(actor, "customer.import", office)
    if chosen is None and not name:
        raise DomainError(
            _("Choose the community, or create a new one with its name."),
            code="required",
            field="community",
        )
    if name:
        # The same checks as the import's: a name the office has already is refused.
        community_choice(office=office, community=None, new_community=name)
    workbook, ws, header_row, _indexes, _labels = open_roster(file)
    try:
        estimate = (ws.max_row or 0) - header_row
    finally:
        workbook.close()
    now = now or timezone.now()
    with transaction.atomic():
        upload = RosterUpload(
            token=secrets.token_urlsafe(32),
            office=office,
            created_by=actor,
            community=chosen,
            new_community=name,
            file_name=(getattr(file, "name", "") or "")[-200:],
            rows_estimate=max(estimate, 0) or None,
            created_at=now,
        )
        with _rewound(file):
            upload.file.save("roster.xlsx", file, save=False)
        stored = upload.file.name
        try:
            upload.save()
            _defer_check(upload, now=now)
        except BaseException:
            default_storage.delete(stored)
            raise
    return upload


class _rewound:
    def __init__(self, file):
        self.file = file

    def __enter__(self):
        if hasattr(self.file, "seek"):
            self.file.seek(0)
        return self.file

    def __exit__(self, *exc):
        return False


def _defer_check(upload, *, now) -> None:
    defer(
        "propdesk.customers.roster_uploads.roster_upload_check",
        key=f"roster-upload:{upload.pk}:check",
        now=now,
        upload=upload.pk,
    )


# --- check (the preview) ----------------------------------------------------------------------


def _fail(pk: int, *, expected: str, err: DomainError, now) -> None:
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=pk)
        if upload.state != expected:
            return
        upload.state = State.FAILED
        upload.message = str(err.message)[:300]
        upload.errors = [e.as_dict() for e in getattr(err, "rows", [])]
        upload.finished_at = now
        upload.save(update_fields=["state", "message", "errors", "finished_at"])


def _import_stored(row, **options):
    """The import of the upload's stored file, as the one who uploaded it, reporting progress."""
    with default_storage.open(row.file.name, "rb") as file:
        return roster_import(
            actor=row.created_by,
            office=row.office,
            file=file,
            community=row.community,
            new_community=row.new_community,
            progress=_reporter(row.pk),
            **options,
        )


def roster_upload_check(*, upload: int, now=None) -> str:
    """Deferred work: the preview of upload ``upload`` (a dry run of the import)."""
    row = RosterUpload.objects.select_related("office", "community", "created_by").get(pk=upload)
    if row.state != State.CHECKING:
        return "checked already"
    try:
        result = _import_stored(row, dry_run=True)
    except DomainError as err:
        _fail(row.pk, expected=State.CHECKING, err=err, now=now or timezone.now())
        return "refused"
    except FileNotFoundError:
        _fail(row.pk, expected=State.CHECKING, err=_gone(), now=now or timezone.now())
        return "file gone"
    with transaction.atomic():
        row = RosterUpload.objects.select_for_update().get(pk=upload)
        if row.state != State.CHECKING:
            return "checked already"
        row.state = State.PREVIEWED
        row.preview = result.as_dict()
        row.checked_at = now or timezone.now()
        row.message, row.errors = "", []
        row.save(update_fields=["state", "preview", "checked_at", "message", "errors"])
    return f"{result.rows} rows checked"


def _gone() -> DomainError:
    return DomainError(
        _("The uploaded file is no longer kept. Upload it again."), code="file_gone", field="file"
    )


def roster_upload_recheck(*, actor, upload: RosterUpload, now=None) -> RosterUpload:
    """Check the stored file again (the roster changed, or the import was refused)."""
    now = now or timezone.now()
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
        require(actor, "customer.import", upload.office)
        if upload.state == State.CHECKING:
            return upload
        if upload.state not in (State.PREVIEWED, State.FAILED) or not upload.file:
            raise Conflict(
                _("This roster was imported already; upload a new file."),
                code="imported",
                field="file",
            )
        upload.state = State.CHECKING
        upload.preview, upload.message, upload.errors = None, "", []
        upload.finished_at = None
        upload.save(update_fields=["state", "preview", "message", "errors", "finished_at"])
        _defer_check(upload, now=now)
    return upload


# --- confirm and import -----------------------------------------------------------------------


def roster_upload_confirm(
    *, actor, upload: RosterUpload, create_buildings=(), now=None
) -> tuple[RosterUpload, bool]:
    """Confirm the previewed import, with the buildings ticked for creation; returns the upload
    and whether this call confirmed it (False: it was confirmed before, and nothing more is
    done — a second submit imports nothing twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
        require(actor, "customer.import", upload.office)
        if upload.state in (State.IMPORTING, State.DONE):
            return upload, False
        if upload.state == State.CHECKING:
            raise Conflict(
                _("The roster is still being checked; wait for the preview."), code="checking"
            )
        if upload.state == State.FAILED:
            raise Conflict(
                _("This import was refused; check the file again or upload a corrected one."),
                code="refused",
            )
        preview = upload.preview or {}
        if preview.get("errors"):
            raise Conflict(
                _("The roster has errors; correct them and upload the file again."),
                code="roster_invalid",
                field="file",
            )
        unknown = [b["name"] for b in preview.get("unknown_buildings", [])]
        ticked = {str(name).strip() for name in create_buildings or ()}
        strange = sorted(ticked - set(unknown))
        if strange:
            raise DomainError(
                _("“%(name)s” is not among the buildings this roster would create.")
                % {"name": strange[0]},
                code="invalid",
                field="create_buildings",
            )
        unticked = [name for name in unknown if name not in ticked]
        if unticked:
            raise DomainError(
                _(
                    "The community has no building %(names)s: tick it to create it, or correct "
                    "its rows and upload the file again."
                )
                % {"names": "、".join(f"“{n}”" for n in unticked[:10])},
                code="unknown_buildings",
                field="create_buildings",
            )
        upload.state = State.IMPORTING
        upload.create_buildings = [name for name in unknown if name in ticked]
        upload.confirmed_at = now
        upload.save(update_fields=["state", "create_buildings", "confirmed_at"])
        defer(
            "propdesk.customers.roster_uploads.roster_upload_run",
            key=f"roster-upload:{upload.pk}:import",
            now=now,
            upload=upload.pk,
        )
    return upload, True


def roster_upload_run(*, upload: int, now=None) -> str:
    """Deferred work: import the confirmed upload ``upload``, validated again, all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            RosterUpload.objects.select_for_update(of=("self",))
            .select_related("office", "community", "created_by")
            .get(pk=upload)
        )
        if row.state != State.IMPORTING:
            return "imported already"
        try:
            result = _import_stored(row, create_buildings=row.create_buildings, now=now)
        except (DomainError, FileNotFoundError) as err:
            if isinstance(err, FileNotFoundError):
                err = _gone()
            row.state = State.FAILED
            row.message = str(err.message)[:300]
            row.errors = [e.as_dict() for e in getattr(err, "rows", [])]
            row.finished_at = timezone.now()
            row.save(update_fields=["state", "message", "errors", "finished_at"])
            return "refused"
        row.state = State.DONE
        row.result = _summary(result)
        row.finished_at = timezone.now()
        stored, row.file = row.file.name, ""
        row.save(update_fields=["state", "result", "finished_at", "file"])
        # The roster is in the database now; its file is kept no longer.
        transaction.on_commit(lambda: default_storage.delete(stored))
    return f"{result.rows} rows imported"


# An upload not confirmed within this time is dropped: its file deleted, the upload refused.
KEEP_UNCONFIRMED = dt.timedelta(days=2)


def roster_uploads_expire(*, now) -> dict:
    """Periodic job: forget the uploads left unconfirmed for ``KEEP_UNCONFIRMED`` (their files
    deleted after commit, the uploads marked refused). Idempotent: each is claimed by its row's
    lock and state."""
    expired = 0
    stale = RosterUpload.objects.filter(
        state__in=[State.CHECKING, State.PREVIEWED, State.FAILED],
        created_at__lt=now - KEEP_UNCONFIRMED,
    ).exclude(file="")
    for pk in list(stale.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            upload = RosterUpload.objects.select_for_update().get(pk=pk)
            if upload.state == State.IMPORTING or not upload.file:
                continue
            stored = upload.file.name
            upload.file = ""
            upload.state = State.FAILED
            upload.message = str(
                _("Not confirmed within two days: the file is no longer kept. Upload it again.")
            )
            upload.finished_at = now
            upload.save(update_fields=["file", "state", "message", "finished_at"])
            transaction.on_commit(lambda stored=stored: default_storage.delete(stored))
            expired += 1
    return {"expired": expired}


def _summary(result: ImportResult) -> dict:
    data = result.as_dict()
    for key in ("errors", "unknown_buildings", "building_refusals", "outcomes"):
        data.pop(key, None)
    return data


# --- the template -----------------------------------------------------------------------------

# The template's columns: the import's own, in its order, without the committee's.
TEMPLATE_COLUMNS = [key for key in COLUMNS if key not in IGNORED]
ENGLISH_HEADERS = {
    "building": "Building",
    "entrance": "Entrance",
    "room": "Room",
    "area": "Area",
    "name": "Name",
    "kind": "Kind",
    "phones": "Phones",
    "is_important": "Important",
}
EXAMPLES = {
    "zh": ["1栋", "1单元", "101", 89.5, "王芳", "业主", "13911112222 / 0755-26881234", "否"],
    "en": ["1", "1", "101", 89.5, "Wang Fang", "owner", "13911112222 / 0755-26881234", "no"],
}
TEMPLATE_NOTES = {
    "building": _("Required. As the community's roster names it."),
    "entrance": _("Optional."),
    "room": _("Required."),
    "area": _("Optional, in m²."),
    "name": _("Required."),
    "kind": _("Required: 业主 (owner) or 租户 (tenant)."),
    "phones": _("Required: one or several numbers, separated by / , ; or spaces."),
    "is_important": _("Optional: 是 or 否 (yes or no)."),
}


def roster_template(language: str) -> bytes:
    """The roster template as .xlsx bytes: the header in ``language`` (Chinese, else English) on
    the first sheet, ready to fill in, and an example row on a second sheet (kept off the first,
    so a template filled in under it never imports the example's made-up customer)."""
    zh = (language or "").lower().startswith("zh")
    headers = [COLUMNS[k][0] if zh else ENGLISH_HEADERS[k] for k in TEMPLATE_COLUMNS]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Roster")
    sheet.append(headers)
    for index, key in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(str(TEMPLATE_NOTES[key]), "propdesk")
        sheet.column_dimensions[cell.column_letter].width = 14 if key != "phones" else 28
    sheet.freeze_panes = "A2"
    kinds = '"业主,租户"' if zh else '"owner,tenant"'
    validation = DataValidation(type="list", formula1=kinds, allow_blank=True)
    sheet.add_data_validation(validation)
    kind_column = sheet.cell(row=1, column=TEMPLATE_COLUMNS.index("kind") + 1).column_letter
    validation.add(f"{kind_column}2:{kind_column}100000")

    example = workbook.create_sheet(gettext("Example"))
    example.append(headers)
    example.append(EXAMPLES["zh" if zh else "en"])
    for cell in example[1]:
        cell.font, cell.fill = bold, fill
    example.append([])
    example.append([gettext("Fill in the first sheet, one row per customer and unit.")])
    for key in TEMPLATE_COLUMNS:
        example.append([COLUMNS[key][0] if zh else ENGLISH_HEADERS[key], str(TEMPLATE_NOTES[key])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = [
    "RosterInvalid",
    "progress",
    "roster_template",
    "roster_upload_check",
    "roster_upload_confirm",
    "roster_upload_create",
    "roster_upload_recheck",
    "roster_upload_run",
    "roster_uploads_expire",
]
