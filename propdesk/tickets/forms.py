"""Console forms for requests. They parse and shape input; the services decide what is allowed.

Text fields that a service checks (an explanation, a reason...) are optional here, so the
customer-facing rule speaks with one voice: the service's message. The browser still asks for them
through the ``required`` attribute.
"""

import re
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.catalog.selectors import categories, items_for_office
from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.core.measures import MONTH, parse_period
from propdesk.core.params import MAX_ID
from propdesk.core.scoping import scope_for
from propdesk.customers.models import Customer, Household
from propdesk.org.models import Office, Role, User
from propdesk.org.pickers import pick_office, pick_staff
from propdesk.portal.forms import PhotosField

from .models import OPEN_STATUSES, Channel, Contact, Kind, Priority, Quote, ReworkSource, Status
from .revenue import RevenueFilters, month_range
from .selectors import TicketFilters

PER_PAGE_CHOICES = [(25, "25"), (50, "50"), (100, "100")]
OPEN = "open"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _text(label, *, rows=3, max_length=None):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "required": True}),
    )


def _datetime(label, *, required=False):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


def _channel(label=None):
    return forms.ChoiceField(
        label=label or _("Channel"), choices=Channel.choices, initial=Channel.HOTLINE
    )


class TechnicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ServiceItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.price_label}"


def office_technicians(office_id):
    """The active technicians a work order of this office can go to."""
    return User.objects.technicians_of(office_id).order_by("last_name", "first_name", "pk")


def office_items(office_id):
    """The catalogue an office offers: company-wide items plus its own."""
    return items_for_office(office_id)


# --- the request list -------------------------------------------------------------------------


class TicketFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Number, phone, name or building-room"), "autocomplete": "off"}
        ),
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    technician = TechnicianChoiceField(
        label=_("Technician"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # Set by "all requests" links on the customer and household pages.
    customer = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    household = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"), choices=PER_PAGE_CHOICES, coerce=int, required=False, empty_value=25
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            (OPEN, _("Open (any)")),
            *Status.choices,
        ]
        if user.is_company_role:
            # A company sees 1,000 offices and their technicians: it picks them by code and name
            # (org.pickers), suggested as it types: the technicians of the chosen office, if any.
            pick_office(self, "office", user)
            pick_staff(self, "technician", user, roles=[Role.TECHNICIAN], office_field="office")
        else:
            del self.fields["office"]
            self.fields["technician"].queryset = scope_for(
                User.objects.technicians(), user
            ).order_by("last_name", "first_name", "pk")

    def clean(self):
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> TicketFilters:
        data = self.cleaned_data
        status = data.get("status")
        return TicketFilters(
            office=data["office"].pk if data.get("office") else None,
            status=list(OPEN_STATUSES) if status == OPEN else ([status] if status else None),
            kind=data.get("kind") or None,
            channel=data.get("channel") or None,
            overdue=bool(data.get("overdue")),
            technician=data["technician"].pk if data.get("technician") else None,
            customer=data.get("customer"),
            household=data.get("household"),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            q=data.get("q") or "",
        )


# --- a new request ------------------------------------------------------------------------------


class RequestKindField(forms.ChoiceField):
    """The kinds a request is received as. A complaint is not offered: it is filed through the
    complaint intake (M17), which hears it and routes it. One posted anyway reaches the service,
    whose message says so."""

    def __init__(self, **kwargs):
        kinds = [(value, label) for value, label in Kind.choices if value != Kind.COMPLAINT]
        super().__init__(choices=kinds, **kwargs)

    def valid_value(self, value):
        return value == Kind.COMPLAINT or super().valid_value(value)


class ForCustomerMixin:
    """A form filed for one customer, chosen first: its ``customer``, ``household`` and
    ``idempotency_key`` fields are filled for them (the customer among those ``user`` may see,
    the household among theirs, the only one chosen already)."""

    def __init__(self, *args, user, customer, **kwargs):
        kwargs.setdefault("initial", {})
        # A double-click or a retried POST brings the same key back: the service returns the
        # record it made the first time instead of a second one.
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("customer", customer.pk)
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.fields["customer"].queryset = scope_for(Customer.objects.all(), user)
        households = Household.objects.of_customer(customer).select_related(
            "unit__building__community"
        )
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: h.address
        if len(households) == 1:
            self.fields["household"].initial = households[0].pk


class TicketCreateForm(BoundedInput, ForCustomerMixin, forms.Form):
    """The customer is chosen first (search, or ``?customer=``); the rest depends on them."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), widget=forms.HiddenInput, label=_("Customer")
    )
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=None, required=False, empty_label=_("—")
    )
    kind = RequestKindField(label=_("Kind"), initial=Kind.REPAIR)
    channel = _channel(_("Channel (how the request came in)"))
    item = ServiceItemChoiceField(
        label=_("Service item"), queryset=None, required=False, empty_label=_("— none —")
    )
    description = _text(_("What the customer needs"), rows=4, max_length=TEXT_DESCRIPTION)
    requested_deadline = _datetime(_("Deadline the customer asked for"))
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, user=user, customer=customer, **kwargs)
        self.fields["item"].queryset = office_items(customer.office_id)


# --- actions on a request ---------------------------------------------------------------------


class ActionForm(BoundedInput, forms.Form):
    """Every action carries the version the person saw, so a change made meanwhile is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, ticket, **kwargs):
        self.ticket = ticket
        super().__init__(*args, **kwargs)


class ConfirmForm(ActionForm):
    confirmation = _text(_("Content and requirements confirmed with the customer"))
    channel = _channel()


class AnswerForm(ActionForm):
    answer = _text(_("Answer given to the customer"), rows=4)
    channel = _channel()


class DeclineForm(ActionForm):
    explanation = _text(_("Explanation given to the customer (why it is outside our scope)"))
    channel = _channel()


class QuoteLineForm(BoundedInput, forms.Form):
    item = ServiceItemChoiceField(
        label=_("Item"), queryset=ServiceItem.objects.none(), required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0, max_digits=8, decimal_places=2, initial=1, required=False
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (CNY, optional)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )


QuoteLineFormSet = forms.formset_factory(QuoteLineForm, extra=3, max_num=20)


class QuoteForm(ActionForm):
    """The fee standard shown to the customer: one or more catalogue lines."""

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        data = args[0] if args else kwargs.get("data")
        initial = [{"item": ticket.item_id, "quantity": 1}] if ticket.item_id else None
        self.lines = QuoteLineFormSet(data, prefix="lines", initial=initial, auto_id=self.auto_id)
        items = office_items(ticket.office_id)
        for form in self.lines.forms:
            form.fields["item"].queryset = items

    def is_valid(self):
        return super().is_valid() and self.lines.is_valid()

    def _filled(self):
        return [form for form in self.lines.forms if form.cleaned_data.get("item")]

    def line_dicts(self) -> list[dict]:
        """The lines filled in, in order; blank rows are left out."""
        return [
            {
                "item": form.cleaned_data["item"],
                "quantity": form.cleaned_data.get("quantity") or 1,
                "unit_price": form.cleaned_data.get("unit_price"),
            }
            for form in self._filled()
        ]

    def add_service_error(self, err) -> None:
        """The service names a line as ``lines[i].field`` (i counts filled lines): put it there."""
        match = re.fullmatch(r"lines\[(\d+)\]\.(\w+)", err.field or "")
        filled = self._filled() if match else []
        if match and int(match[1]) < len(filled) and match[2] in filled[int(match[1])].fields:
            filled[int(match[1])].add_error(match[2], err.message)
        else:
            self.add_error(None, err.message)


class QuoteAnswerForm(ActionForm):
    accepted = _yes_no(_("Did the customer accept the fee?"))
    via = forms.ChoiceField(
        label=_("How"),
        choices=[
            (Quote.Via.PHONE, Quote.Via.PHONE.label),
            (Quote.Via.IN_PERSON, Quote.Via.IN_PERSON.label),
        ],
        widget=forms.RadioSelect,
        initial=Quote.Via.PHONE,
    )
    answered_by_name = forms.CharField(label=_("Who answered"), required=False, max_length=60)
    answered_at = _datetime(_("When (empty: now)"))

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["answered_by_name"].initial = ticket.customer.name


class DispatchForm(ActionForm):
    technician = TechnicianChoiceField(
        label=_("Technician"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note for the technician"), required=False, max_length=500)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["technician"].queryset = office_technicians(ticket.office_id)


class TransferForm(DispatchForm):
    note = None
    reason = _text(_("Why it moves to another technician"), rows=2)


class HandBackForm(ActionForm):
    reason = _text(_("Why the work order is handed back"), rows=2)


class StartForm(ActionForm):
    pass


class TickStepForm(ActionForm):
    step = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A plain file field: the service checks it is a real photo and says so in its own words.
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ExtendForm(ActionForm):
    new_due_at = _datetime(_("New deadline agreed with the customer"))
    reason = _text(_("Why more time is needed"), rows=2)
    contact_summary = _text(_("Proactive contact with the customer: what was said"), rows=2)
    channel = _channel(_("Contact channel"))
    customer_agreed = forms.BooleanField(
        label=_("The customer agreed to the new deadline"), required=False
    )


class ProposeExtensionForm(ActionForm):
    new_due_at = _datetime(_("Proposed new deadline"))
    reason = _text(_("Why more time is needed (the customer reads this)"), rows=2)


class CompleteForm(ActionForm):
    work_summary = _text(_("Work done"), rows=3)
    final_charge = forms.DecimalField(
        label=_("Final charge (CNY)"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    # Several photos from the camera or the gallery; the service checks each (size, real image).
    photos = PhotosField(label=_("Photos of the finished work"), required=False)

    def __init__(self, *args, ticket, accepted_total=None, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["final_charge"].initial = accepted_total if accepted_total is not None else 0


class SatisfactionForm(ActionForm):
    satisfied = _yes_no(_("Is the customer satisfied with the result?"))
    comment = forms.CharField(
        label=_("Customer's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = _channel()


# Where staff hear that a defect remains; the portal is the customer's own way in (M15).
STAFF_REWORK_SOURCES = [(v, label) for v, label in ReworkSource.choices if v != ReworkSource.PORTAL]


class ReworkForm(ActionForm):
    """M15: the customer says a defect remains after the repair."""

    complaint = _text(_("What defect remains, in the customer's words"), rows=3)
    complained_at = _datetime(_("When the customer complained (empty: now)"))
    source = forms.ChoiceField(
        label=_("Where the customer said it"),
        choices=STAFF_REWORK_SOURCES,
        initial=ReworkSource.HOTLINE,
    )
    technician = TechnicianChoiceField(
        label=_("Technician"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— the technician who did the work —"),
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["technician"].queryset = office_technicians(ticket.office_id)
        # The 24 hours run from the complaint: offer now, for the agent to move back if need be.
        self.fields["complained_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class CancelForm(ActionForm):
    reason = _text(_("Why the request is cancelled"), rows=2)
    sure = forms.BooleanField(
        label=_("Yes, cancel this request"),
        error_messages={"required": _("Tick the box to confirm the cancellation.")},
    )


class ContactForm(ActionForm):
    channel = _channel()
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Contact.Direction.choices, initial=Contact.Direction.OUTBOUND
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("From the request's status")), *Contact.Stage.choices],
        required=False,
    )
    summary = _text(_("Summary"), rows=2)


# --- the revenue report (M24) -----------------------------------------------------------------


class MonthField(forms.CharField):
    """A calendar month, ``2026-06`` (the browser's month picker), as a ``Period``."""

    widget = forms.DateInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-06.")}

    def __init__(self, **kwargs):
        super().__init__(max_length=7, **kwargs)

    def clean(self, value):
        value = super().clean(value)  # the text, its length checked
        if not value:
            return None
        period = parse_period(MONTH, value)
        if period is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return period


def revenue_items(office_id):
    """The paid and special items whose revenue may be asked for: company-wide ones and the
    office's own (every one ever offered, inactive too: their revenue stays)."""
    qs = ServiceItem.objects.filter(~Q(pricing=ServiceItem.Pricing.FREE) | Q(is_special=True))
    own = Q(office_id=office_id) if office_id else Q(pk__in=[])
    return (
        qs.filter(Q(office__isnull=True) | own)
        .select_related("category")
        .order_by("category__position", "category__name", "name", "pk")
    )


class RevenueFilterForm(BoundedInput, forms.Form):
    """The revenue report's filters: the office (company roles), a month range, a category or
    an item. A plain visit shows the last twelve months."""

    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("All")
    )
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("All")
    )
    item = ServiceItemChoiceField(
        label=_("Service"),
        queryset=ServiceItem.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, user, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        start, end = month_range(None, None, now=self.now)
        self.fields["start"].widget.attrs["placeholder"] = start.key
        self.fields["end"].widget.attrs["placeholder"] = end.key
        self.fields["category"].queryset = categories()
        office_id = user.office_id
        if user.is_company_role:
            pick_office(self, "office", user)
            # The chosen office's items too (read once: the field keeps what it found).
            picked = (
                self.fields["office"].picked(self.data.get("office")) if self.is_bound else None
            )
            office_id = picked.pk if picked else None
        else:
            del self.fields["office"]
        self.fields["item"].queryset = revenue_items(office_id)

    def filters(self):
        data = self.cleaned_data if self.is_bound else {}
        office = data.get("office")
        category, item = data.get("category"), data.get("item")
        start, end = month_range(data.get("start"), data.get("end"), now=self.now)
        return RevenueFilters(
            start=start,
            end=end,
            office=office.pk if office else None,
            category=category.pk if category else None,
            item=item.pk if item else None,
        )
