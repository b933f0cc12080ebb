from django.db import models
from django.db.models import Q


class Interest(models.Model):
    """A volunteer tells their employer they would like to help with an open need. The
    business's administrators see it and turn it into a proposal or a booking; it is not a
    commitment of anyone's time (only the business offers that)."""

    volunteer = models.ForeignKey(
        "brokerage.Volunteer", on_delete=models.CASCADE, related_name="interests"
    )
    need = models.ForeignKey("brokerage.Need", on_delete=models.CASCADE, related_name="interests")
    note = models.TextField(blank=True, max_length=1000, help_text="Why, or when they are free.")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "need"],
                condition=Q(withdrawn_at__isnull=True),
                name="interest_one_open_per_volunteer_and_need",
                violation_error_message="You have already said you would like to help with this.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} would like to help with {self.need}"
