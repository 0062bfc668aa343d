"""Console forms: they only shape input; the services validate it and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.org.pickers import pick_office

from .models import MESSAGE_LANGUAGES, Customer

BLANK = [("", "—")]


class CustomerForm(BoundedInput, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Owner or tenant"), choices=Customer.Kind.choices)
    is_important = forms.BooleanField(label=_("Important customer"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CustomerEditForm(CustomerForm):
    """The facts, and how the customer asked to hear from us."""

    language = forms.ChoiceField(
        label=_("Language for messages"),
        choices=MESSAGE_LANGUAGES,
        required=False,
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    notify_by_sms = forms.BooleanField(label=_("Messages by SMS"), required=False)
    notify_by_email = forms.BooleanField(label=_("Messages by e-mail"), required=False)
    # The customer's version the form was rendered with: a change someone made meanwhile is
    # refused on the form instead of being overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CustomerCreateForm(CustomerForm):
    """A new customer: phone numbers and the unit they live in (from the office's roster)."""

    phones = forms.CharField(
        label=_("Phone numbers"),
        max_length=200,
        help_text=_("One or several, separated by commas or spaces."),
    )
    community = forms.ChoiceField(label=_("Community"), required=False)
    building = forms.CharField(label=_("Building"), max_length=50, required=False)
    entrance = forms.CharField(label=_("Entrance"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = BLANK + [(c.pk, str(c)) for c in communities]

    def clean(self):
        data = super().clean()
        address = [data.get("community"), data.get("building"), data.get("room")]
        if any(address) and not all(address):
            raise forms.ValidationError(
                _("For the address, give the community, the building and the room.")
            )
        return data


class PhoneForm(BoundedInput, forms.Form):
    number = forms.CharField(label=_("Phone number"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=20, required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class LinkHouseholdForm(BoundedInput, forms.Form):
    """Another unit the customer owns or rents, found by its address in the office."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    building = forms.CharField(label=_("Building"), max_length=50)
    entrance = forms.CharField(label=_("Entrance"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20)
    kind = forms.ChoiceField(label=_("Owner or tenant"), choices=Customer.Kind.choices)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


NEW_COMMUNITY = "new"


class RosterForm(BoundedInput, forms.Form):
    """An upload: the community from the office's roster, or a new one named as such."""

    office = forms.ChoiceField(label=_("Office"), required=False)
    community = forms.ChoiceField(
        label=_("Community"),
        help_text=_("The community the roster belongs to, from the office's roster."),
    )
    new_community = forms.CharField(
        label=_("New community's name"),
        max_length=120,
        required=False,
        help_text=_("Only when you chose “New community”: it is created with the import."),
    )
    file = forms.FileField(label=_("Roster (.xlsx)"))

    def __init__(self, *args, user, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        many_offices = user.is_company_role
        self.fields["community"].choices = [
            ("", "—"),
            *(
                (str(c.pk), f"{c.office} · {c.name}" if many_offices else c.name)
                for c in communities
            ),
            (NEW_COMMUNITY, _("New community…")),
        ]
        if many_offices:
            # A company's 1,000 offices: typed or suggested, among those it may act in.
            self.fields["office"].help_text = _("For a new community: the office it belongs to.")
            pick_office(self, "office", user)
        else:
            del self.fields["office"]

    def clean(self):
        data = super().clean()
        if data.get("community") == NEW_COMMUNITY:
            if not (data.get("new_community") or "").strip():
                self.add_error("new_community", _("Give the new community's name."))
        elif data.get("new_community"):
            self.add_error(
                "new_community",
                _("Choose “New community” to create one, or leave the name empty."),
            )
        return data

    def service_input(self) -> dict:
        data = self.cleaned_data
        new = data["community"] == NEW_COMMUNITY
        return {
            "community": None if new else data["community"],
            "new_community": data["new_community"] if new else "",
            "office": data["office"].pk if new and data.get("office") else None,
            "file": data["file"],
        }


class RosterConfirmForm(BoundedInput, forms.Form):
    """The preview's ticks: the buildings to create."""

    create_buildings = forms.MultipleChoiceField(
        label=_("Buildings to create"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["create_buildings"].choices = [(b, b) for b in buildings]
