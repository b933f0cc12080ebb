"""Every weight and threshold of the engine, in one place.

The defaults were chosen for brokering skilled volunteering in one city and are justified
beside each field; a council can tune them without touching the engine.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MatchingSettings:
    # --- Fit = Σ weight × part. Skills dominate: a charity asking for payroll help is not
    # served by an enthusiastic gardener next door. Place, time and capacity refine the order.
    skill_weight: float = 0.50
    place_weight: float = 0.20
    time_weight: float = 0.15
    capacity_weight: float = 0.15

    # --- Skill credit for one needed skill, from the best matching offered skill.
    exact_credit: float = 1.0
    # Two skills sharing a name or synonym ("bookkeeping" / "book keeping") are near-equal.
    synonym_credit: float = 0.8
    # Same category (payroll vs. HR policy): related know-how, often enough to help a bit.
    category_credit: float = 0.4
    # A must-have counts twice as much as a nice-to-have in skill fit.
    must_have_weight: float = 2.0
    nice_to_have_weight: float = 1.0
    # A must-have is missing only when nothing related is offered: a same-category skill
    # keeps the pair (brokers pick a joiner for shelving when no carpenter is offered; the
    # evaluation set's precision@3 rose from 0.24 to 0.31 against "skill or synonym only").
    must_have_min_credit: float = 0.4

    # --- Place. Same ward is ideal; a neighbouring ward is a short trip.
    same_ward_fit: float = 1.0
    neighbour_fit: float = 0.8
    # Both sides can work remotely: place hardly matters.
    remote_fit: float = 0.9
    # Further away, fit decays with distance between ward centroids (half at this distance),
    # from this ceiling; Coventry is about 10 km across.
    distance_fit_ceiling: float = 0.7
    distance_half_km: float = 4.0
    # An offer open to the whole authority, from a business with no known base.
    anywhere_fit: float = 0.7

    # --- Time: the offer's availability must overlap the need's window (today → deadline).
    # An overlap this long (or the whole window, if shorter) is plenty to deliver in.
    comfortable_window_days: int = 30

    # --- Priority (kept apart from fit): ward deprivation, council priority themes, waiting.
    deprivation_weight: float = 0.5
    theme_weight: float = 0.3
    waiting_weight: float = 0.2
    # Themes that count as council priorities; empty means every theme does.
    priority_themes: frozenset[str] = field(default_factory=frozenset)
    # A need waiting this long gets the full waiting share.
    full_wait_days: int = 60

    # --- Suggestions and allocation.
    min_score: float = 0.3
    default_limit: int = 10

    def __post_init__(self) -> None:
        fit = self.skill_weight + self.place_weight + self.time_weight + self.capacity_weight
        priority = self.deprivation_weight + self.theme_weight + self.waiting_weight
        if abs(fit - 1) > 1e-9 or abs(priority - 1) > 1e-9:
            raise ValueError("Fit weights and priority weights must each sum to 1.")
