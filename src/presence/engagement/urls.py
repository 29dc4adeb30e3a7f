from django.urls import path

from presence.engagement import views

app_name = "engagement"
urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event-delete"),
    path("stakeholders/", views.engagement_list, name="engagement-list"),
    path("stakeholders/new/", views.engagement_create, name="engagement-create"),
    path("stakeholders/<int:pk>/", views.engagement_detail, name="engagement-detail"),
    path("stakeholders/<int:pk>/edit/", views.engagement_edit, name="engagement-edit"),
    path("stakeholders/<int:pk>/delete/", views.engagement_delete, name="engagement-delete"),
    path("opportunities/", views.opportunity_list, name="opportunity-list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity-create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity-detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity-edit"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity-delete"),
    path("opportunities/<int:pk>/convert/", views.opportunity_convert, name="opportunity-convert"),
]
