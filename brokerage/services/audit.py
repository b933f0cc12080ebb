"""The audit log's one writer. Services call `record` inside their own transaction, after
the change is validated, so the act and its record commit together."""

from typing import Any

from django.db import models

from brokerage.models import AuditEntry, Organisation, User


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [before, after]} for the fields whose value differs."""
    return {name: [before.get(name), new] for name, new in after.items() if before.get(name) != new}


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The fields' values, a related row by the code people know it by (a ward's GSS code)
    or its id, so the entry stores as JSON."""
    values = {name: getattr(instance, name) for name in fields}
    return {
        name: getattr(value, "gss_code", value.pk) if isinstance(value, models.Model) else value
        for name, value in values.items()
    }


def record(
    *,
    actor: User,
    action: str,
    subject: models.Model | None,
    organisation: Organisation | None = None,
    changes: dict[str, list] | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor.is_authenticated else None,
        action=action,
        organisation=organisation,
        subject_type=subject._meta.model_name if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        changes=changes or {},
        reason=reason,
    )
