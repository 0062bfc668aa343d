"""The console's forum forms (M21). They only shape input: every rule is the service's, and its
refusal is shown on the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.complaints.models import Complaint
from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_NOTE
from propdesk.org.models import Department, Office
from propdesk.org.pickers import pick_office
from propdesk.tickets.models import Kind

from . import selectors, services
from .models import Post, Topic, Visibility

VIEWS = [
    ("", _("All posts")),
    (selectors.UNTRIAGED, _("Not triaged")),
    (selectors.UNANSWERED, _("Not answered")),
    (selectors.OVERDUE, _("Overdue")),
    (selectors.HELD, _("Held for review")),
    (selectors.REPORTED, _("Reported")),
]


class DeskFilterForm(BoundedInput, forms.Form):
    view = forms.ChoiceField(label=_("Show"), required=False, choices=VIEWS)
    q = forms.CharField(label=_("Title starts with"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All"))] + Topic.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Post.Kind.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + Visibility.choices
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects, empty_label=_("All offices")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_company_role:
            del self.fields["office"]
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def filters(self) -> selectors.PostFilters:
        if not self.is_valid():
            return selectors.PostFilters()
        data = self.cleaned_data
        office = data.get("office")
        return selectors.PostFilters(
            view=data["view"],
            q=data["q"],
            topic=data["topic"],
            kind=data["kind"],
            state=data["state"],
            office=office.pk if office else None,
        )


class VersionForm(BoundedInput, forms.Form):
    """The post's version the page was rendered with: a change made meanwhile is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, post: Post | None = None, **kwargs):
        if post is not None:
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": post.version}
        super().__init__(*args, **kwargs)


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.office.name} · {obj.name}" if obj.office_id else obj.name


class RouteForm(VersionForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("Choose an office…")
    )
    department = DepartmentChoice(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("The office's desk"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput)

    def __init__(self, *args, post: Post, user, **kwargs):
        kwargs["initial"] = {
            **kwargs.get("initial", {}),
            "office": post.office if post.office_id else None,
            "department": post.department_id,
        }
        super().__init__(*args, post=post, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(post)
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        if user.is_company_role:
            field = self.fields["office"]
            field.queryset = field.queryset.filter(company_id=post.company_id)
        self.fields["department"].queryset = selectors.departments_for(post)


class AnswerForm(BoundedInput, forms.Form):
    text = forms.CharField(
        label=_("Official reply"), max_length=TEXT_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )


class HideForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason (the author is told)"), widget=forms.TextInput, max_length=TEXT_NOTE
    )


class ReplyHideForm(BoundedInput, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.TextInput, max_length=TEXT_NOTE)


class ReportDismissForm(BoundedInput, forms.Form):
    """Dismissing one abuse report; the post's page has one per open report (no ids)."""

    note = forms.CharField(
        label=_("Why (optional)"),
        widget=forms.TextInput(attrs={"placeholder": _("Why (optional)")}),
        max_length=TEXT_NOTE,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["aria-label"] = self.fields["note"].label


class ConvertForm(VersionForm):
    into = forms.ChoiceField(
        label=_("Turn into"),
        choices=[
            (services.INTO_REQUEST, _("a request")),
            (services.INTO_COMPLAINT, _("a complaint")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        required=False,
        choices=[(k, Kind(k).label) for k in services.REQUEST_KINDS],
        initial=Kind.SERVICE,
    )
    category = forms.ChoiceField(
        label=_("Complaint category"),
        required=False,
        choices=Complaint.Category.choices,
        initial=Complaint.Category.OTHER,
    )


class WordForm(BoundedInput, forms.Form):
    word = forms.CharField(label=_("Word"), max_length=50)


class MeasureForm(BoundedInput, forms.Form):
    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end comes after the start."))
        return data
