"""Console forms of the hotline. They only parse input; the services decide what is valid."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.complaints.models import Complaint
from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.core.params import parse_id
from propdesk.customers.models import Customer, Household
from propdesk.org.models import COMPANY_ROLES, Department, HotlineLine, Office, User
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


class LookupForm(BoundedInput, forms.Form):
    number = forms.CharField(label=_("Caller number"), required=False, max_length=40)


class _IntakeForm(BoundedInput, forms.Form):
    """What both ways of logging a call share: which line, which number, which customer.

    Customer and household are rendered by the template from the recognised customers only;
    their querysets here serve validation (scoped to what the agent may see).
    """

    line = forms.ModelChoiceField(
        label=_("Line"), queryset=HotlineLine.objects.none(), required=False
    )
    caller_number = forms.CharField(label=_("Caller number"), required=False, max_length=40)
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), required=False
    )
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False
    )

    def __init__(self, *args, user, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = selectors.lines_for(user)
        if office_id:
            lines = lines.filter(office_id=office_id)
        self.fields["line"].queryset = lines
        if office_id:
            self.fields["line"].label_from_instance = _line_label
        self.fields["customer"].queryset = selectors.customers_for(user)
        self.fields["household"].queryset = selectors.households_for(user)

    def intake_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "line": d["line"],
            "caller_number": d["caller_number"],
            "customer": d["customer"],
            "household": d["household"],
        }


class InquiryForm(_IntakeForm):
    summary = forms.CharField(
        label=_("What the caller asked"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(
        label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {**self.intake_kwargs(), "summary": d["summary"], "answer": d["answer"]}


# A complaint is not a kind of request the agent picks: it is heard and routed by the complaint
# intake (M17, M18), through "Record a complaint".
REQUEST_KINDS = [(value, label) for value, label in Kind.choices if value != Kind.COMPLAINT]


class RequestKindField(forms.ChoiceField):
    def validate(self, value):
        if value == Kind.COMPLAINT:
            raise ValidationError(
                _(
                    "A complaint is recorded with “Record a complaint”: it is heard and routed there."
                ),
                code="use_complaint_intake",
            )
        super().validate(value)


class RequestForm(_IntakeForm):
    kind = RequestKindField(label=_("Kind"), choices=REQUEST_KINDS, initial=Kind.REPAIR)
    item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("What the customer needs"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_deadline = _datetime_field(_("Deadline the customer asks for"), required=False)

    def __init__(self, *args, user, office_id=None, **kwargs):
        super().__init__(*args, user=user, office_id=office_id, **kwargs)
        items = (
            selectors.catalogue_for(office_id)
            if office_id
            else ServiceItem.objects.filter(is_active=True)
        )
        self.fields["item"].queryset = items
        # The fee is shown while the customer is still on the phone (M10).
        self.fields["item"].label_from_instance = lambda i: f"{i.name} · {i.price_label}"

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            **self.intake_kwargs(),
            "kind": d["kind"],
            "item": d["item"],
            "description": d["description"],
            "requested_deadline": d["requested_deadline"],
        }


class ComplaintForm(_IntakeForm):
    """M17: the complaint heard on the call. Everything is optional here: the complaint intake
    says what is missing (the account, having listened, understanding, explanation...)."""

    account = forms.CharField(
        label=_("The customer's account, in their words"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
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
        choices=[("", "—"), *Complaint.Category.choices],
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
        empty_label="—",
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

    def __init__(self, *args, user, office_id=None, **kwargs):
        super().__init__(*args, user=user, office_id=office_id, **kwargs)
        # Whom a complaint may name: staff of the office or of the company (the intake checks).
        # (With no office in view, the company's own staff and departments only.)
        staff = User.objects.filter(Q(office_id=office_id) | Q(role__in=COMPANY_ROLES))
        staff = staff.filter(is_active=True)
        departments = Department.objects.filter(office__isnull=True)
        if office_id:
            departments = Department.objects.filter(
                Q(office__isnull=True) | Q(office_id=office_id), company__offices=office_id
            )
        self.fields["about_staff"].queryset = staff.order_by("last_name", "first_name", "pk")
        self.fields["about_staff"].label_from_instance = lambda u: u.display_name
        self.fields["about_department"].queryset = departments.order_by("name", "pk")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            **self.intake_kwargs(),
            "account": d["account"],
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
        offices = selectors.offices_for(user)
        self.fields["office"].queryset = offices
        if user.office_id:
            del self.fields["office"]
        # Handlers to choose from: the staff of the office in view (none when all offices).
        office_id = user.office_id or self.data.get("office") or None
        staff = []
        if parse_id(office_id) and offices.filter(pk=parse_id(office_id)).exists():
            staff = [(u.pk, u.display_name) for u in selectors.office_staff(office_id)]
        self.fields["handler"].choices = [("", _("Anyone")), *staff]

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
            handler=d.get("handler") or None,
            number=d.get("number", ""),
        )


class ShiftForm(BoundedInput, forms.Form):
    line = forms.ModelChoiceField(label=_("Line"), queryset=HotlineLine.objects.none())
    staff = forms.ModelChoiceField(label=_("Staff"), queryset=User.objects.none())
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
