"""The portal's survey pages, in the portal's namespace."""

from .routes import analysis, answers, campaigns, followups

urlpatterns: list = [*answers.portal, *campaigns.portal, *analysis.portal, *followups.portal]
