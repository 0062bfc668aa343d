"""The console's survey pages, in the console's namespace."""

from .routes import analysis, answers, campaigns, followups

urlpatterns: list = [*campaigns.console, *answers.console, *analysis.console, *followups.console]
