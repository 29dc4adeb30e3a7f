from django.urls import path

from presence.org import views

app_name = "org"
urlpatterns = [
    path("offices/", views.office_list, name="office-list"),
    path("offices/new/", views.office_create, name="office-create"),
    path("offices/<slug:code>/", views.office_detail, name="office-detail"),
    path("offices/<slug:code>/edit/", views.office_edit, name="office-edit"),
    path("offices/<slug:code>/delete/", views.office_delete, name="office-delete"),
    path("regions/", views.region_list, name="region-list"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
