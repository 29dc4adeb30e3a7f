"""The dashboard's figures, composed from the domain apps' selectors (never from their models).

Each domain contributes a `Section`: tiles (`Figure`) and charts (`charts.Chart`). Every figure and
chart element carries the link to the domain's list page filtered the same way, so the list's
total is the figure. Breakdowns are single GROUP BY queries over the domain's own list selector,
so a page runs the same number of queries whatever the amount of data.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.dashboard.selectors._common import GLOBAL as GLOBAL
from presence.dashboard.selectors._common import HQ as HQ
from presence.dashboard.selectors._common import OPTIONAL as OPTIONAL
from presence.dashboard.selectors._common import TREND_YEARS as TREND_YEARS
from presence.dashboard.selectors._common import Context as Context
from presence.dashboard.selectors._common import Dashboard as Dashboard
from presence.dashboard.selectors._common import Figure as Figure
from presence.dashboard.selectors._common import OfficeStatus as OfficeStatus
from presence.dashboard.selectors._common import Section as Section
from presence.dashboard.selectors._common import drill as drill
from presence.dashboard.selectors.offices import engagement_section as engagement_section
from presence.dashboard.selectors.offices import offices_section as offices_section
from presence.dashboard.selectors.offices import resilience_section as resilience_section
from presence.dashboard.selectors.offices import staffing_section as staffing_section
from presence.dashboard.selectors.overview import MEASURE_UNITS as MEASURE_UNITS
from presence.dashboard.selectors.overview import SECTION_DOMAINS as SECTION_DOMAINS
from presence.dashboard.selectors.overview import dashboard as dashboard
from presence.dashboard.selectors.overview import office_get as office_get
from presence.dashboard.selectors.overview import region_countries as region_countries
from presence.dashboard.selectors.overview import region_get as region_get
from presence.dashboard.selectors.portfolio import portfolio_section as portfolio_section
from presence.dashboard.selectors.portfolio import portfolio_trend as portfolio_trend
from presence.dashboard.selectors.results import results_section as results_section
from presence.dashboard.selectors.results import reviews_section as reviews_section
