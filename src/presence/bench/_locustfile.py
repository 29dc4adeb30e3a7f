"""The users of `make load` (locust): demo users of several roles, logged in, on a mix of heavy pages.

Each simulated user logs in through the login form as one of the demo users (in turn), then opens a
page every 0.5 to 1.5 seconds: the dashboard overview, a region, an office, the project list,
Table 1, the resilience overview or the dashboard API. The member-state delegate only opens the
dashboard's pages and API, as the role allows. Statistics are grouped by page name.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "presence-demo")
USERNAMES = ("admin", "afr.editor", "asp.editor", "dakar.editor", "hr", "security", "delegate")
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
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DemoUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.username = next(_next_user)
        pages = [p for p in PAGES if p[3] or self.username not in DASHBOARD_ONLY]
        self.pages = [(name, make) for name, _w, make, _d in pages]
        self.weights = [weight for _n, weight, _m, _d in pages]
        form = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(form.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.username} could not log in: {answer.status_code}")

    @task
    def open_a_page(self) -> None:
        name, make = random.choices(self.pages, weights=self.weights)[0]  # noqa: S311
        with self.client.get(make(), name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{self.username}: {answer.status_code}")
