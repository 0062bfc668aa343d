"""Choosing an office or a member of staff from thousands: a text input that suggests matches.

A company sees every office (1,000 at the design scale) and every office's staff (~10 each), so
a ``<select>`` of them all is a page nobody can use and a query and 1,000 rendered options on
every page that has one. The console asks for them with a picker instead: a text input whose
suggestions (a ``<datalist>``) come from ``/console/pickers/offices/`` and ``…/staff/`` as one
types, at most ``LIMIT`` of them, searched within the user's scope (``core.scoping``). The
value sent is the office's code or the staff member's username, so without JavaScript one types
it; an old link's id is still read. The form checks the value, in scope, like any choice: a code
or a person the user may not see is simply not found.

Where the list is small (an office's own technicians) a form keeps its plain select: only
company-wide lists need a picker. ``pick_office`` and ``pick_staff`` put one in a form's field
for company roles and leave the select for the others.
"""

from django import forms
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.params import parse_id
from propdesk.core.scoping import scope_for

from .models import Office, User

LIMIT = 20  # suggestions per answer: enough to find one by its first letters
QUERY_MAX = 60  # longer text is no name or code; it is cut, not refused


# --- the reads: suggestions and the one chosen, in the user's scope ----------------------------


def offices_in_scope(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk")


def staff_in_scope(user, *, roles=None, office_id=None) -> QuerySet:
    """Active staff the user may see (office roles: their office's; company roles: everyone),
    of ``roles`` and of the office ``office_id`` when given."""
    qs = scope_for(User.objects.filter(is_active=True), user)
    if roles:
        qs = qs.filter(role__in=sorted(roles))
    if office_id:
        qs = qs.filter(office_id=office_id)
    return qs


def _named(qs: QuerySet, key: str, text: str):
    """The record of ``qs`` whose ``key`` is ``text`` (in any capitals), or whose id it is (an
    old link's), or None."""
    text = (text or "").strip()
    if not text or len(text) > QUERY_MAX:
        return None
    record = qs.filter(**{key: text}).first()
    if record is None:
        record = qs.filter(**{f"{key}__iexact": text}).first()
    if record is None and parse_id(text):
        record = qs.filter(pk=parse_id(text)).first()
    return record


def office_named(user, text: str) -> Office | None:
    """The office the user may see whose code (or id) ``text`` is."""
    return _named(offices_in_scope(user), "code", text)


def offices_matching(user, text: str, *, limit: int = LIMIT) -> list[Office]:
    """Offices whose code starts with ``text`` or whose name contains it, by code."""
    text = (text or "").strip()[:QUERY_MAX]
    qs = offices_in_scope(user)
    if text:
        qs = qs.filter(Q(code__istartswith=text) | Q(name__icontains=text))
    return list(qs.order_by("code")[:limit])


def staff_matching(
    user, text: str, *, roles=None, office_id=None, limit: int = LIMIT
) -> list[User]:
    """Staff whose username starts with ``text`` or whose name (family name first, as the
    console writes it) contains it, by office and name."""
    text = (text or "").strip()[:QUERY_MAX]
    qs = staff_in_scope(user, roles=roles, office_id=office_id).select_related("office")
    if text:
        qs = qs.annotate(full_name=Concat("last_name", Value(""), "first_name")).filter(
            Q(username__istartswith=text) | Q(full_name__icontains=text)
        )
    return list(qs.order_by("office__code", "last_name", "first_name", "pk")[:limit])


def office_label(office: Office) -> str:
    return f"{office.code} · {office.name}"


def staff_label(user: User) -> str:
    where = user.office.name if user.office_id else _("Company")
    return f"{user.display_name} · {where}"


# --- the field ---------------------------------------------------------------------------------


class PickerInput(forms.TextInput):
    """A text input with its suggestions' ``<datalist>``, filled by HTMX as one types, and the
    chosen record's label beside it."""

    template_name = "org/widgets/picker.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url_name = ""
        self.query = ""  # fixed parameters of the suggestions (the roles of the staff asked for)
        self.include = ""  # another field sent along with the text (the office for its staff)

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        label = attrs.pop("data-picked", "")
        context = super().get_context(name, value, attrs)
        url = reverse(self.url_name) + "?" + "&".join(filter(None, [self.query, f"field={name}"]))
        context["widget"].update(url=url, include=self.include, picked=label)
        return context


class _PickerBoundField(BoundField):
    def value(self):
        # The chosen record by its code or username, even when an old link named it by id.
        value = super().value()
        picked = self.field.picked(value)
        return getattr(picked, self.field.key) if picked is not None else value

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        # The chosen record's label, read once (or from the value the form just cleaned).
        picked = self.field.picked(self.value())
        if picked is not None:
            attrs["data-picked"] = self.field.label_of(picked)
        return attrs


class _PickerField(forms.ModelChoiceField):
    """A choice among a scoped queryset, typed or suggested. Subclasses say which field of the
    record the input carries (``key``) and how a record reads (``label_of``)."""

    widget = PickerInput
    key = "pk"
    url_name = ""

    def __init__(self, queryset, *, placeholder="", include="", **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, **kwargs)
        self.widget.url_name = self.url_name
        self.widget.include = include
        self.widget.attrs["placeholder"] = str(placeholder or self.help_placeholder)
        self.widget.attrs["title"] = str(self.help_placeholder)
        self.widget.attrs["maxlength"] = str(QUERY_MAX)
        self._found = {}  # text → record, so the page draws the label without a second read

    def get_bound_field(self, form, field_name):
        return _PickerBoundField(form, self, field_name)

    def find(self, text: str):
        """The record ``text`` names within the queryset, or None."""
        return _named(self.queryset, self.key, text)

    def to_python(self, value):
        if isinstance(value, self.queryset.model):
            return value
        text = str(value or "").strip()
        if text in self.empty_values:
            return None
        text = text.split(" · ", 1)[0].strip()  # a suggestion's label pasted whole
        if text not in self._found:
            self._found[text] = self.find(text)
        if self._found[text] is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return self._found[text]

    def prepare_value(self, value):
        if isinstance(value, self.queryset.model):
            self._found.setdefault(str(getattr(value, self.key)), value)
            return getattr(value, self.key)
        return value

    def picked(self, value):
        """The record the input shows, if it names one (for its label)."""
        if isinstance(value, self.queryset.model):
            return value
        text = str(value or "").strip().split(" · ", 1)[0].strip()
        if not text:
            return None
        if text not in self._found:
            self._found[text] = self.find(text)
        return self._found[text]

    def label_of(self, record) -> str:
        return str(record)


class OfficePickerField(_PickerField):
    key = "code"
    url_name = "console:pick_office"
    help_placeholder = _("Office code or name")
    default_error_messages = {
        "invalid_choice": _("No office you may see has this code: choose one of the suggestions.")
    }

    def label_of(self, record) -> str:
        return record.name


class StaffPickerField(_PickerField):
    key = "username"
    url_name = "console:pick_staff"
    help_placeholder = _("Name or username")
    default_error_messages = {
        "invalid_choice": _(
            "No staff member you may see has this username: choose one of the suggestions."
        )
    }

    def __init__(self, queryset, *, roles=None, **kwargs):
        super().__init__(queryset.select_related("office"), **kwargs)
        if roles:
            self.widget.query = "&".join(f"role={r}" for r in sorted(roles))

    def label_of(self, record) -> str:
        return staff_label(record)


# --- putting one in a form ---------------------------------------------------------------------


def pick_office(form, name: str, user, *, placeholder=None) -> None:
    """For a company role, ``form.fields[name]`` (an office choice) becomes a picker among every
    office, keeping its label, help and whether it is required; others keep their select of
    their own office (or the form has already removed it)."""
    if name not in form.fields or not getattr(user, "is_company_role", False):
        return
    old = form.fields[name]
    form.fields[name] = OfficePickerField(
        offices_in_scope(user),
        label=old.label,
        required=old.required,
        help_text=old.help_text,
        initial=old.initial,
        placeholder=placeholder or getattr(old, "empty_label", None) or "",
    )


def pick_staff(form, name: str, user, *, roles=None, office_field: str = "", placeholder=None):
    """For a company role, ``form.fields[name]`` (a staff choice) becomes a picker among every
    office's staff of ``roles``; with ``office_field``, the suggestions are of the office chosen
    in that field, when one is. Office roles keep their office's select."""
    if name not in form.fields or not getattr(user, "is_company_role", False):
        return
    old = form.fields[name]
    form.fields[name] = StaffPickerField(
        staff_in_scope(user, roles=roles),
        roles=roles,
        include=office_field,
        label=old.label,
        required=old.required,
        help_text=old.help_text,
        initial=old.initial,
        placeholder=placeholder or getattr(old, "empty_label", None) or "",
    )


class OfficePickForm(BoundedInput, forms.Form):
    """A page of one office (the duty roster): a company role picks which, shown by its code."""

    def __init__(self, *args, user, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"] = OfficePickerField(
            offices_in_scope(user), label=_("Office"), initial=office
        )
