"""The broker's queue on the dashboard: open needs in the most deprived wards first."""

import datetime as dt

import pytest
from django.utils import timezone

from brokerage import selectors
from brokerage.models import ListingStatus, Need
from tests import factories

pytestmark = pytest.mark.django_db


def _everything_sorted(limit: int) -> list[int]:
    """The plain answer: every open need sorted by its ward's score, then by waiting."""
    return list(
        Need.objects.filter(status=ListingStatus.OPEN, ward__imd_score__isnull=False)
        .order_by("-ward__imd_score", "published_at", "id")
        .values_list("id", flat=True)[:limit]
    )


@pytest.mark.parametrize("limit", [1, 3, 10, 40])
def test_the_most_deprived_wards_needs_come_first_as_a_full_sort_would_give(limit):
    scores = [55.0, 55.0, 41.0, 30.0, 30.0, 12.0, None, 8.0]  # ties, and a ward with no score
    wards = [factories.WardFactory(imd_score=score) for score in scores]
    now = timezone.now()
    for index, ward in enumerate(wards):
        for age in range(index % 3):  # some wards have no open need at all
            factories.NeedFactory(ward=ward, published_at=now - dt.timedelta(days=age + index))
        factories.NeedFactory(ward=ward, status=ListingStatus.DRAFT, published_at=None)

    found = [need.pk for need in selectors.needs_in_most_deprived_wards(limit)]

    assert found == _everything_sorted(limit)


def test_with_no_scored_ward_the_queue_is_empty():
    factories.NeedFactory(ward=factories.WardFactory(imd_score=None))

    assert selectors.needs_in_most_deprived_wards(10) == []
