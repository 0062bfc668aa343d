"""The console's forms for survey follow-ups and public replies (M16). They shape input only:
what is required, who may take a follow-up and when a reply may be published are the services'
rules, and their refusals are shown on the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.org.models import Office
from propdesk.org.pickers import pick_office
from propdesk.tickets.models import Kind

from ..models import FollowUp, PublicReply
from ..selectors.followups import FollowUpFilters, campaigns_with_followups
from ..services.followups import REQUEST_KINDS


def _datetime_field(label, *, required=True):
    # The browser's datetime-local input: local wall-clock time, to the minute.
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class FollowUpFilterForm(BoundedInput, forms.Form):
    q = forms.CharField(label=_("Code, room or name"), required=False, max_length=40)
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + FollowUp.Kind.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + FollowUp.State.choices
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("All"))] + [
            (c.pk, c.title) for c in campaigns_with_followups()[:20]
        ]

    def filters(self) -> FollowUpFilters:
        if not self.is_valid():
            return FollowUpFilters()
        return FollowUpFilters(**self.cleaned_data)


class VersionForm(BoundedInput, forms.Form):
    """The follow-up's version the page was rendered with (``core.forms.rendered_version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, followup: FollowUp | None = None, **kwargs):
        if followup is not None:
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": followup.version}
        super().__init__(*args, **kwargs)


class RecordForm(VersionForm):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=TEXT_DESCRIPTION,
        required=False,  # the service says what is missing, on this field
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the customer said and what was agreed."),
    )
    planned_for = _datetime_field(_("Visit took place at"), required=False)


class PlanForm(VersionForm):
    planned_for = _datetime_field(_("Visit planned for"), required=False)


class AssignForm(VersionForm):
    assigned_to = forms.ModelChoiceField(
        label=_("Assign to"), required=False, queryset=None, empty_label=_("Nobody yet")
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = choices
        self.fields["assigned_to"].label_from_instance = lambda u: u.display_name


class OpenRequestForm(VersionForm):
    what = forms.ChoiceField(
        label=_("Open"),
        choices=[("request", _("A request")), ("complaint", _("A complaint"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        required=False,
        choices=[(k, Kind(k).label) for k in REQUEST_KINDS],
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Prefilled from the household's answers; change it as you need."),
    )


class ReplyForm(BoundedInput, forms.Form):
    topic = forms.CharField(
        label=_("Issue"),
        max_length=PublicReply._meta.get_field("topic").max_length,
        required=False,
        help_text=_("The issue many households raised, such as 电梯 or 停车."),
    )
    title = forms.CharField(label=_("Notice title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Reply"),
        max_length=TEXT_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    office = forms.ModelChoiceField(
        label=_("To the customers of"),
        required=False,
        queryset=Office.objects.order_by("code"),
        empty_label=_("The whole company"),
    )
    by_notification = forms.BooleanField(label=_("Also send as a message"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            # A director answers his own office's customers.
            self.fields["office"].queryset = Office.objects.filter(pk=user.office_id)
            self.fields["office"].empty_label = None
        # A company's 1,000 offices: typed or suggested; empty, the whole company.
        pick_office(self, "office", user)
