"""The staffing demo holds the report's measures and loads idempotently."""

from __future__ import annotations

import datetime as dt
import io

from presence.core.models import AuditEntry
from presence.org.demo import load as load_people
from presence.org.models import Office
from presence.staffing import demo, selectors
from presence.staffing.models import GRADES_BY_CATEGORY, Post, PostAction, Recruitment


def test_demo_has_posts_in_every_office_and_the_reports_measures(reference, admin_user):
    load_people()
    demo.load(stdout=io.StringIO())
    counts = (Post.objects.count(), PostAction.objects.count(), Recruitment.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Post.objects.count(), PostAction.objects.count(), Recruitment.objects.count()) == counts

    assert set(Office.objects.values_list("pk", flat=True)) == set(
        Post.objects.values_list("office", flat=True)
    )
    rows = {
        r.region: r
        for r in selectors.measures(user=admin_user, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    }
    assert rows[""].g6_to_p2_upgrades == 5  # one per regional office
    assert rows[""].new_p5_posts == 3
    assert rows[""].relocations_to_field == 4
    assert {code: rows[code].tsb_field_deployments for code in ("AFR", "ARB", "ASP")} == {
        "AFR": 2,
        "ARB": 1,
        "ASP": 2,
    }
    summary = selectors.staffing_summary(user=admin_user, on=dt.date(2024, 10, 1))
    # Headquarters holds its whole establishment (several hundred posts), the field about a hundred.
    assert 500 <= summary.hq_posts <= 1000
    assert 80 <= summary.total - summary.hq_posts <= 200
    assert set(Post.objects.filter(office__code="geneva").values_list("sector", flat=True)) == {
        "BDT",
        "TSB",
        "BR",
        "GS",
    }
    assert summary.filled > summary.vacant
    assert selectors.recruitment_pipeline(user=admin_user).total.average_time_to_fill is not None


def test_demo_headquarters_posts_have_their_creation_action_and_history(reference, admin_user):
    load_people()
    demo.load(stdout=io.StringIO())
    bulk = Post.objects.filter(number__startswith="GEN-BR-")
    assert bulk.count() > 100
    assert not bulk.filter(actions__isnull=True).exists()
    post = bulk.first()
    assert post is not None
    assert selectors.post_state_on(post, dt.date(2014, 12, 31)) is None  # created on 2015-01-01
    assert AuditEntry.objects.filter(content_type__model="post", object_id=str(post.pk)).count() == 1
    assert all(p.grade in GRADES_BY_CATEGORY[p.category] for p in bulk)
