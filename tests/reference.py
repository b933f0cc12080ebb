"""Reference data for tests (councils, wards and their neighbours, skills, themes, measures):
loaded by the real `load_reference_data` command the first time a test session needs it, and
restored from a copy of what it wrote every time after.

The command takes seconds and thousands of queries (it reads the region's files and updates
row by row, so a second run leaves edits alone), and about a hundred tests start from its
data. What it writes is the same each time, so a copy of the rows does the same job in a
few bulk inserts. The command's own behaviour is tested in `tests/brokerage/test_reference_data.py`.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from brokerage.infra import versions
from brokerage.models import MarketChange, MarketLogHead

# What the command writes as a side effect, not as reference data: the market change log
# (its positions are the log's own; a process builds its market afresh in each test).
_NOT_COPIED = (MarketChange, MarketLogHead)

# (model, its rows as the command left them), in the order they were read; None until the
# command has run once on tables it found empty.
_copy: list[tuple[type[Model], list[dict]]] | None = None


def _tables() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model not in _NOT_COPIED
    ]


def load_reference_data() -> None:
    """The command's data in the test database, as if the command had just run."""
    global _copy
    if _copy is not None and not any(model.objects.exists() for model, _ in _copy):
        _restore(_copy)
        return
    before = {model: model.objects.count() for model in _tables()}
    call_command("load_reference_data", verbosity=0)
    if _copy is None and all(
        before[model] == 0 for model in _tables() if model.objects.count() != before[model]
    ):
        _copy = [
            (model, list(model.objects.order_by("pk").values()))
            for model in _tables()
            if model.objects.count() != before[model]
        ]


def _restore(copy: list[tuple[type[Model], list[dict]]]) -> None:
    # Foreign keys are checked when the transaction commits, so the order of tables and of
    # rows within one (a council before the combined authority it names) does not matter.
    with transaction.atomic():
        for model, rows in copy:
            model.objects.bulk_create([model(**row) for row in rows])
    models = [model for model, _ in copy]
    with connection.cursor() as cursor:  # new rows after these get ids past them
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    for version in (versions.MARKET, versions.AUTH, versions.DELIVERY, versions.REFERENCE):
        version.bump()  # bulk inserts send no signals
