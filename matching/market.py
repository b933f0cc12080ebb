"""The engine's inputs (plain dataclasses) and the arrays built from them once.

A `Market` holds everything scoring needs as NumPy/SciPy arrays: the skill similarity matrix,
offers' skills as a sparse matrix, needs' weighted skills as a sparse matrix, the ward ×
ward proximity matrix, dates as day numbers. Build it once; score many times.
"""

import copy
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.settings import MatchingSettings


@dataclass(frozen=True)
class SkillInfo:
    id: int
    name: str
    category_id: int
    terms: frozenset[str]  # the name and its synonyms, lower case


@dataclass(frozen=True)
class WardInfo:
    id: int
    name: str
    lat: float
    lon: float
    neighbours: frozenset[int]
    deprivation: float | None  # IMD score: higher is more deprived


@dataclass(frozen=True)
class OfferInput:
    id: int
    title: str
    organisation_id: int
    skills: tuple[int, ...]
    days_remaining: int
    available_from: dt.date
    available_until: dt.date
    wards: tuple[int, ...] = ()  # empty: anywhere in the authority
    home_ward: int | None = None
    remote_ok: bool = False


@dataclass(frozen=True)
class NeedInput:
    id: int
    title: str
    organisation_id: int
    skills: tuple[tuple[int, bool], ...]  # (skill id, must have)
    ward: int
    days_remaining: int
    needed_by: dt.date
    published_on: dt.date
    remote_ok: bool = False
    themes: tuple[str, ...] = ()
    # The themes the need's own council weighs as priorities; None: `priority_themes` in the
    # settings decide (every theme, if those are empty).
    priority_themes: frozenset[str] | None = None
    # The need's council's priority weights (deprivation, theme, waiting), summing to 1; None:
    # the settings' weights.
    priority_weights: tuple[float, float, float] | None = None

    def is_priority(self, settings: MatchingSettings) -> bool:
        """Whether one of the need's themes is a priority where it is."""
        chosen = (
            self.priority_themes if self.priority_themes is not None else settings.priority_themes
        )
        return bool(self.themes) and (not chosen or bool(chosen & set(self.themes)))


# The per-listing arrays, one row per offer or need in the order of `Market.offers` and
# `Market.needs` (the CSC forms `offer_skills` and `offer_wards` are derived from the rows).
OFFER_ROWS = (
    "offer_skills_by_row", "offer_wards_by_row", "offer_ids", "offer_days", "offer_from",
    "offer_until", "offer_remote", "offer_restricted", "offer_home",
)  # fmt: skip
NEED_ROWS = (
    "need_weights", "need_musts", "need_weight_sum", "need_ids", "need_days", "need_by",
    "need_remote", "need_ward", "need_priority",
)  # fmt: skip


def _merged(
    items: Sequence, rows: dict, new: Sequence, gone: Collection[int], build: Callable
) -> tuple[list, dict, bool]:
    """`items` and their `rows` with `new` in place of the same ids (or added) and `gone`
    left out, in id order; only the new items' rows are built. The rest are copied as
    contiguous runs between the changes (no per-row Python work: at 20,000 needs that cost
    more than the change itself). The flag says whether the ids stayed the same."""
    ids = next(value for name, value in rows.items() if name.endswith("_ids"))
    resorted = len(ids) > 1 and not (ids[1:] > ids[:-1]).all()  # built from unsorted inputs
    if resorted:
        order = np.argsort(ids, kind="stable")
        items, rows = [items[i] for i in order.tolist()], {k: v[order] for k, v in rows.items()}
        ids = ids[order]
    new = sorted(new, key=lambda item: item.id)
    new_ids = np.array([item.id for item in new], dtype=np.int64)
    dropped = np.flatnonzero(np.isin(ids, np.concatenate([new_ids, np.fromiter(gone, np.int64)])))
    same_ids = (
        not resorted and len(dropped) == len(new) and np.array_equal(ids[dropped], new_ids)
    )  # then every row keeps its place
    # Each new item goes where its id sorts among the old ones (a replaced item's own place,
    # which is dropped); a drop is a run boundary. At the same place, insert before drop.
    steps = sorted(
        [(int(place), 0, index) for index, place in enumerate(np.searchsorted(ids, new_ids))]
        + [(int(place), 1, -1) for place in dropped]
    )
    runs: list[tuple[int, int] | int] = []  # (start, stop) of old rows, or a new item's index
    cursor = 0
    for place, is_drop, index in steps:
        if place > cursor:
            runs.append((cursor, place))
            cursor = place
        if is_drop:
            cursor = place + 1
        else:
            runs.append(index)
    if cursor < len(ids):
        runs.append((cursor, len(ids)))
    added = build(new)
    merged = {}
    for name, value in rows.items():
        pieces = [
            value[r[0] : r[1]] if isinstance(r, tuple) else added[name][r : r + 1] for r in runs
        ]
        if sparse.issparse(value):
            merged[name] = sparse.vstack(pieces, format="csr") if pieces else value[:0]
        else:
            merged[name] = np.concatenate(pieces) if pieces else value[:0]
    listing: list = []
    for run in runs:
        if isinstance(run, tuple):
            listing += items[run[0] : run[1]]
        else:
            listing.append(new[run])
    return listing, merged, same_ids


def _similarity(skills: Sequence[SkillInfo], settings: MatchingSettings) -> np.ndarray:
    """Skill × skill credit: exact, synonym (shared term), same category, or nothing."""
    n = len(skills)
    category = np.array([s.category_id for s in skills])
    similarity = np.where(category[:, None] == category[None, :], settings.category_credit, 0.0)
    by_term: dict[str, list[int]] = {}
    for index, skill in enumerate(skills):
        for term in skill.terms:
            by_term.setdefault(term, []).append(index)
    for members in by_term.values():
        for a in members:
            for b in members:
                similarity[a, b] = max(similarity[a, b], settings.synonym_credit)
    similarity[np.arange(n), np.arange(n)] = settings.exact_credit
    return similarity.astype(np.float32)


def _haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat), np.radians(lon)
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


class Market:
    """Offers, needs and their context as arrays, indexed 0..n-1 (ids kept alongside)."""

    def __init__(
        self,
        *,
        skills: Sequence[SkillInfo],
        wards: Sequence[WardInfo],
        offers: Sequence[OfferInput],
        needs: Sequence[NeedInput],
        today: dt.date,
        settings: MatchingSettings | None = None,
    ) -> None:
        self.settings = settings or MatchingSettings()
        self.today = today
        self.today_ordinal = today.toordinal()
        self.skills, self.wards = skills, wards
        self.skill_index = {s.id: i for i, s in enumerate(skills)}
        self.ward_index = {w.id: i for i, w in enumerate(wards)}
        self.similarity = _similarity(skills, self.settings)
        # One 0/1 matrix per credit level, ascending, for sparse products in scoring.
        self.skill_levels = [
            (float(value), (self.similarity == value).astype(np.float32))
            for value in np.unique(self.similarity[self.similarity > 0])
        ]
        self._build_wards()
        self._set_offers(offers, self._offer_rows(offers))
        self._set_needs(needs, self._need_rows(needs))

    # --- wards ----------------------------------------------------------------------------

    def _build_wards(self) -> None:
        s = self.settings
        lat = np.array([w.lat for w in self.wards], dtype=np.float64)
        lon = np.array([w.lon for w in self.wards], dtype=np.float64)
        self.distance_km = _haversine_km(lat, lon).astype(np.float32)
        proximity = s.distance_fit_ceiling * np.power(0.5, self.distance_km / s.distance_half_km)
        self.neighbour = np.zeros((len(self.wards),) * 2, dtype=bool)
        for i, ward in enumerate(self.wards):
            for other in ward.neighbours:
                if other in self.ward_index:
                    self.neighbour[i, self.ward_index[other]] = True
        proximity = np.where(self.neighbour, s.neighbour_fit, proximity)
        np.fill_diagonal(proximity, s.same_ward_fit)
        self.proximity = proximity.astype(np.float32)
        # Deprivation as a rank within the wards known (0 least, 1 most deprived).
        scores = np.array(
            [w.deprivation if w.deprivation is not None else np.nan for w in self.wards]
        )
        known = ~np.isnan(scores)
        ranks = np.full(len(scores), 0.5, dtype=np.float32)
        if known.sum() > 1:
            order = scores[known].argsort().argsort()
            ranks[known] = order / (known.sum() - 1)
        self.ward_deprivation = ranks

    # --- offers and needs: rows built per listing, so a changed market rebuilds only its own -

    def _set_offers(self, offers: Sequence[OfferInput], rows: dict, same_ids: bool = False) -> None:
        self.offers = offers
        for name, value in rows.items():
            setattr(self, name, value)
        if not same_ids:  # else the index from id to row still holds
            self.offer_index = dict(zip(self.offer_ids.tolist(), range(len(offers)), strict=True))
        self.offer_skills = self.offer_skills_by_row.tocsc()
        self.offer_wards = self.offer_wards_by_row.tocsc()

    def _set_needs(self, needs: Sequence[NeedInput], rows: dict, same_ids: bool = False) -> None:
        self.needs = needs
        for name, value in rows.items():
            setattr(self, name, value)
        if not same_ids:  # else the index from id to row still holds
            self.need_index = dict(zip(self.need_ids.tolist(), range(len(needs)), strict=True))

    def _offer_rows(self, offers: Sequence[OfferInput]) -> dict:
        """The offers' rows of every per-offer array (see `OFFER_ROWS`)."""
        n = len(offers)
        rows = [i for i, o in enumerate(offers) for _ in o.skills]
        cols = [self.skill_index[s] for o in offers for s in o.skills]
        ward_rows = [i for i, o in enumerate(offers) for _ in o.wards]
        ward_cols = [self.ward_index[w] for o in offers for w in o.wards]
        return {
            "offer_skills_by_row": sparse.csr_matrix(
                (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(self.skills))
            ),
            "offer_wards_by_row": sparse.csr_matrix(
                (np.ones(len(ward_rows), dtype=bool), (ward_rows, ward_cols)),
                shape=(n, len(self.wards)),
            ),
            "offer_ids": np.array([o.id for o in offers], dtype=np.int64),
            "offer_days": np.array([o.days_remaining for o in offers], dtype=np.float32),
            "offer_from": np.array([o.available_from.toordinal() for o in offers], dtype=np.int64),
            "offer_until": np.array(
                [o.available_until.toordinal() for o in offers], dtype=np.int64
            ),
            "offer_remote": np.array([o.remote_ok for o in offers], dtype=bool),
            "offer_restricted": np.array([bool(o.wards) for o in offers], dtype=bool),
            "offer_home": np.array(
                [self.ward_index.get(o.home_ward, -1) if o.home_ward else -1 for o in offers],
                dtype=np.int64,
            ),
        }

    def _need_rows(self, needs: Sequence[NeedInput]) -> dict:
        """The needs' rows of every per-need array (see `NEED_ROWS`)."""
        s = self.settings
        rows, cols, weights, musts = [], [], [], []
        for i, need in enumerate(needs):
            for skill, must in need.skills:
                rows.append(i)
                cols.append(self.skill_index[skill])
                weights.append(s.must_have_weight if must else s.nice_to_have_weight)
                musts.append(must)
        shape = (len(needs), len(self.skills))
        need_weights = sparse.csr_matrix(
            (np.array(weights, dtype=np.float32), (rows, cols)), shape=shape
        )
        need_musts = sparse.csr_matrix(
            (np.array(musts, dtype=np.float32), (rows, cols)), shape=shape
        )
        need_musts.eliminate_zeros()
        need_ward = np.array([self.ward_index[n.ward] for n in needs], dtype=np.int64)
        return {
            "need_weights": need_weights,
            "need_musts": need_musts,
            "need_weight_sum": np.asarray(need_weights.sum(axis=1)).ravel(),
            "need_ids": np.array([n.id for n in needs], dtype=np.int64),
            "need_days": np.array([n.days_remaining for n in needs], dtype=np.float32),
            "need_by": np.array([n.needed_by.toordinal() for n in needs], dtype=np.int64),
            "need_remote": np.array([n.remote_ok for n in needs], dtype=bool),
            "need_ward": need_ward,
            "need_priority": self._priority(needs, need_ward),
        }

    def changed(
        self,
        *,
        offers: Sequence[OfferInput] = (),
        needs: Sequence[NeedInput] = (),
        gone_offers: Collection[int] = (),
        gone_needs: Collection[int] = (),
    ) -> "Market":
        """A new market: this one with `offers` and `needs` added or put in place of those
        with the same ids, and the `gone_*` ids taken out. Only the changed listings' rows are
        built; the skills, wards and every other row are shared. The result is the market a
        fresh build on its listings gives, row for row (rows stay in id order): at 20,000
        needs a change of a few listings costs milliseconds, a fresh build a tenth of a second."""
        market = copy.copy(self)
        if offers or gone_offers:
            market._set_offers(
                *_merged(self.offers, self._rows(OFFER_ROWS), offers, gone_offers, self._offer_rows)
            )
        if needs or gone_needs:
            market._set_needs(
                *_merged(self.needs, self._rows(NEED_ROWS), needs, gone_needs, self._need_rows)
            )
        return market

    def _rows(self, names: tuple[str, ...]) -> dict:
        return {name: getattr(self, name) for name in names}

    def _priority(self, needs: Sequence[NeedInput], need_ward: np.ndarray) -> np.ndarray:
        """Priority in [0, 1], separate from fit: ward deprivation, priority themes, waiting."""
        s = self.settings
        deprivation = self.ward_deprivation[need_ward] if len(needs) else np.zeros(0)
        themed = np.array([n.is_priority(s) for n in needs], dtype=np.float32)
        waited = np.array([(self.today - n.published_on).days for n in needs], dtype=np.float32)
        waiting = np.clip(waited / s.full_wait_days, 0, 1)
        defaults = (s.deprivation_weight, s.theme_weight, s.waiting_weight)
        weights = np.array(
            [n.priority_weights or defaults for n in needs], dtype=np.float64
        ).reshape(len(needs), 3)  # each need weighted as its council says
        return (
            weights[:, 0] * deprivation + weights[:, 1] * themed + weights[:, 2] * waiting
        ).astype(np.float32)
