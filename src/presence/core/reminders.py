"""Reminders: each app says what is due or overdue for whom; one command tells each person.

An app's AppConfig may define `reminders(today) -> Iterable[Reminder]`. `presence remind`
collects them from every app, groups them per person and sends one email each (or, with
--dry-run, prints who would be told what). Home pages can show the same items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from presence.core import formatting


@dataclass(frozen=True)
class Reminder:
    user: Any  # the person to tell
    kind: str  # e.g. "review to write", "remediation action overdue"
    subject: str  # what it is about
    due: dt.date | None
    url: str = ""


def collect(today: dt.date) -> list[Reminder]:
    items: list[Reminder] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "reminders", None)
        if provider is not None:
            items.extend(provider(today))
    return items


def by_person(items: Iterable[Reminder]) -> dict[Any, list[Reminder]]:
    grouped: dict[Any, list[Reminder]] = defaultdict(list)
    for item in items:
        if item.user is not None and getattr(item.user, "is_active", True):
            grouped[item.user].append(item)
    for reminders in grouped.values():
        reminders.sort(key=lambda r: (r.due or dt.date.max, r.kind, r.subject))
    return dict(sorted(grouped.items(), key=lambda pair: pair[0].username))


def message_for(user: Any, reminders: list[Reminder], today: dt.date) -> tuple[str, str]:
    overdue = sum(1 for r in reminders if r.due is not None and r.due < today)
    subject = _("Regional Presence: %(n)d item(s) need your attention (%(o)d overdue)") % {
        "n": len(reminders),
        "o": overdue,
    }
    lines = [_("Hello %(name)s,") % {"name": user.get_full_name() or user.username}, ""]
    for r in reminders:
        state = _("OVERDUE") if r.due is not None and r.due < today else _("due")
        due = f" ({state} {formatting.date(r.due)})" if r.due else ""
        lines.append(f"- {r.kind}: {r.subject}{due}")
        if r.url:
            lines.append(f"  {r.url}")
    return subject, "\n".join(lines)


def send(today: dt.date, *, dry_run: bool = False) -> dict[Any, list[Reminder]]:
    grouped = by_person(collect(today))
    if not dry_run:
        for user, reminders in grouped.items():
            if not user.email:
                continue
            subject, body = message_for(user, reminders, today)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return grouped
