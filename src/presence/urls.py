"""Top-level URLs; each domain app contributes its own under its label."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from presence.api import api
from presence.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("core/", include("presence.core.urls")),
    path("org/", include("presence.org.urls")),
]

handler400 = "presence.core.views.bad_request"  # names a bad parameter; 413 for a body too large

for app in settings.DOMAIN_APPS:
    urlpatterns.append(path(f"{app.rsplit('.', 1)[1]}/", include(f"{app}.urls")))
