from django.conf import settings
from django.db import models

from brokerage.models.append_only import AppendOnlyModel
from brokerage.models.matches import Side


class MatchMessage(AppendOnlyModel):
    """A message on a match's thread, from either side or a broker, from the proposal on.
    Kept as written (append-only): the thread is part of the match's record."""

    match = models.ForeignKey("brokerage.Match", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_side = models.CharField(max_length=10, choices=Side.choices)
    text = models.TextField(max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["match", "at"], name="match_message_thread")]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.text[:40]}"
