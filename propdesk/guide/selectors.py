"""Reads of the Service Guide: the draft compiled from the catalogue, editions, and their diff.

Staff reads are scoped to the offices the user may see (another office's guide is not found);
customers read their own office's; the public pages read any office's published editions, which
are printed and handed out anyway.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import QuerySet

from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import NotFound
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import HotlineLine, Office

from .models import GuideEdition, GuideEntry

PRICE_FIELDS = ("pricing", "price", "price_unit")
HOURS_PHONE_FIELDS = ("service_hours", "contact_phone")
# The fields of an entry a reader cares about, and so what makes two editions differ.
CONTENT_FIELDS = (
    "category_name",
    "category_position",
    "name",
    "description",
    *HOURS_PHONE_FIELDS,
    *PRICE_FIELDS,
    "is_special",
)
HOTLINE_FIELDS = ("hotline_complaint", "hotline_service", "hotline_duty")


# --- offices ------------------------------------------------------------------------------------


def offices_for(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk").order_by("code")


def office_get(user, pk) -> Office:
    """An office whose guide ``user`` may see; another office is NotFound."""
    return get_scoped(Office.objects.all(), user, office_field="pk", pk=pk)


def office_public(key: str) -> Office:
    """An office by its code, or by its id: the public page's address."""
    office = Office.objects.filter(code=key).first()
    if office is None and str(key).isdigit():
        office = Office.objects.filter(pk=int(key)).first()
    if office is None:
        raise NotFound(field="office")
    return office


# --- the draft: the current compilation ---------------------------------------------------------


def draft_compile(office: Office) -> GuideEdition:
    """What an edition published now would say: an unsaved edition with unsaved entries
    (``edition.draft_entries``), laid out like a published one so pages and the PDF take either.

    Active items only (``items_for_office``), and only those in the service scope: an item out of
    scope is kept in the catalogue to explain a refusal (M08), it is not a service we offer.
    """
    items = items_for_office(office.pk).filter(in_scope=True)
    entries = [
        GuideEntry(
            position=position,
            item_id=item.pk,
            category_name=item.category.name,
            category_position=item.category.position,
            name=item.name,
            description=item.description,
            service_hours=item.service_hours,
            contact_phone=item.contact_phone,
            pricing=item.pricing,
            price=item.price,
            price_unit=item.price_unit,
            is_special=item.is_special,
        )
        for position, item in enumerate(items, start=1)
    ]
    lines = {
        line.kind: line.display_number
        for line in HotlineLine.objects.filter(office_id=office.pk).only("kind", "number")
    }
    draft = GuideEdition(
        office=office,
        number=None,
        hotline_complaint=lines.get(HotlineLine.Kind.COMPLAINT, ""),
        hotline_service=lines.get(HotlineLine.Kind.SERVICE, ""),
        hotline_duty=lines.get(HotlineLine.Kind.DUTY, ""),
    )
    draft.draft_entries = entries
    return draft


def fingerprint(edition: GuideEdition, entries) -> str:
    """A digest of everything a reader sees, to tell whether anything changed."""
    import hashlib
    import json

    content = {
        "hotlines": [getattr(edition, f) for f in HOTLINE_FIELDS],
        "entries": [[e.item_id, *(str(getattr(e, f)) for f in CONTENT_FIELDS)] for e in entries],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# --- editions -----------------------------------------------------------------------------------


def editions_of(office_id) -> QuerySet:
    """An office's editions, newest first (the ``guideedition_unique_number`` index)."""
    return (
        GuideEdition.objects.filter(office_id=office_id)
        .select_related("office", "published_by")
        .order_by("-number")
    )


def latest_edition(office_id) -> GuideEdition | None:
    return editions_of(office_id).first()


def edition_get(office_id, number) -> GuideEdition:
    """One edition of the office, or NotFound (``field="edition"``)."""
    try:
        return editions_of(office_id).get(number=number)
    except (GuideEdition.DoesNotExist, ValueError, TypeError):
        raise NotFound(field="edition") from None


def edition_previous(edition: GuideEdition) -> GuideEdition | None:
    return editions_of(edition.office_id).filter(number__lt=edition.number).first()


def entries_of(edition: GuideEdition) -> list[GuideEntry]:
    if edition.pk is None:
        return edition.draft_entries
    return list(edition.entries.order_by("position"))


@dataclass
class Section:
    category: str
    entries: list


def sections(entries) -> list[Section]:
    """Entries grouped by category, in the order they were compiled (category order)."""
    return [
        Section(category=name, entries=list(group))
        for (_pos, name), group in groupby(
            entries, key=lambda e: (e.category_position, e.category_name)
        )
    ]


# --- the change between two editions ------------------------------------------------------------


@dataclass
class Change:
    before: GuideEntry
    after: GuideEntry
    fields: list[str]

    @property
    def price_changed(self) -> bool:
        return any(f in PRICE_FIELDS for f in self.fields)

    @property
    def hours_or_phone_changed(self) -> bool:
        return any(f in HOURS_PHONE_FIELDS for f in self.fields)


@dataclass
class Diff:
    older: GuideEdition | None
    newer: GuideEdition
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    hotlines_changed: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.hotlines_changed)


def diff(
    older: GuideEdition | None, newer: GuideEdition, *, older_entries=None, newer_entries=None
):
    """What changed from ``older`` to ``newer``: items added, removed, and changed (price or
    pricing terms, hours or phone, name, description, category). An item is recognised by the
    catalogue item it was copied from, so a renamed item is a change, not a removal."""
    new = newer_entries if newer_entries is not None else entries_of(newer)
    result = Diff(older=older, newer=newer)
    if older is None:
        result.added = list(new)
        return result
    old = older_entries if older_entries is not None else entries_of(older)
    before = {e.item_id: e for e in old}
    after = {e.item_id: e for e in new}
    result.added = [e for e in new if e.item_id not in before]
    result.removed = [e for e in old if e.item_id not in after]
    for entry in new:
        previous = before.get(entry.item_id)
        if previous is None:
            continue
        fields = [f for f in CONTENT_FIELDS if getattr(previous, f) != getattr(entry, f)]
        fields = [f for f in fields if f != "category_position"]
        if fields:
            result.changed.append(Change(before=previous, after=entry, fields=fields))
    result.hotlines_changed = [f for f in HOTLINE_FIELDS if getattr(older, f) != getattr(newer, f)]
    return result


def diff_with_previous(edition: GuideEdition) -> Diff:
    return diff(edition_previous(edition), edition)


def draft_diff(draft: GuideEdition) -> Diff:
    """The draft against the office's latest edition: what publishing now would change."""
    return diff(latest_edition(draft.office_id), draft)


def latest_editions(office_ids) -> list[GuideEdition]:
    """Each office's latest edition, in one query (the offices' list page)."""
    from django.db.models import OuterRef, Subquery

    newest = GuideEdition.objects.filter(office_id=OuterRef("office_id")).order_by("-number")
    return list(
        GuideEdition.objects.filter(office_id__in=office_ids).filter(
            pk=Subquery(newest.values("pk")[:1])
        )
    )
