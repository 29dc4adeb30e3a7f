from django.urls import path

from presence.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("iati/import/", views.iati_upload, name="iati-import"),
    path("iati/export", views.iati_export, name="iati-export"),
    path("templates/<slug:kind>.xlsx", views.sheet_template, name="sheet-template"),
    path("sheets/upload/", views.sheet_upload, name="sheet-upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/confirm/", views.sheet_confirm, name="sheet-confirm"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
