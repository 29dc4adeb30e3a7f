from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "presence.org"
    label = "org"
    verbose_name = _("Organization")
    navigation = [
        (_("Offices"), "org:office-list"),
        (_("Regions"), "org:region-list"),
    ]
