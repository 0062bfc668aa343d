"""Console forms for complaints. They parse and shape input; the services decide what is allowed.

Text that a service checks (the account, a reason, an explanation...) is optional here, so the
person reads one voice: the service's message, on the field it names. The browser still asks for
it through the ``required`` attribute where it is always needed.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_DOCUMENT
from propdesk.core.permissions import allowed
from propdesk.customers.models import Customer
from propdesk.org.models import COMPANY_ROLES, Department, Office, User
from propdesk.org.pickers import pick_office
from propdesk.tickets.forms import ForCustomerMixin
from propdesk.tickets.models import Channel

from . import rules
from .models import Complaint, CorrectiveActionReport
from .selectors import ComplaintFilters

State, Owner, Severity = Complaint.State, Complaint.Owner, Complaint.Severity
OPEN, CLOSED = "open", "closed"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SEVERITY_HELP = _(
    "Major: an injury or a safety risk, the media or the government involved, five or more "
    "households, the same complaint again within 90 days, or compensation over ¥5,000. "
    "A compensation claim or a complaint against the director is at least serious."
)


def live_help() -> str:
    """Which channels must record how the complaint was heard (rules.LIVE_CHANNELS)."""
    live = [str(label) for value, label in Channel.choices if value in rules.LIVE_CHANNELS]
    return _(
        "Heard in person or by phone (%(channels)s): tick that you listened to the end, and "
        "note the understanding shown and the explanation given."
    ) % {"channels": ", ".join(live)}


def _text(label, *, rows=3, required_attr=True, help_text="", max_length=None):
    attrs = {"rows": rows, **({"required": True} if required_attr else {})}
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs=attrs),
    )


def _datetime(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def _money(label):
    # Text, not a number field: the service parses yuan and says what is wrong in one voice.
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _maybe(label, yes, no, unknown):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", unknown), ("yes", yes), ("no", no)],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )


def _channels(*, portal=False):
    return [c for c in Channel.choices if portal or c[0] != Channel.PORTAL]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _staff_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _staff_label(obj)


def _staff_label(user) -> str:
    where = user.office.name if user.office_id else _("Company")
    return f"{user.display_name} · {user.get_role_display()} · {where}"


def staff_of(office_id):
    """Who a complaint of this office may name or give a measure to: the office's staff and
    the company's (the services check it again)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(office_id=office_id) | Q(role__in=sorted(COMPANY_ROLES)))
        .select_related("office")
        .order_by(F("office_id").asc(nulls_last=True), "role", "last_name", "first_name", "pk")
    )


# --- the desk ---------------------------------------------------------------------------------


class ComplaintFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Number or customer name"), "autocomplete": "off"}
        ),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *State.choices]
    )
    owner = forms.ChoiceField(
        label=_("Handled by"), required=False, choices=[("", _("All")), *Owner.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Severity.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Complaint.Category.choices]
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        required=False,
        queryset=Office.objects.none(),
        empty_label=_("All offices"),
    )
    open = forms.ChoiceField(
        label=_("Open or closed"),
        required=False,
        choices=[("", _("Open and closed")), (OPEN, _("Open")), (CLOSED, _("Closed"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_company_role:
            pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        else:
            del self.fields["office"]

    def filters(self) -> ComplaintFilters:
        data = self.cleaned_data
        office = data.get("office")
        is_open = {OPEN: True, CLOSED: False}.get(data.get("open") or "")
        return ComplaintFilters(
            state=data.get("state") or "",
            owner=data.get("owner") or "",
            severity=data.get("severity") or "",
            category=data.get("category") or "",
            office=office.pk if office else None,
            open=is_open,
            q=(data.get("q") or "").strip(),
        )


# --- intake (M17) -------------------------------------------------------------------------------


class ComplaintForm(BoundedInput, ForCustomerMixin, forms.Form):
    """The customer is chosen first (``?customer=`` or a search); the rest depends on them."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), widget=forms.HiddenInput, label=_("Customer")
    )
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=None, required=False, empty_label=_("—")
    )
    channel = forms.ChoiceField(
        label=_("Channel (how the complaint came in)"),
        choices=_channels(),
        initial=Channel.HOTLINE,
    )
    account = _text(
        _("The customer's account, in their own words"), rows=5, max_length=TEXT_DESCRIPTION
    )
    # Required for a live channel (rules.LIVE_CHANNELS): the service says so; the page too.
    listened = forms.BooleanField(label=_("I listened to the customer to the end"), required=False)
    understanding = _text(_("How understanding was shown"), required_attr=False)
    explanation = _text(_("Explanation given"), required_attr=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Complaint.Category.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        initial=Severity.GENERAL,
        help_text=SEVERITY_HELP,
    )
    about_staff = StaffMultipleChoiceField(
        label=_("Staff named"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "They will not see the complaint. A complaint against the office director goes to "
            "company leadership."
        ),
    )
    about_department = forms.ModelChoiceField(
        label=_("Department named"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("—"),
    )
    about_text = forms.CharField(label=_("About (in words)"), required=False, max_length=200)
    involves_compensation = forms.BooleanField(
        label=_("The customer claims economic compensation"),
        required=False,
        help_text=_("A complaint claiming compensation goes to company leadership."),
    )
    compensation_claimed = _money(_("Compensation claimed (CNY)"))
    requested_deadline = _datetime(_("Deadline the customer asked for"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, user=user, customer=customer, **kwargs)
        self.fields["about_staff"].queryset = staff_of(customer.office_id)
        self.fields["about_department"].queryset = Department.objects.filter(
            Q(office__isnull=True) | Q(office_id=customer.office_id),
            company_id=customer.office.company_id,
        ).order_by("office_id", "name")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["about_staff"] = list(data["about_staff"])
        data["compensation_claimed"] = (data["compensation_claimed"] or "").strip() or None
        data["idempotency_key"] = data["idempotency_key"] or None
        return data


# --- actions on a complaint ---------------------------------------------------------------------


class ActionForm(BoundedInput, forms.Form):
    """One action on the complaint's page; knows the complaint and who acts."""

    def __init__(self, *args, complaint, user, **kwargs):
        self.complaint, self.user = complaint, user
        super().__init__(*args, **kwargs)


class RespondForm(ActionForm):
    understanding = _text(_("How understanding was shown"))
    explanation = _text(_("Explanation given"))
    channel = forms.ChoiceField(label=_("Channel"), choices=_channels(), initial=Channel.HOTLINE)


class EscalateForm(ActionForm):
    reason = _text(_("Why it is passed up"))


class ReclassifyForm(ActionForm):
    reason = _text(_("Why it is reclassified"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)
    about_staff = StaffMultipleChoiceField(
        label=_("Staff named"), queryset=User.objects.none(), required=False
    )
    involves_compensation = forms.BooleanField(
        label=_("The customer claims economic compensation"), required=False
    )
    compensation_claimed = _money(_("Compensation claimed (CNY)"))

    def __init__(self, *args, complaint, user, **kwargs):
        self.current_staff = list(complaint.about_staff.all())
        kwargs.setdefault(
            "initial",
            {
                "severity": complaint.severity,
                "about_staff": [u.pk for u in self.current_staff],
                "involves_compensation": complaint.involves_compensation,
                "compensation_claimed": complaint.compensation_claimed or "",
            },
        )
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        if not allowed(user, "complaint.reclassify"):
            del self.fields["severity"]  # only Quality and leadership change it
        self.fields["about_staff"].queryset = staff_of(complaint.office_id)

    def changes(self) -> dict:
        """Only what differs from the complaint now: the service then changes only that."""
        data, complaint, out = self.cleaned_data, self.complaint, {}
        if data.get("severity") and data["severity"] != complaint.severity:
            out["severity"] = data["severity"]
        named = list(data.get("about_staff") or [])
        if {u.pk for u in named} != {u.pk for u in self.current_staff}:
            out["about_staff"] = named
        claimed = (data.get("compensation_claimed") or "").strip()
        try:
            same_amount = (Decimal(claimed) if claimed else None) == complaint.compensation_claimed
        except InvalidOperation:
            same_amount = False  # the service says what is wrong with it
        if data["involves_compensation"] != complaint.involves_compensation or not same_amount:
            out["involves_compensation"] = data["involves_compensation"]
            out["compensation_claimed"] = claimed or None
        return out


class PlanForm(ActionForm):
    plan = _text(_("The corrective plan"), rows=4)
    due_at = _datetime(_("To be done by"))


class PlanReportForm(ActionForm):
    report = _text(_("What the office has done"), rows=4)


class PlanReturnForm(ActionForm):
    reason = _text(_("What is still to be done"))


class EmptyForm(ActionForm):
    """A button alone (accept a plan)."""


class ResolveForm(ActionForm):
    resolution = _text(_("How the complaint was resolved"), rows=4)
    compensation_agreed = _money(_("Compensation agreed (CNY)"))

    def __init__(self, *args, complaint, user, **kwargs):
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        if not complaint.involves_compensation:
            del self.fields["compensation_agreed"]


class AnswerForm(ActionForm):
    summary = _text(_("What the customer was told"), rows=4)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=_channels(portal=True), initial=Channel.HOTLINE
    )
    reached = forms.BooleanField(label=_("The customer was reached"), required=False, initial=True)
    satisfied = _maybe(
        _("The customer's verdict"), _("Satisfied"), _("Not satisfied"), _("Not asked")
    )


class CauseForm(ActionForm):
    cause_category = forms.ChoiceField(
        label=_("Cause"), choices=[("", "—"), *Complaint.Cause.choices], required=False
    )
    analysis = _text(_("Cause analysis"), rows=4, max_length=TEXT_DESCRIPTION)
    substantiated = _maybe(
        _("Was the complaint substantiated?"), _("Yes"), _("No"), _("Not determined")
    )

    def __init__(self, *args, complaint, user, **kwargs):
        substantiated = {True: "yes", False: "no"}.get(complaint.substantiated, "")
        kwargs.setdefault(
            "initial",
            {
                "cause_category": complaint.cause_category,
                "analysis": complaint.cause_analysis,
                "substantiated": substantiated,
            },
        )
        super().__init__(*args, complaint=complaint, user=user, **kwargs)


class MeasureForm(ActionForm):
    description = _text(_("Preventive measure"))
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, complaint, user, **kwargs):
        kwargs.setdefault("initial", {"owner": user.pk})
        super().__init__(*args, complaint=complaint, user=user, **kwargs)
        self.fields["owner"].queryset = staff_of(complaint.office_id).exclude(
            complaints_about=complaint
        )


def version_field():
    """The version of the measure or report the page showed: a step taken on an older one is
    refused (``core.forms.rendered_version``)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RecordVersionForm(BoundedInput, forms.Form):
    """The version alone: submitting and approving a report take nothing else."""

    version = version_field()


class MeasureDoneForm(BoundedInput, forms.Form):
    note = forms.CharField(label=_("How it was done"), required=False, max_length=300)
    version = version_field()
    next = forms.ChoiceField(
        choices=[("measures", "measures"), ("complaint", "complaint")],
        required=False,
        widget=forms.HiddenInput,
    )


# --- the corrective action report (M20) --------------------------------------------------------


class ReportForm(BoundedInput, forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    facts = _text(_("Facts"), rows=4, required_attr=False, max_length=TEXT_DOCUMENT)
    cause = _text(_("Cause"), rows=4, required_attr=False, max_length=TEXT_DOCUMENT)
    correction = _text(_("Correction"), rows=4, required_attr=False, max_length=TEXT_DOCUMENT)
    prevention = _text(_("Prevention"), rows=4, required_attr=False, max_length=TEXT_DOCUMENT)
    verification = _text(_("Verification"), rows=4, required_attr=False, max_length=TEXT_DOCUMENT)

    @staticmethod
    def initial_for(report) -> dict:
        if report is None:
            return {}
        return {name: getattr(report, name) for name in ("title", *CorrectiveActionReport.SECTIONS)}

    def sections(self) -> dict:
        return {name: self.cleaned_data[name] for name in CorrectiveActionReport.SECTIONS}


class ReportReturnForm(BoundedInput, forms.Form):
    reason = _text(_("What the report needs"))
    version = version_field()


class RegisterFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Report number or words in it")}),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        required=False,
        queryset=Office.objects.order_by("code"),
        empty_label=_("All offices"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Every member of staff reads the register; a company picks among its 1,000 offices.
        pick_office(self, "office", user)


class PeriodForm(BoundedInput, forms.Form):
    """A period of days, by the date complaints were received (local dates, both included)."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    DEFAULT_DAYS = 30

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        if data["start"] > data["end"]:
            self.add_error("start", _("The period must start before it ends."))
        elif (data["end"] - data["start"]).days > 366:
            self.add_error("start", _("Choose a period of at most a year."))
        return data

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        midnight = dt.time.min
        return (
            timezone.make_aware(dt.datetime.combine(start, midnight)),
            timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), midnight)),
        )
