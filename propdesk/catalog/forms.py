"""Console forms. They only collect input: the services validate it and name the field at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.org.models import Office
from propdesk.org.pickers import pick_office

from .models import ServiceCategory, ServiceItem
from .selectors import ItemFilters, categories

YES_NO_ANY = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ItemFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
        help_text=_("An office's catalogue: company-wide items and its own."),
    )
    chargeable = forms.ChoiceField(label=_("Chargeable"), choices=YES_NO_ANY, required=False)
    in_scope = forms.ChoiceField(label=_("In scope"), choices=YES_NO_ANY, required=False)
    inactive = forms.BooleanField(label=_("Show inactive"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()
        if user.is_company_role:
            pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        else:
            del self.fields["office"]

    def filters(self) -> ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        office = data.get("office")
        category = data.get("category")
        return ItemFilters(
            office=office.pk if office else None,
            category=category.pk if category else None,
            chargeable=_tristate(data.get("chargeable", "")),
            in_scope=_tristate(data.get("in_scope", "")),
            active=None if data.get("inactive") else True,
            q=data.get("q", ""),
        )


class ItemForm(BoundedInput, forms.Form):
    """An item's fields. Price and hours stay text so the service's messages are the ones shown."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ServiceCategory.objects.none(),
        empty_label=_("Choose a category…"),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("Company-wide"),
    )
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    service_hours = forms.CharField(
        label=_("Service hours"), required=False, help_text=_("e.g. 8:00–20:00, or 24 hours")
    )
    contact_phone = forms.CharField(label=_("Contact phone"), required=False)
    pricing = forms.ChoiceField(label=_("Pricing"), choices=ServiceItem.Pricing.choices)
    price = forms.CharField(
        label=_("Price (¥)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    price_unit = forms.CharField(
        label=_("Per"), required=False, help_text=_("For per-unit pricing: 次, 米, 小时…")
    )
    default_completion_hours = forms.CharField(
        label=_("Default completion time (hours)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 720}),
    )
    in_scope = forms.BooleanField(label=_("In the service scope"), required=False)
    is_special = forms.BooleanField(label=_("Special service (特约服务)"), required=False)
    is_major_defect = forms.BooleanField(
        label=_("Major defect"),
        required=False,
        help_text=_(
            "A repair of it (a roof or bathroom leak, a crack in an external wall…) is watched "
            "afterwards with periodic inspections."
        ),
    )

    # The item's version the form was rendered with (editing only): a change someone made
    # meanwhile is refused on the form instead of being overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is None:
            del self.fields["version"]
        self.fields["category"].queryset = categories()
        # The office is chosen once, at creation, and only by the company; a director's items
        # belong to his office.
        if item is None and user.is_company_role:
            pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        else:
            del self.fields["office"]

    @classmethod
    def initial_for(cls, item: ServiceItem | None) -> dict:
        if item is None:
            return {
                "pricing": ServiceItem.Pricing.FREE,
                "default_completion_hours": 24,
                "in_scope": True,
            }
        return {
            "category": item.category_id,
            "name": item.name,
            "description": item.description,
            "service_hours": item.service_hours,
            "contact_phone": item.contact_phone,
            "pricing": item.pricing,
            "price": item.price,
            "price_unit": item.price_unit,
            "default_completion_hours": item.default_completion_hours,
            "in_scope": item.in_scope,
            "is_special": item.is_special,
            "is_major_defect": item.is_major_defect,
            "version": item.version,
        }

    def item_fields(self) -> dict:
        """The cleaned values as ``item_create``/``item_update`` take them: everything but the
        office, the version and the major-defect mark, which has its own service (M14)."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("office", "is_major_defect", "version")
        }


class ItemVersionForm(BoundedInput, forms.Form):
    """The version alone: deactivating and reactivating an item take nothing else."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def steps_from_post(data) -> list[dict]:
    """The steps table: one row per step, in the order shown; wholly empty rows are ignored."""
    titles = data.getlist("step_title")
    details = data.getlist("step_detail")
    photos = data.getlist("step_photo")
    steps = []
    for i, title in enumerate(titles):
        detail = details[i] if i < len(details) else ""
        if not title.strip() and not detail.strip():
            continue
        photo = photos[i] if i < len(photos) else ""
        steps.append({"title": title, "detail": detail, "needs_photo": photo == "yes"})
    return steps


class CategoryForm(BoundedInput, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceCategory.Kind.choices)
    position = forms.IntegerField(label=_("Position"), initial=0)
    is_major_defect = forms.BooleanField(
        label=_("Major defect"),
        required=False,
        help_text=_("Every repair in this category is watched afterwards with inspections."),
    )

    def category_fields(self) -> dict:
        """What ``category_create``/``category_update`` take: all but the major-defect mark."""
        return {k: v for k, v in self.cleaned_data.items() if k != "is_major_defect"}
