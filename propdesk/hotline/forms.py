"""Console forms of the hotline. They only parse input; the services decide what is valid."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.complaints.models import Complaint
from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.customers import pickers
from propdesk.customers.models import Customer, Household
from propdesk.org.models import COMPANY_ROLES, Department, HotlineLine, Office, User
from propdesk.org.pickers import pick_office, pick_staff
from propdesk.tickets.models import Kind

from . import selectors
from .models import Call


def _line_label(line: HotlineLine) -> str:
    return f"{line.get_kind_display()} {line.display_number}"


def _datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


# The kinds of call the intake's switch offers, in its order, each with its shortcut (Alt+digit).
# An inquiry is answered on the spot; a complaint is heard and routed by the complaint intake
# (M17, M18); every other kind becomes a request.
INTAKE_KINDS = [
    Kind.INQUIRY,
    Kind.REPAIR,
    Kind.SERVICE,
    Kind.COMPLAINT,
    Kind.SUGGESTION,
    Kind.PRAISE,
]
REQUEST_KINDS = [Kind.REPAIR, Kind.SERVICE, Kind.SUGGESTION, Kind.PRAISE]

# The services name the caller's words after their own field; the form has one box for them.
SERVICE_FIELDS = {"summary": "description", "account": "description", "unit": "room"}


class CallIntakeForm(BoundedInput, forms.Form):
    """The call screen's one intake form: what the call is about (the switch), who calls, and
    what they said; the fields of the other kinds are ignored. Customer and household are
    rendered by the template from the recognised customers only; their querysets here serve
    validation (scoped to what the agent may see)."""

    kind = forms.ChoiceField(
        label=_("What the call is about"),
        widget=forms.RadioSelect,
        initial=Kind.INQUIRY,
        error_messages={"required": _("Choose what the call is about.")},
    )
    line = forms.ModelChoiceField(
        label=_("Line"),
        queryset=HotlineLine.objects.none(),
        required=False,
        empty_label=_("Choose the line"),
    )
    caller_number = forms.CharField(label=_("Caller number"), required=False, max_length=40)
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the customers shown.")},
    )
    household = forms.ModelChoiceField(
        label=_("Household"),
        queryset=Household.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the customer's households.")},
    )
    description = forms.CharField(
        label=_("What the caller says"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # An inquiry.
    answer = forms.CharField(
        label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A request.
    item = forms.ModelChoiceField(
        label=_("Service item"),
        queryset=ServiceItem.objects.none(),
        required=False,
        empty_label=_("No service item"),
        error_messages={"invalid_choice": _("Choose a service item from the list.")},
    )
    requested_deadline = _datetime_field(_("Deadline the customer asks for"), required=False)
    # A complaint (M17). Everything is optional here: the complaint intake says what is missing
    # (having listened, understanding, explanation...).
    listened = forms.BooleanField(label=_("I listened to the customer to the end"), required=False)
    understanding = forms.CharField(
        label=_("How you showed understanding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(
        label=_("The explanation you gave"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Complaint.Category.choices],
        required=False,
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Complaint.Severity.choices,
        initial=Complaint.Severity.GENERAL,
        required=False,
    )
    about_staff = forms.ModelMultipleChoiceField(
        label=_("Staff named"), queryset=User.objects.none(), required=False
    )
    about_department = forms.ModelChoiceField(
        label=_("Department named"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("No department"),
    )
    about_text = forms.CharField(label=_("About (in words)"), required=False, max_length=200)
    involves_compensation = forms.BooleanField(
        label=_("The customer claims economic compensation"), required=False
    )
    # Text: the intake reads the amount and says what is wrong with it.
    compensation_claimed = forms.CharField(
        label=_("Compensation claimed (CNY)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, user, office_id=None, can_file_complaint=True, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in INTAKE_KINDS if can_file_complaint or k != Kind.COMPLAINT]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        lines = selectors.lines_for(user)
        if office_id:
            lines = lines.filter(office_id=office_id)
            self.fields["line"].label_from_instance = _line_label
            # Switching to a complaint moves a typed-in call to the complaint line (M17).
            complaint_line = lines.filter(kind=HotlineLine.Kind.COMPLAINT).first()
            if complaint_line is not None:
                self.fields["line"].widget.attrs["data-complaint-line"] = complaint_line.pk
        self.fields["line"].queryset = lines
        self.fields["customer"].queryset = selectors.customers_for(user)
        self.fields["household"].queryset = selectors.households_for(user)
        self.fields["item"].queryset = (
            selectors.catalogue_for(office_id)
            if office_id
            else ServiceItem.objects.filter(is_active=True)
        )
        # The fee is shown while the customer is still on the phone (M10).
        self.fields["item"].label_from_instance = lambda i: f"{i.name} · {i.price_label}"
        # Whom a complaint may name: staff of the office or of the company (the intake checks).
        # (With no office in view, the company's own staff and departments only.)
        staff = User.objects.filter(Q(office_id=office_id) | Q(role__in=COMPANY_ROLES))
        departments = Department.objects.filter(office__isnull=True)
        if office_id:
            departments = Department.objects.filter(
                Q(office__isnull=True) | Q(office_id=office_id), company__offices=office_id
            )
        self.fields["about_staff"].queryset = staff.filter(is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["about_staff"].label_from_instance = lambda u: u.display_name
        self.fields["about_department"].queryset = departments.order_by("name", "pk")

    @property
    def chosen_kind(self) -> str:
        return self["kind"].value() or Kind.INQUIRY

    def add_service_error(self, err) -> None:
        """A service's refusal next to the field it names (the caller's words for its own
        ``summary`` or ``account``), else on the form as a whole."""
        field = SERVICE_FIELDS.get(err.field, err.field)
        self.add_error(field if field in self.fields else None, err.message)

    def service_kwargs(self) -> dict:
        """The service's keyword arguments for the kind chosen: ``call_log_inquiry``'s,
        ``call_to_complaint``'s or ``call_to_request``'s."""
        d, kind = self.cleaned_data, self.cleaned_data["kind"]
        intake = {
            "line": d["line"],
            "caller_number": d["caller_number"],
            "customer": d["customer"],
            "household": d["household"],
        }
        if kind == Kind.INQUIRY:
            return {**intake, "summary": d["description"], "answer": d["answer"]}
        if kind == Kind.COMPLAINT:
            return {
                **intake,
                "account": d["description"],
                "listened": d["listened"],
                "understanding": d["understanding"],
                "explanation": d["explanation"],
                "category": d["category"],
                "severity": d["severity"] or Complaint.Severity.GENERAL,
                "about_staff": list(d["about_staff"]),
                "about_department": d["about_department"],
                "about_text": d["about_text"],
                "involves_compensation": d["involves_compensation"],
                "compensation_claimed": d["compensation_claimed"].strip() or None,
            }
        return {
            **intake,
            "kind": kind,
            "item": d["item"],
            "description": d["description"],
            "requested_deadline": d["requested_deadline"],
        }


# --- the next steps on the call screen --------------------------------------------------------


class StepForm(BoundedInput, forms.Form):
    """Every step carries the request's version the agent saw, so a change made meanwhile is
    refused instead of overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def add_service_error(self, err) -> None:
        self.add_error(err.field if err.field in self.visible_names() else None, err.message)

    def visible_names(self) -> set[str]:
        return {name for name, field in self.fields.items() if not field.widget.is_hidden}


class ConfirmStepForm(StepForm):
    confirmation = forms.CharField(
        label=_("Content and requirements confirmed with the customer"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerStepForm(StepForm):
    answer = forms.CharField(
        label=_("Answer given to the customer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeeStepForm(StepForm):
    """The fee read out to the customer (M10) and their spoken answer, recorded at once."""

    accepted = forms.TypedChoiceField(
        label=_("The customer's answer"),
        choices=[("yes", _("Accepted")), ("no", _("Declined"))],
        coerce=lambda v: v == "yes",
        error_messages={"required": _("Say whether the customer accepted the fee.")},
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (CNY)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    answered_by_name = forms.CharField(label=_("Who answered"), required=False, max_length=60)

    SERVICE_FIELDS = {
        "lines[0].quantity": "quantity",
        "lines[0].unit_price": "unit_price",
        "lines": "quantity",
    }

    def add_service_error(self, err) -> None:
        field = self.SERVICE_FIELDS.get(err.field, err.field)
        self.add_error(field if field in self.visible_names() else None, err.message)


class DispatchStepForm(StepForm):
    technician = forms.ModelChoiceField(
        label=_("Technician"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of this office's technicians.")},
    )
    note = forms.CharField(label=_("Note for the technician"), required=False, max_length=500)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians


# --- an unknown caller becomes a customer, on the call ---------------------------------------

NO_ENTRANCE = "-"


class NewCallerForm(BoundedInput, forms.Form):
    """A new customer for the caller, living in a unit picked from the office's roster:
    community → building → entrance → room, each list loaded from the one before."""

    name = forms.CharField(label=_("Name"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Owner or tenant"),
        choices=Customer.Kind.choices,
        initial=Customer.Kind.OWNER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose owner or tenant.")},
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        max_length=200,
        help_text=_("One or several, separated by commas or spaces."),
    )
    community = forms.ChoiceField(
        label=_("Community"),
        required=False,
        error_messages={"invalid_choice": _("Choose a community from the list.")},
    )
    building = forms.ChoiceField(
        label=_("Building"),
        required=False,
        error_messages={"invalid_choice": _("Choose a building of the community.")},
    )
    entrance = forms.ChoiceField(
        label=_("Entrance"),
        required=False,
        error_messages={"invalid_choice": _("Choose an entrance of the building.")},
    )
    room = forms.ChoiceField(
        label=_("Room"),
        required=False,
        error_messages={"invalid_choice": _("Choose a room of the building and entrance.")},
    )

    def __init__(self, *args, user, office_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        data = self.data if self.is_bound else {}
        community = data.get("community") or self.initial.get("community")
        building = data.get("building") or self.initial.get("building")
        entrance = data.get("entrance") or self.initial.get("entrance")
        self.fields["community"].choices = community_choices(user, office_id)
        self.fields["building"].choices = building_choices(user, community)
        self.fields["entrance"].choices = entrance_choices(user, building)
        self.fields["room"].choices = room_choices(user, building, entrance)

    def clean(self):
        data = super().clean()
        if not self.errors.get("room") and not data.get("room"):
            missing = next(
                (f for f in ("community", "building", "entrance") if not data.get(f)), "room"
            )
            messages = {
                "community": _("Choose the community the customer lives in."),
                "building": _("Choose the building."),
                "entrance": _("Choose the entrance."),
                "room": _("Choose the room."),
            }
            if not self.errors.get(missing):
                self.add_error(missing, messages[missing])
        return data

    def add_service_error(self, err) -> None:
        field = SERVICE_FIELDS.get(err.field, err.field)
        self.add_error(field if field in self.fields else None, err.message)


def community_choices(user, office_id) -> list:
    return [("", _("Choose the community"))] + [
        (c.pk, c.name) for c in pickers.communities(user, office_id)
    ]


def building_choices(user, community) -> list:
    return [("", _("Choose the building"))] + [
        (b.pk, b.name) for b in pickers.buildings(user, community)
    ]


def entrance_choices(user, building) -> list:
    found = pickers.entrances(user, building)
    return [("", _("Choose the entrance"))] + [
        (e or NO_ENTRANCE, e or _("No entrance")) for e in found
    ]


def room_choices(user, building, entrance) -> list:
    entrance = "" if entrance == NO_ENTRANCE else (entrance or None)
    return [("", _("Choose the room"))] + [
        (u.pk, u.number) for u in pickers.rooms(user, building, entrance)
    ]


OUTCOME_CHOICES = [
    ("", _("Any outcome")),
    (selectors.OUTCOME_NONE, _("Not logged")),
    *Call.Outcome.choices,
]


class CallFilterForm(BoundedInput, forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    line_kind = forms.ChoiceField(
        label=_("Line"),
        choices=[("", _("All lines")), *HotlineLine.Kind.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *Call.State.choices], required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    handler = forms.TypedChoiceField(label=_("Handled by"), coerce=int, required=False)
    number = forms.CharField(label=_("Caller number"), required=False, max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(user)
        if user.office_id:
            del self.fields["office"]
            # Handlers to choose from: the office's staff, a dozen.
            staff = [(u.pk, u.display_name) for u in selectors.office_staff(user.office_id)]
            self.fields["handler"].choices = [("", _("Anyone")), *staff]
        else:
            # A company's 1,000 offices and their staff: typed or suggested (org.pickers),
            # the handlers suggested of the office chosen, if any.
            pick_office(self, "office", user)
            pick_staff(self, "handler", user, office_field="office", placeholder=_("Anyone"))

    def filters(self) -> selectors.CallFilters:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        office = d.get("office")
        return selectors.CallFilters(
            office=office.pk if office else None,
            line_kind=d.get("line_kind", ""),
            state=d.get("state", ""),
            outcome=d.get("outcome", ""),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            handler=getattr(d.get("handler"), "pk", d.get("handler")) or None,
            number=d.get("number", ""),
        )


class ShiftForm(BoundedInput, forms.Form):
    line = forms.ModelChoiceField(
        label=_("Line"), queryset=HotlineLine.objects.none(), empty_label=_("Choose the line")
    )
    staff = forms.ModelChoiceField(
        label=_("Staff"),
        queryset=User.objects.none(),
        empty_label=_("Choose a staff member"),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = HotlineLine.objects.filter(office=office)
        self.fields["line"].label_from_instance = _line_label
        self.fields["staff"].queryset = selectors.office_staff(office.pk)
        self.fields["staff"].label_from_instance = lambda u: u.display_name


class LineForm(BoundedInput, forms.Form):
    kind = forms.ChoiceField(label=_("Line"), choices=HotlineLine.Kind.choices)
    number = forms.CharField(label=_("Number"), max_length=40, required=False)
