"""The console's forms for the owners' committees (M22). They only shape input: every rule (an
owner as member, one chair, minutes only after the meeting, an action's owner and due date) is
the service's, and its refusal is shown on the field it names."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_DOCUMENT, TEXT_NOTE
from propdesk.org.models import Department, Office, User
from propdesk.org.pickers import pick_office

from .models import Action, Meeting, Seat, current_seats
from .selectors import ActionFilters, MeetingFilters


def _datetime_field(label, *, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def _date_field(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class _Versioned(BoundedInput, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    @property
    def expected_version(self):
        return self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None


class CommitteeForm(BoundedInput, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    established_on = _date_field(_("Established on"))


class SeatForm(_Versioned):
    customer = forms.IntegerField(
        label=_("Customer number"),
        min_value=1,
        help_text=_("The number on the customer's page (“Add to the committee” fills it in)."),
    )
    kind = forms.ChoiceField(label=_("Seat"), choices=Seat.Kind.choices)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (r.value, r.label) for r in (Seat.Role.MEMBER, Seat.Role.VICE_CHAIR, Seat.Role.CHAIR)
        ],
        required=False,
        help_text=_("For members; a representative has no role."),
    )
    term_from = _date_field(_("Term from"))
    term_to = _date_field(_("Term to"), required=False)


class SeatEditForm(_Versioned):
    role = forms.ChoiceField(label=_("Role"), choices=Seat.Role.choices)
    term_from = _date_field(_("Term from"))
    term_to = _date_field(_("Term to"), required=False)


class MeetingForm(_Versioned):
    planned_for = _datetime_field(_("Date and time"))
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One point a line."),
    )


class HoldForm(_Versioned):
    """Who came, when, the minutes, and the opinions raised (one a line)."""

    held_at = _datetime_field(_("Held at"))
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seats = forms.ModelMultipleChoiceField(
        label=_("Members and representatives present"),
        queryset=Seat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=TEXT_DOCUMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    opinions = forms.CharField(
        label=_("Opinions raised"),
        max_length=TEXT_DOCUMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One opinion a line; each becomes an item to act on or answer."),
    )

    def __init__(self, *args, meeting: Meeting, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            office_id=meeting.office_id, is_active=True
        ).order_by("last_name", "first_name", "pk")
        self.fields["seats"].queryset = (
            Seat.objects.filter(current_seats(day), committee_id=meeting.committee_id)
            .select_related("customer")
            .order_by("kind", "role", "pk")
        )
        self.fields["seats"].label_from_instance = lambda s: (
            f"{s.customer.name} · {s.get_role_display()}"
        )
        self.fields["staff"].label_from_instance = lambda u: u.display_name

    def opinion_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["opinions"].splitlines() if line.strip()]


class CancelForm(_Versioned):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MinutesForm(_Versioned):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=TEXT_DOCUMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )


class ItemForm(BoundedInput, forms.Form):
    text = forms.CharField(
        label=_("Opinion"),
        max_length=TEXT_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActForm(BoundedInput, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose who leads it…"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Choose a department…"),
    )
    due_on = _date_field(_("Due on"), required=False)

    def __init__(self, *args, office_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            office_id=office_id, is_active=True
        ).order_by("last_name", "first_name", "pk")
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["department"].queryset = Department.objects.filter(
            Q(office_id=office_id) | Q(office__isnull=True)
        ).order_by("name", "pk")


class AnswerForm(BoundedInput, forms.Form):
    answer = forms.CharField(
        label=_("Answer and its reason"),
        max_length=TEXT_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(_Versioned):
    text = forms.CharField(
        label=_("Progress"),
        max_length=TEXT_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )


class NoteForm(_Versioned):
    text = forms.CharField(
        label=_("Note"),
        max_length=TEXT_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingFilterForm(BoundedInput, forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *Meeting.State.choices]
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects, empty_label=_("All offices")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            del self.fields["office"]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def filters(self) -> MeetingFilters:
        if not self.is_valid():
            return MeetingFilters()
        data = self.cleaned_data
        office = data.get("office")
        return MeetingFilters(
            state=data["state"], office=office.pk if office else None, year=data["year"]
        )


class ActionFilterForm(BoundedInput, forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *Action.State.choices]
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects, empty_label=_("All offices")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            del self.fields["office"]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def filters(self) -> ActionFilters:
        if not self.is_valid():
            return ActionFilters()
        data = self.cleaned_data
        office = data.get("office")
        return ActionFilters(
            state=data["state"],
            office=office.pk if office else None,
            overdue=data["overdue"],
            mine=data["mine"],
        )
