from django.db import models


class MarketChange(models.Model):
    """One change to what the matching engine reads: a listing, an organisation (its
    listings), or everything (skills, wards, themes, priorities). Each web process keeps the
    engine's market built at a position of this log and applies only the changes after it
    (`brokerage.matchmaking`), so the first suggestions after a change do not rebuild the
    market.

    `position` is what readers follow. It is assigned in commit order, one after another
    with no gaps, by the database itself (migration 0019): on PostgreSQL by a trigger deferred
    to the commit that takes the next number from `MarketLogHead` under its row lock, so a
    change committed later never gets a lower position than one a reader has already seen
    (an id from a sequence could: two writers commit in the other order); on SQLite, where
    one writer holds the database at a time, by a trigger at insert. Until its transaction
    commits a change has no position, and only its own transaction can see it.
    """

    class Kind(models.TextChoices):
        NEED = "need", "Need"
        OFFER = "offer", "Offer"
        ORGANISATION = "organisation", "Organisation (all its listings)"
        EVERYTHING = "everything", "Everything (reference data)"

    position = models.BigIntegerField(unique=True, null=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    item_id = models.BigIntegerField(
        null=True, blank=True, help_text="The need, offer or organisation; none for everything."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="everything", item_id__isnull=True)
                | (~models.Q(kind="everything") & models.Q(item_id__isnull=False)),
                name="market_change_names_its_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position or 'pending'}: {self.kind} {self.item_id or ''}".strip()


class MarketLogHead(models.Model):
    """The last position given out (PostgreSQL only; one row, made on first use). Its row
    lock, held from a writer's commit-time trigger to the end of that commit, is what puts
    positions in commit order."""

    last_position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"last position {self.last_position}"
