"""API for the portfolio: projects and their records, shared lists, Table 1 and reporting as JSON.

Same filters as the list pages (the list page's filter form parses the query), same access rules
(selectors restrict, services check), ETag on reads and If-Match on writes.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.portfolio.api._common import router as router
from presence.portfolio.api.lists import AgreementIn as AgreementIn
from presence.portfolio.api.lists import AgreementOut as AgreementOut
from presence.portfolio.api.lists import AgreementPatch as AgreementPatch
from presence.portfolio.api.lists import InitiativeIn as InitiativeIn
from presence.portfolio.api.lists import InitiativeOut as InitiativeOut
from presence.portfolio.api.lists import InitiativePatch as InitiativePatch
from presence.portfolio.api.lists import PartnerIn as PartnerIn
from presence.portfolio.api.lists import PartnerOut as PartnerOut
from presence.portfolio.api.lists import PartnerPatch as PartnerPatch
from presence.portfolio.api.lists import RateIn as RateIn
from presence.portfolio.api.lists import RateOut as RateOut
from presence.portfolio.api.lists import RatePatch as RatePatch
from presence.portfolio.api.lists import SourceIn as SourceIn
from presence.portfolio.api.lists import SourceOut as SourceOut
from presence.portfolio.api.lists import SourcePatch as SourcePatch
from presence.portfolio.api.lists import create_agreement as create_agreement
from presence.portfolio.api.lists import list_agreements as list_agreements
from presence.portfolio.api.lists import list_initiatives as list_initiatives
from presence.portfolio.api.lists import list_partners as list_partners
from presence.portfolio.api.lists import list_rates as list_rates
from presence.portfolio.api.lists import list_sources as list_sources
from presence.portfolio.api.projects import CountryShareIO as CountryShareIO
from presence.portfolio.api.projects import ProjectIn as ProjectIn
from presence.portfolio.api.projects import ProjectOut as ProjectOut
from presence.portfolio.api.projects import ProjectPatch as ProjectPatch
from presence.portfolio.api.projects import get_countries as get_countries
from presence.portfolio.api.projects import list_projects as list_projects
from presence.portfolio.api.projects import set_countries as set_countries
from presence.portfolio.api.records import BudgetIn as BudgetIn
from presence.portfolio.api.records import BudgetOut as BudgetOut
from presence.portfolio.api.records import BudgetPatch as BudgetPatch
from presence.portfolio.api.records import FundingIn as FundingIn
from presence.portfolio.api.records import FundingOut as FundingOut
from presence.portfolio.api.records import FundingPatch as FundingPatch
from presence.portfolio.api.records import ObligationIn as ObligationIn
from presence.portfolio.api.records import ObligationOut as ObligationOut
from presence.portfolio.api.records import ObligationPatch as ObligationPatch
from presence.portfolio.api.records import TransactionIn as TransactionIn
from presence.portfolio.api.records import TransactionOut as TransactionOut
from presence.portfolio.api.records import TransactionPatch as TransactionPatch
from presence.portfolio.api.records import list_budgets as list_budgets
from presence.portfolio.api.records import list_fundings as list_fundings
from presence.portfolio.api.records import list_obligations as list_obligations
from presence.portfolio.api.records import list_transactions as list_transactions
from presence.portfolio.api.table1 import Table1Out as Table1Out
from presence.portfolio.api.table1 import Table1RowOut as Table1RowOut
from presence.portfolio.api.table1 import get_table1 as get_table1
