"""The console's complaint pages, in the console's namespace ("console:complaints")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/measures/", views.measure_list, name="measures"),
    path("complaints/numbers/", views.complaint_numbers, name="complaint_numbers"),
    path("complaints/measures/<int:pk>/done/", views.measure_done, name="measure_done"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/respond/", views.complaint_respond, name="complaint_respond"),
    path("complaints/<int:pk>/escalate/", views.complaint_escalate, name="complaint_escalate"),
    path(
        "complaints/<int:pk>/reclassify/",
        views.complaint_reclassify,
        name="complaint_reclassify",
    ),
    path("complaints/<int:pk>/plan/", views.complaint_plan, name="complaint_plan"),
    path("complaints/<int:pk>/plans/<int:plan_pk>/report/", views.plan_report, name="plan_report"),
    path("complaints/<int:pk>/plans/<int:plan_pk>/accept/", views.plan_accept, name="plan_accept"),
    path("complaints/<int:pk>/plans/<int:plan_pk>/return/", views.plan_return, name="plan_return"),
    path("complaints/<int:pk>/resolve/", views.complaint_resolve, name="complaint_resolve"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/cause/", views.complaint_cause, name="complaint_cause"),
    path("complaints/<int:pk>/measures/", views.complaint_measure, name="complaint_measure"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
    path("complaints/<int:pk>/report/", views.complaint_report, name="complaint_report"),
    path("reports/", views.report_register, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
]
