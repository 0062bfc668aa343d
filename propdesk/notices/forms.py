from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DOCUMENT
from propdesk.customers.models import Building
from propdesk.org.models import Office
from propdesk.org.pickers import pick_office

from .models import Notice
from .selectors import NoticeFilters


class NoticeFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + Notice.State.choices
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All"))] + Notice.Category.choices
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects, empty_label=_("All offices")
    )
    pinned = forms.NullBooleanField(
        label=_("Pinned"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            del self.fields["office"]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def filters(self) -> NoticeFilters:
        if not self.is_valid():
            return NoticeFilters()
        data = self.cleaned_data
        office = data.get("office")
        return NoticeFilters(
            state=data["state"],
            category=data["category"],
            office=office.pk if office else None,
            pinned=data["pinned"],
            q=data["q"],
        )


def version_field():
    """The notice's version the form was rendered with, passed on to the service, which refuses
    the change if someone changed the notice meanwhile. Left out (an old page): no check."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class VersionForm(BoundedInput, forms.Form):
    """The version alone: the forms of actions that take no other input (publish, archive…)."""

    version = version_field()


class NoticeForm(BoundedInput, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Notice.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=TEXT_DOCUMENT, widget=forms.Textarea(attrs={"rows": 10})
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Notice.Scope.choices)
    office = forms.ModelChoiceField(
        label=_("Office"),
        required=False,
        queryset=Office.objects,
        empty_label=_("Choose an office…"),
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"),
        required=False,
        queryset=Building.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    by_board = forms.BooleanField(label=_("Notice board (printable poster)"), required=False)
    by_notification = forms.BooleanField(
        label=_("Notification to every customer in scope"), required=False
    )
    by_network = forms.BooleanField(label=_("Network (portal and public page)"), required=False)
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    urgent = forms.BooleanField(label=_("Urgent (sent even in quiet hours)"), required=False)
    version = version_field()  # editing only: a new notice has none

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
        buildings = Building.objects.select_related("community__office").order_by(
            "community__office__code", "community__name", "name"
        )
        if not user.is_company_role:
            del self.fields["office"]
            buildings = buildings.filter(community__office=user.office_id)
            self.fields["scope"].choices = [
                c for c in Notice.Scope.choices if c[0] != Notice.Scope.COMPANY
            ]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        self.fields["buildings"].queryset = buildings
        # Shown under their community: the building's own name is enough.
        self.fields["buildings"].label_from_instance = lambda building: building.name

    def building_groups(self) -> list[tuple[str, list, bool]]:
        """The buildings' checkboxes grouped by community (and office, for company roles), so a
        long list can be scanned and folded."""
        field = self.fields["buildings"]
        community_of = {
            b.pk: (
                f"{b.community.office.name} · {b.community.name}"
                if "office" in self.fields
                else b.community.name
            )
            for b in field.queryset
        }
        groups: dict[str, list] = {}
        for checkbox in self["buildings"]:
            pk = checkbox.data["value"]
            groups.setdefault(community_of.get(getattr(pk, "value", pk), ""), []).append(checkbox)
        return [
            (label, boxes, any(box.data["selected"] for box in boxes))
            for label, boxes in groups.items()
        ]

    @staticmethod
    def initial_for(notice: Notice | None) -> dict:
        if notice is None:
            return {"by_board": True, "by_network": True, "scope": Notice.Scope.OFFICE}
        return {
            **{
                name: getattr(notice, name)
                for name in NoticeForm.base_fields
                if name != "buildings"
            },
            "buildings": list(notice.buildings.all()),
        }

    def notice_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)  # passed as the service's expected_version
        if data.get("scope") != Notice.Scope.BUILDINGS:
            data["buildings"] = []
        if "office" not in self.fields or data.get("scope") == Notice.Scope.COMPANY:
            data.pop("office", None)
        return data


class ScheduleForm(VersionForm):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class ReviseForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=TEXT_DOCUMENT, widget=forms.Textarea(attrs={"rows": 10})
    )
    note = forms.CharField(label=_("What was corrected"), max_length=300, required=False)


class AttachmentForm(VersionForm):
    file = forms.FileField(label=_("PDF or image"))
