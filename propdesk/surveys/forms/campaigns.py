"""The console's forms for campaigns (M16). They shape input only: every rule (the deadline in
the future, one campaign per season, what may change once launched, which answers are valid) is
the service's, and its refusal is shown on the field it names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION

from ..models import Area, Campaign, Question, Questionnaire
from ..selectors.campaigns import CampaignFilters, latest_published


class CampaignFilterForm(BoundedInput, forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + Campaign.State.choices
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]

    def filters(self) -> CampaignFilters:
        if not self.is_valid():
            return CampaignFilters()
        return CampaignFilters(state=self.cleaned_data["state"], year=self.cleaned_data["year"])


def _deadline_field():
    # The browser's datetime-local input: local wall-clock time, to the minute.
    return forms.DateTimeField(
        label=_("Collection deadline"),
        help_text=_("Answers are taken until then, online and from paper."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class VersionForm(BoundedInput, forms.Form):
    """The campaign's version the page was rendered with (``core.forms.rendered_version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        if campaign is not None:
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": campaign.version}
        super().__init__(*args, **kwargs)


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class CampaignForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"))
    season = forms.ChoiceField(label=_("Season"), choices=Campaign.Season.choices)
    deadline = _deadline_field()
    audience = forms.ChoiceField(label=_("Invited"), choices=Campaign.Audience.choices)
    target_rate = forms.DecimalField(
        label=_("Target return rate"),
        max_digits=3,
        decimal_places=2,
        help_text=_("A share of the households, such as 0.60 for 60%."),
    )
    questionnaire = QuestionnaireChoiceField(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.filter(state=Questionnaire.State.PUBLISHED),
        required=False,
        empty_label=_("The latest published version"),
        help_text=_("The campaign asks this version for good; a draft cannot be asked."),
    )

    # What may change after creation, by state (``services.campaign_edit``).
    EDITABLE = {
        Campaign.State.DRAFT: ("title", "deadline", "audience", "target_rate"),
        Campaign.State.RUNNING: ("title", "deadline"),
    }

    def __init__(self, *args, campaign: Campaign | None = None, now=None, **kwargs):
        now = timezone.localtime(now or timezone.now())
        if campaign is not None:
            initial = {
                "title": campaign.title,
                "deadline": timezone.localtime(campaign.deadline),
                "audience": campaign.audience,
                "target_rate": campaign.target_rate,
            }
        else:
            latest = latest_published()
            initial = {
                "year": now.year,
                "season": Campaign.Season.JUNE if now.month <= 6 else Campaign.Season.NOVEMBER,
                "audience": Campaign.Audience.OWNERS,
                "target_rate": Campaign._meta.get_field("target_rate").default,
                "questionnaire": latest.pk if latest else None,
            }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, campaign=campaign, **kwargs)
        self.campaign = campaign
        if campaign is not None:
            keep = set(self.EDITABLE.get(campaign.state, ())) | {"version"}
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]

    def changes(self) -> dict:
        """The fields the page offered, as ``campaign_edit`` takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ParticipantSearchForm(BoundedInput, forms.Form):
    q = forms.CharField(
        label=_("Code, building, unit or name"), required=False, max_length=60, strip=True
    )


# --- typing in a paper questionnaire ----------------------------------------------------------


def _field_name(question: Question) -> str:
    return f"q{question.pk}"


class EntryForm(BoundedInput, forms.Form):
    """One paper questionnaire, typed in: its code, then one field per question in the order
    printed. A satisfaction answer is a digit 1–5; a choice, its option's number as printed; a
    multiple choice, its numbers (``13`` or ``1 3``); the opinion, text. The answers' rules are
    ``services.clean_answers``'s; this only turns the typed numbers into the options' values."""

    code = forms.CharField(label=_("Questionnaire code"), max_length=20)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[_field_name(question)] = self._field_for(question)
            self.fields[_field_name(question)].question = question

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        label = f"{question.position}. {question.display_text}"
        attrs = {"data-kind": question.kind, "autocomplete": "off"}
        if question.kind == Question.Kind.SCALE:
            attrs.update(inputmode="numeric", pattern="[1-5]", maxlength="1", size="2")
            return forms.CharField(
                label=label, required=False, max_length=1, widget=forms.TextInput(attrs=attrs)
            )
        if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTI):
            n = len(question.options)
            attrs.update(inputmode="numeric", size="6", maxlength=str(2 * n))
            attrs["data-options"] = str(n)
            return forms.CharField(
                label=label, required=False, max_length=2 * n, widget=forms.TextInput(attrs=attrs)
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=TEXT_DESCRIPTION,
            widget=forms.Textarea(attrs={**attrs, "rows": 2}),
        )

    def question_fields(self):
        return [self[_field_name(q)] for q in self.questions]

    def answers(self) -> dict:
        """The typed answers as the service takes them, {question id: value}; a number that is
        no option is refused on its field (the service would say the same)."""
        answers: dict = {}
        for question in self.questions:
            name = _field_name(question)
            raw = (self.cleaned_data.get(name) or "").strip()
            if not raw:
                continue
            if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTI):
                values = [o["value"] for o in question.options]
                digits = list(raw.replace(",", "").replace(" ", ""))
                if not all(c in "123456789" and int(c) <= len(values) for c in digits):
                    self.add_error(
                        name,
                        _("Type the option's number as printed, from 1 to %(n)s.")
                        % {"n": len(values)},
                    )
                    continue
                if question.kind == Question.Kind.CHOICE:
                    if len(digits) != 1:
                        self.add_error(name, _("Type one option's number."))
                        continue
                    answers[str(question.pk)] = values[int(digits[0]) - 1]
                else:
                    answers[str(question.pk)] = [values[int(c) - 1] for c in digits]
            else:
                answers[str(question.pk)] = raw
        return answers

    def add_service_error(self, err) -> None:
        """A refusal naming a question (``answers.<id>``) goes on its field; one naming the code
        or the household, on the code; anything else above the form."""
        field = err.field or ""
        if field.startswith("answers."):
            name = f"q{field.split('.', 1)[1]}"
            if name in self.fields:
                self.add_error(name, err.message)
                return
        if field in ("code", "participant"):
            self.add_error("code", err.message)
            return
        self.add_error(None, err.message)


# --- the questionnaire's draft ----------------------------------------------------------------


class QuestionnaireForm(BoundedInput, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    intro_en = forms.CharField(
        label=_("Introduction in English"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuestionForm(BoundedInput, forms.Form):
    """A draft's question. A choice's options are typed one a line, ``label | English label``;
    an option kept in its place keeps its value, so answers stay comparable across versions."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    text_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    area = forms.ChoiceField(
        label=_("Service area"),
        required=False,
        choices=[("", "—")] + Area.choices,
        help_text=_("Satisfaction questions only: the index is given per area."),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice questions only: one option a line, “label | English label”."),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    is_opinion = forms.BooleanField(
        label=_("Collects opinions and suggestions (called back)"), required=False
    )
    position = forms.IntegerField(label=_("Position"), required=False, min_value=1)

    def __init__(self, *args, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs["initial"] = {
                "kind": question.kind,
                "text": question.text,
                "text_en": question.text_en,
                "area": question.area,
                "required": question.required,
                "is_opinion": question.is_opinion,
                "options": "\n".join(
                    f"{o['label']} | {o.get('label_en', '')}".rstrip(" |") for o in question.options
                ),
            }
        super().__init__(*args, **kwargs)
        self.question = question
        if question is not None:
            del self.fields["position"]

    def question_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("position", None)
        kept = self.question.options if self.question is not None else []
        options = []
        for n, line in enumerate(row for row in data["options"].splitlines() if row.strip()):
            label, _sep, label_en = line.partition("|")
            option = {"label": label.strip(), "label_en": label_en.strip()}
            if n < len(kept):
                option["value"] = kept[n]["value"]
            options.append(option)
        data["options"] = options
        return data
