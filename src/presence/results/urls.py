from django.urls import path

from presence.results import views

app_name = "results"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/new/", views.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("indicators/<int:pk>/values/", views.indicator_value, name="indicator-value"),
    path("frameworks/<int:pk>/", views.framework_manage, name="framework-manage"),
    path("periods/", views.period_list, name="period-list"),
    path("projects/<str:code>/", views.project_results, name="project-results"),
    path("edit/<slug:kind>/new/", views.element_create, name="element-create"),
    path("edit/<slug:kind>/<int:pk>/", views.element_edit, name="element-edit"),
    path("edit/<slug:kind>/<int:pk>/delete/", views.element_delete, name="element-delete"),
    path("reviews/", views.review_inbox, name="review-inbox"),
    path("reviews/all/", views.review_list, name="review-list"),
    path("reviews/new/<int:period>/<str:kind>/<int:pk>/", views.review_create, name="review-create"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("reviews/<int:pk>/<str:step>/", views.review_transition, name="review-transition"),
    path("quarters/", views.quarter_latest, name="quarter-latest"),
    path("quarters/<int:year>/<int:quarter>/", views.quarter_overview, name="quarter-overview"),
    path("budget/", views.budget_allocation, name="budget-allocation"),
]
