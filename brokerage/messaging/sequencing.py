"""Step 2 of a notification (see `brokerage.messaging`): after the commit each row gets its
place in its recipient's inbox. A place never given (the process died right after the commit)
is given by the next `sequence` for that recipient, which resuming always runs first."""

from collections.abc import Iterable

from django.db import connection, models, transaction

from brokerage.models import InboxSequence, Notification


def sequence(recipient_ids: Iterable[int]) -> list[Notification]:
    """Give each committed notification of these recipients that has no place yet the next
    place in its recipient's inbox, in id order. Returns the rows given places now.

    One short transaction: the recipients' `InboxSequence` rows are locked in user-id order
    (so two sequencers never deadlock), and the rows without a place are read after the lock
    is held, so a row another sequencer numbered meanwhile is not numbered twice."""
    ids = sorted(set(recipient_ids))
    if not ids:
        return []
    with transaction.atomic():
        counters = _locked_counters(ids)
        if len(counters) < len(ids):  # someone's first notification: make their counter
            InboxSequence.objects.bulk_create(
                [InboxSequence(user_id=user_id) for user_id in ids if user_id not in counters],
                ignore_conflicts=True,
            )
            counters = _locked_counters(ids)
        waiting = list(
            Notification.objects.filter(recipient_id__in=ids, seq__isnull=True).order_by("id")
        )
        if not waiting:
            return []
        for row in waiting:
            counter = counters[row.recipient_id]
            counter.last_seq += 1
            row.seq = counter.last_seq
        _set_column(Notification, "seq", [(row.pk, row.seq) for row in waiting])
        _set_column(InboxSequence, "last_seq", [(c.pk, c.last_seq) for c in counters.values()])
    return waiting


def _set_column(model: type[models.Model], column: str, values: list[tuple[int, int]]) -> None:
    """Set one integer column of many rows by primary key, in one statement. On PostgreSQL
    an UPDATE joined to the values as arrays: Django's bulk_update builds a CASE with a
    branch per row, which for a burst of hundreds of rows cost more than the rest together."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(
            [model(pk=pk, **{column: value}) for pk, value in values], [column]
        )
        return
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS t SET "{column}" = v.value '
            f'FROM unnest(%s::bigint[], %s::bigint[]) AS v(pk, value) WHERE t."{pk}" = v.pk',
            [[pk for pk, _ in values], [value for _, value in values]],
        )


def _locked_counters(ids: list[int]) -> dict[int, InboxSequence]:
    counters = InboxSequence.objects.select_for_update().filter(user_id__in=ids).order_by("user_id")
    return {counter.user_id: counter for counter in counters}
