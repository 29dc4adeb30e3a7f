from django.urls import path

from presence.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<str:code>/", views.project_detail, name="project-detail"),
    path("projects/<str:code>/edit/", views.project_edit, name="project-edit"),
    path("projects/<str:code>/delete/", views.project_delete, name="project-delete"),
    path("projects/<str:code>/countries/", views.project_countries, name="project-countries"),
    path("projects/<str:code>/<slug:kind>/new/", views.child_create, name="child-create"),
    path("projects/<str:code>/<slug:kind>/<int:pk>/edit/", views.child_edit, name="child-edit"),
    path("projects/<str:code>/<slug:kind>/<int:pk>/delete/", views.child_delete, name="child-delete"),
    path("funding/", views.funding_list, name="funding-list"),
    path("table1/", views.table1, name="table1"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("reporting/", views.reporting, name="reporting"),
    path("exchange-rates/", views.exchange_rates, name="exchange-rates"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("contributions/", views.contribution_list, name="contribution-list"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="agreement-delete"),
    path("<slug:kind>/<int:pk>/edit/", views.shared_edit, name="shared-edit"),
    path("<slug:kind>/<int:pk>/delete/", views.shared_delete, name="shared-delete"),
]
