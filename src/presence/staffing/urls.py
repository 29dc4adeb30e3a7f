from django.urls import path

from presence.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.staffing_table, name="staffing-table"),
    path("measures/", views.measures_view, name="measures"),
    path("posts/", views.post_list, name="post-list"),
    path("posts/new/", views.post_create, name="post-create"),
    path("posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("posts/<int:pk>/actions/new/", views.post_action_create, name="post-action-create"),
    path(
        "posts/<int:pk>/actions/<int:action_pk>/delete/", views.post_action_delete, name="post-action-delete"
    ),
    path("recruitments/", views.recruitment_list, name="recruitment-list"),
    path("recruitments/new/", views.recruitment_create, name="recruitment-create"),
    path("recruitments/<int:pk>/", views.recruitment_detail, name="recruitment-detail"),
    path("recruitments/<int:pk>/edit/", views.recruitment_edit, name="recruitment-edit"),
    path("recruitments/<int:pk>/delete/", views.recruitment_delete, name="recruitment-delete"),
]
