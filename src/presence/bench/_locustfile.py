"""The users of `make load` (locust): demo users of several roles, logged in, on a mix of heavy pages.

Each simulated user is one of the demo users (in turn), with a session made before the run, and opens
a page every 0.5 to 1.5 seconds: the dashboard overview, a region, an office, the project list,
Table 1, the resilience overview or the dashboard API. The member-state delegate only opens the
dashboard's pages and API, as the role allows. Statistics are grouped by page name.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

from presence.bench._load import USERNAMES

SESSIONS = json.loads(os.environ.get("LOAD_SESSIONS", '{"cookie": "sessionid", "sessions": {}}'))
DASHBOARD_ONLY = {"delegate"}
REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS")
OFFICES = ("dakar", "addis-ababa", "brasilia", "cairo", "bangkok", "moscow", "harare", "santiago")

# (name in the statistics, weight, URL maker, for the delegate too)
PAGES = (
    ("dashboard overview", 3, lambda: "/dashboard/", True),
    ("dashboard region", 2, lambda: f"/dashboard/regions/{random.choice(REGIONS)}/", True),  # noqa: S311
    ("dashboard office", 2, lambda: f"/dashboard/offices/{random.choice(OFFICES)}/", True),  # noqa: S311
    ("projects list", 2, lambda: "/portfolio/projects/", False),
    ("Table 1", 1, lambda: "/portfolio/table1/", False),
    ("resilience overview", 1, lambda: "/resilience/", False),
    ("API dashboard", 2, lambda: "/api/dashboard/", True),
)
_next_user = itertools.cycle(USERNAMES)


class DemoUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.username = next(_next_user)
        pages = [p for p in PAGES if p[3] or self.username not in DASHBOARD_ONLY]
        self.pages = [(name, make) for name, _w, make, _d in pages]
        self.weights = [weight for _n, weight, _m, _d in pages]
        # Logged in beforehand (presence.bench._load): the user's session cookie.
        self.client.cookies.set(SESSIONS["cookie"], SESSIONS["sessions"][self.username])

    @task
    def open_a_page(self) -> None:
        name, make = random.choices(self.pages, weights=self.weights)[0]  # noqa: S311
        with self.client.get(make(), name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{self.username}: {answer.status_code}")
