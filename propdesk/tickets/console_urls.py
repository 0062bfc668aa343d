from django.urls import path

from . import views

urlpatterns = [
    path("requests/", views.ticket_list, name="ticket_list"),
    path("requests/new/", views.ticket_new, name="ticket_new"),
    path(
        "requests/new/customers/",
        views.ticket_customer_search,
        name="ticket_customer_search",
    ),
    path("requests/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("requests/<int:pk>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("workorders/<int:pk>/", views.workorder, name="workorder"),
    path("workorders/<int:pk>/tick/", views.workorder_tick, name="workorder_tick"),
    path("revenue/", views.revenue_page, name="revenue"),
    path("revenue/export/", views.revenue_export, name="revenue_export"),
]
