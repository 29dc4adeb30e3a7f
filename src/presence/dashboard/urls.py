from django.urls import path

from presence.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/<str:code>/", views.region, name="region"),
    path("offices/<slug:code>/", views.office, name="office"),
]
