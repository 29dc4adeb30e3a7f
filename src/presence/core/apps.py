from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "presence.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth import signals

        from presence.core import auth

        signals.user_logged_in.connect(auth.on_logged_in, dispatch_uid="presence_audit_login")
        signals.user_logged_out.connect(auth.on_logged_out, dispatch_uid="presence_audit_logout")
        signals.user_login_failed.connect(auth.on_login_failed, dispatch_uid="presence_audit_login_failed")
