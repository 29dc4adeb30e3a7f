from django.urls import path

from presence.mandates import views

app_name = "mandates"
urlpatterns = [
    path("", views.mandate_list, name="mandate-list"),
    path("new/", views.mandate_create, name="mandate-create"),
    path("<int:pk>/", views.mandate_detail, name="mandate-detail"),
    path("<int:pk>/edit/", views.mandate_edit, name="mandate-edit"),
    path("<int:pk>/delete/", views.mandate_delete, name="mandate-delete"),
]
