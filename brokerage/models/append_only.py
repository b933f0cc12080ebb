"""Ledgers and histories that are only ever added to: match events, leave entries, credits.

A mistake is put right by a new row that reverses it, never by changing or deleting one, so
the history explains every balance. Django's own machinery (setting a deleted user's `by` to
null) goes through the base manager and still works.
"""

from django.db import models


class AppendOnlyError(ValueError):
    """Raised by code that tries to change or delete an append-only row (a bug, not input)."""


def _refusal(model: type[models.Model], verb: str) -> str:
    return f"{model._meta.verbose_name_plural.capitalize()} are append-only; they cannot be {verb}."


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_refusal(self.model, "changed"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(_refusal(self.model, "changed"))

    def delete(self):
        raise AppendOnlyError(_refusal(self.model, "deleted"))


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_refusal(type(self), "changed"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_refusal(type(self), "deleted"))
