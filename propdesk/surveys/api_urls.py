"""The surveys API under /api/v1/: staff's under surveys/, the customer's under portal/surveys/."""

from .routes import analysis, answers, campaigns, followups

urlpatterns: list = [*campaigns.api, *answers.api, *analysis.api, *followups.api]
