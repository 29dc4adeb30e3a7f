from django.urls import path

from presence.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("dashboard.<str:fmt>", views.dashboard_document, name="dashboard-document"),
]
