"""The questionnaire as a plain HTML form, shared by the one-time link page and the portal: the
questions with their choices and the household's current answers, the answers read back from a
POST, and a refusal put next to the question it concerns. No JavaScript: any phone answers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.limits import TEXT_DESCRIPTION

from ..models import Question

Kind = Question.Kind

# The scale as the paper form prints it, most satisfied first (非常满意 … 非常不满意).
SCALE_LABELS = (
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Neutral")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
)


@dataclass
class Row:
    """One question as the page shows it."""

    question: Question
    value: object = None
    error: str = ""
    choices: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"q{self.question.pk}"

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def chosen(self) -> set[str]:
        """The chosen values as text, for checking boxes and radios."""
        if self.value is None:
            return set()
        values = self.value if isinstance(self.value, list) else [self.value]
        return {str(v) for v in values}


def rows_for(questions, values: dict | None = None, error: DomainError | None = None) -> list[Row]:
    values = values or {}
    rows = []
    for question in questions:
        row = Row(question=question, value=values.get(str(question.pk)))
        if question.kind == Kind.SCALE:
            row.choices = [(str(n), label) for n, label in SCALE_LABELS]
        elif question.kind in (Kind.CHOICE, Kind.MULTI):
            row.choices = question.display_options
        if error is not None and error.field == f"answers.{question.pk}":
            row.error = error.message
        rows.append(row)
    return rows


def general_error(rows: list[Row], error: DomainError | None) -> str:
    """A refusal that no question on the page carries, for the top of the page."""
    if error is None or any(row.error for row in rows):
        return ""
    return str(error.message)


def answers_from(post, questions) -> dict:
    """The answers as posted, by question id; the service checks them."""
    answers = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Kind.MULTI:
            answers[str(question.pk)] = post.getlist(name)
        else:
            answers[str(question.pk)] = post.get(name, "")
    return answers


def posted_version(post) -> int:
    """The response's version the page was rendered with: a change without it, or with an older
    one, is refused by the service rather than overwriting a change made meanwhile."""
    value = post.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else 0  # 0: refused as stale


TEXT_LIMIT = TEXT_DESCRIPTION
