from typing import Any

from django.apps import AppConfig
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "presence.org"
    label = "org"
    verbose_name = _("Organization")
    navigation = [
        (_("Offices"), "org:office-list"),
        (_("Regions"), "org:region-list"),
    ]

    def ready(self) -> None:
        from presence.core.guards import Guards, install
        from presence.org import access, services

        def check_delete(user: Any, record: models.Model) -> None:
            access.check(user, access.Action.DELETE, record)

        def is_global_admin(user: Any) -> bool:
            return access.is_superuser(user) or any(
                grant.role == "admin" and grant.is_global for grant in access.grants(user)
            )

        def token_user(raw: str) -> tuple[Any, str, bool] | None:
            token = services.token_authenticate(raw)
            return None if token is None else (token.user, token.name, token.can_write)

        install(
            Guards(
                check_delete=check_delete,
                moves=access.moves,
                check_move=access.check_move,
                is_global_admin=is_global_admin,
                token_user=token_user,
            )
        )
