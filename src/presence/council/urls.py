from django.urls import path

from presence.council import views

app_name = "council"
urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("new/", views.document_create, name="document-create"),
    path("fields/", views.vocabulary, name="vocabulary"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("<int:pk>/versions/new/", views.version_create, name="version-create"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:pk>/delete/", views.version_delete, name="version-delete"),
    path("versions/<int:pk>/status/", views.version_transition, name="version-transition"),
    path("versions/<int:pk>/preview/", views.version_preview, name="version-preview"),
    path("versions/<int:pk>/document.<str:fmt>", views.version_download, name="version-download"),
]
