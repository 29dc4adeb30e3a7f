"""Pages: projects and their records, Table 1 with drill-down and downloads, reconciliation, shared lists.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.portfolio.views.contributions import agreement_create as agreement_create
from presence.portfolio.views.contributions import agreement_delete as agreement_delete
from presence.portfolio.views.contributions import agreement_detail as agreement_detail
from presence.portfolio.views.contributions import agreement_edit as agreement_edit
from presence.portfolio.views.contributions import agreement_list as agreement_list
from presence.portfolio.views.contributions import contribution_list as contribution_list
from presence.portfolio.views.contributions import partner_detail as partner_detail
from presence.portfolio.views.lists import SHARED as SHARED
from presence.portfolio.views.lists import SharedKind as SharedKind
from presence.portfolio.views.lists import exchange_rates as exchange_rates
from presence.portfolio.views.lists import partners as partners
from presence.portfolio.views.lists import reporting as reporting
from presence.portfolio.views.lists import shared_delete as shared_delete
from presence.portfolio.views.lists import shared_edit as shared_edit
from presence.portfolio.views.projects import project_countries as project_countries
from presence.portfolio.views.projects import project_create as project_create
from presence.portfolio.views.projects import project_delete as project_delete
from presence.portfolio.views.projects import project_detail as project_detail
from presence.portfolio.views.projects import project_edit as project_edit
from presence.portfolio.views.projects import project_list as project_list
from presence.portfolio.views.records import CHILDREN as CHILDREN
from presence.portfolio.views.records import ChildKind as ChildKind
from presence.portfolio.views.records import child_create as child_create
from presence.portfolio.views.records import child_delete as child_delete
from presence.portfolio.views.records import child_edit as child_edit
from presence.portfolio.views.tables import funding_list as funding_list
from presence.portfolio.views.tables import home_panel as home_panel
from presence.portfolio.views.tables import reconcile as reconcile
from presence.portfolio.views.tables import table1 as table1
