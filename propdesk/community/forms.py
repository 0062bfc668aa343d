"""The console's forms for community activities (M07). They only shape input: every rule
(dates in the future, the open day's facilities, the office's communities, what may change
once published) is the service's, and its refusal is shown on the field it names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.customers.models import Community
from propdesk.org.models import Office
from propdesk.org.pickers import pick_office

from . import services
from .models import MAX_SEATS, Activity
from .selectors import ActivityFilters

WHEN_UPCOMING, WHEN_PAST = "upcoming", "past"


def _datetime_field(label, *, required=True, help_text=""):
    # The browser's datetime-local input: local wall-clock time, to the minute.
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def _to_the_minute(value):
    if hasattr(value, "replace") and hasattr(value, "second"):
        return timezone.localtime(value).replace(second=0, microsecond=0)
    return value


class ActivityFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + Activity.State.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Activity.Kind.choices
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects, empty_label=_("All offices")
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All")), (WHEN_UPCOMING, _("Upcoming")), (WHEN_PAST, _("Past"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            del self.fields["office"]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def filters(self) -> ActivityFilters:
        if not self.is_valid():
            return ActivityFilters()
        data = self.cleaned_data
        office = data.get("office")
        upcoming = {WHEN_UPCOMING: True, WHEN_PAST: False}.get(data["when"])
        return ActivityFilters(
            state=data["state"],
            kind=data["kind"],
            office=office.pk if office else None,
            upcoming=upcoming,
            q=data["q"],
        )


class CommunityChoiceField(forms.ModelChoiceField):
    with_office = False  # company roles choose among every office's communities

    def label_from_instance(self, obj):
        return f"{obj.office.name} · {obj.name}" if self.with_office else obj.name


class VersionForm(BoundedInput, forms.Form):
    """The activity's version the page was rendered with: a change made meanwhile by someone
    else refuses this one (409) instead of being overwritten. Empty: the last word wins."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        if activity is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**kwargs["initial"], "version": activity.version}
        super().__init__(*args, **kwargs)

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class ActivityForm(VersionForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects, empty_label=_("Choose an office…")
    )
    community = CommunityChoiceField(
        label=_("Community"),
        required=False,
        queryset=Community.objects.none(),
        empty_label=_("Every customer of the office"),
        help_text=_("Leave empty to invite every customer of the office."),
        # The same words the service uses when the community is another office's.
        error_messages={"invalid_choice": _("Choose a community of the activity's office.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    facilities = forms.CharField(
        label=_("Facilities to visit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required for the open day (“Getting to know our home”): the equipment rooms and "
            "other facilities customers will visit, one a line."
        ),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    registration_closes_at = _datetime_field(
        _("Registration closes at"),
        required=False,
        help_text=_("Leave empty to close registration when the activity starts."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        help_text=_("The number of people: each registration takes one to five places."),
        widget=forms.NumberInput(attrs={"min": 1}),
    )

    def __init__(self, *args, user, activity: Activity | None = None, **kwargs):
        if activity is not None:
            kwargs.setdefault("initial", self.initial_for(activity))
        super().__init__(*args, activity=activity, **kwargs)
        self.activity = activity
        communities = Community.objects.select_related("office").order_by("office__name", "name")
        with_office = False
        if activity is not None:
            # The office is the activity's for good; its communities are the choice.
            del self.fields["office"]
            communities = communities.filter(office=activity.office_id)
        elif user.is_company_role:
            with_office = True
            pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        else:
            del self.fields["office"]
            communities = communities.filter(office=user.office_id)
        self.fields["community"].queryset = communities
        self.fields["community"].with_office = with_office

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        initial = {name: getattr(activity, name) for name in services.FIELDS}
        # Closing when it starts is the default, shown as an empty field.
        if activity.registration_closes_at == activity.starts_at:
            initial["registration_closes_at"] = None
        return initial

    def activity_fields(self) -> dict:
        """The service's keyword arguments. When editing, only what the user changed: the form
        shows times to the minute, so an untouched time is not sent back as a new one."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.activity is None:
            return data
        initial = self.initial_for(self.activity)
        return {
            name: value
            for name, value in data.items()
            if _to_the_minute(value) != _to_the_minute(initial.get(name))
        }


class PublishForm(VersionForm):
    notify_customers = forms.BooleanField(
        label=_("Also send a message to every customer the activity is for"), required=False
    )


class CancelForm(VersionForm):
    # Not required here: the service says why a reason is needed, on this field.
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("Everyone registered or waiting is told, with this reason."),
    )


class FinishForm(VersionForm):
    pass


SEAT_CHOICES = [(n, str(n)) for n in range(1, MAX_SEATS + 1)]


class RegisterForm(BoundedInput, forms.Form):
    customer = forms.IntegerField(widget=forms.HiddenInput)
    seats = forms.TypedChoiceField(label=_("People"), coerce=int, choices=SEAT_CHOICES, initial=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FeedbackForm(BoundedInput, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[
            (5, _("5 – excellent")),
            (4, _("4 – good")),
            (3, _("3 – fair")),
            (2, _("2 – poor")),
            (1, _("1 – very poor")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
