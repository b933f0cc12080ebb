"""A small hand-made market: HR, finance and trades skills; four wards (A, B neighbours;
C far away; D close to A but not touching)."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import strategies as st
from scipy import sparse

from matching import Market, NeedInput, OfferInput, SkillInfo, WardInfo, synthetic
from matching.market import NEED_ROWS, OFFER_ROWS

TODAY = dt.date(2026, 11, 25)
HR_POLICY, PAYROLL, RECRUITMENT, BOOKKEEPING, ACCOUNTS, PLUMBING = 1, 2, 3, 4, 5, 6
A, B, C, D = 1, 2, 3, 4

SKILLS = [
    SkillInfo(HR_POLICY, "HR policy", 1, frozenset({"hr policy"})),
    SkillInfo(PAYROLL, "Payroll", 1, frozenset({"payroll", "paye"})),
    SkillInfo(RECRUITMENT, "Recruitment", 1, frozenset({"recruitment"})),
    SkillInfo(BOOKKEEPING, "Bookkeeping", 2, frozenset({"bookkeeping", "xero"})),
    SkillInfo(ACCOUNTS, "Accounts", 2, frozenset({"accounts", "xero"})),  # synonym via "xero"
    SkillInfo(PLUMBING, "Plumbing", 3, frozenset({"plumbing"})),
]
WARDS = [
    WardInfo(A, "Foleshill", 52.430, -1.490, frozenset({B}), deprivation=44.7),
    WardInfo(B, "Henley", 52.440, -1.470, frozenset({A}), deprivation=37.5),
    WardInfo(C, "Wainbody", 52.380, -1.560, frozenset(), deprivation=9.5),
    WardInfo(D, "Longford", 52.432, -1.500, frozenset(), deprivation=20.0),
]


def offer(id, skills, **changes):
    values = {
        "id": id,
        "title": f"Offer {id}",
        "organisation_id": 100 + id,
        "skills": tuple(skills),
        "days_remaining": 6,
        "available_from": TODAY,
        "available_until": TODAY + dt.timedelta(days=90),
    }
    return OfferInput(**(values | changes))


def need(id, skills, **changes):
    values = {
        "id": id,
        "title": f"Need {id}",
        "organisation_id": 200 + id,
        "skills": tuple(skills),
        "ward": A,
        "days_remaining": 6,
        "needed_by": TODAY + dt.timedelta(days=60),
        "published_on": TODAY,
    }
    return NeedInput(**(values | changes))


@pytest.fixture
def make_market():
    def make(offers, needs, **kwargs):
        return Market(skills=SKILLS, wards=WARDS, offers=offers, needs=needs, today=TODAY, **kwargs)

    return make


def random_markets(*, max_offers: int, max_needs: int, max_wards: int):
    """A hypothesis strategy: small synthetic markets (see matching.synthetic)."""
    return st.builds(
        synthetic.market,
        offers=st.integers(1, max_offers),
        needs=st.integers(1, max_needs),
        wards=st.integers(1, max_wards),
        seed=st.integers(0, 100_000),
    )


def assert_same_market(got: Market, fresh: Market) -> None:
    """The same listings and the same arrays, row for row."""
    assert got.offers == fresh.offers and got.needs == fresh.needs
    assert got.offer_index == fresh.offer_index and got.need_index == fresh.need_index
    for name in (*OFFER_ROWS, *NEED_ROWS, "offer_skills", "offer_wards"):
        mine, theirs = getattr(got, name), getattr(fresh, name)
        if sparse.issparse(theirs):
            assert mine.format == theirs.format, name
            assert (mine != theirs).nnz == 0, name
        else:
            assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), name
