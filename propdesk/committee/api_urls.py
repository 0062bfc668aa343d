"""The committee API routes under /api/v1/: staff's, and the customer's under portal/."""

urlpatterns: list = []
