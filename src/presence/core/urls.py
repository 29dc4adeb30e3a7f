from django.urls import path

from presence.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log_view, name="audit-log"),
]
