"""The council's data, taken out whole by brokers: each dataset is a fixed list of columns
read with `values_list` in chunks (`iterator`), so a file of any size streams without being
loaded into memory. Columns that hold personal data are marked; the README lists them.

Datasets: organisations, needs, offers, matches, match events, match messages, bookings,
time entries, valuations (confirmed time with its measure, £ and contract, and recorded
contributions are their own dataset), contributions, feedback.
"""

import csv
import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from brokerage import access
from brokerage.models import (
    Assignment,
    Contribution,
    Feedback,
    Match,
    MatchEvent,
    MatchMessage,
    Need,
    Offer,
    Organisation,
    TimeEntry,
)

CHUNK = 2000  # rows fetched from the database at a time


@dataclass(frozen=True)
class Column:
    name: str  # the header
    path: str  # the ORM path read
    personal: bool = False  # names, e-mail addresses or free text a person wrote


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]

    @property
    def personal_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.personal]


def _c(name: str, path: str | None = None, personal: bool = False) -> Column:
    return Column(name, path or name, personal)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "organisations", "Businesses, charities and groups, and the council",
            lambda: Organisation.objects.order_by("pk"),
            (
                _c("id"), _c("kind"), _c("name"), _c("company_number"), _c("charity_number"),
                _c("home_ward", "home_ward__gss_code"), _c("website"),
                _c("contact_email", personal=True), _c("verification_status"),
                _c("verified_at"), _c("rejection_reason"), _c("created_at"),
            ),
        ),
        Dataset(
            "needs", "Requests for help",
            lambda: Need.objects.order_by("pk"),
            (
                _c("id"), _c("organisation", "organisation_id"),
                _c("organisation_name", "organisation__name"), _c("title"),
                _c("description"), _c("ward", "ward__gss_code"), _c("days_needed"),
                _c("days_reserved"), _c("needed_by"), _c("remote_ok"), _c("dbs_required"),
                _c("dbs_barred_lists"), _c("status"), _c("published_at"), _c("closed_at"),
                _c("created_at"),
            ),
        ),
        Dataset(
            "offers", "Offers of skills and volunteer-days",
            lambda: Offer.objects.order_by("pk"),
            (
                _c("id"), _c("organisation", "organisation_id"),
                _c("organisation_name", "organisation__name"), _c("title"),
                _c("description"), _c("volunteers"), _c("days_offered"), _c("days_reserved"),
                _c("leave_type"), _c("available_from"), _c("available_until"),
                _c("remote_ok"), _c("status"), _c("published_at"), _c("closed_at"),
                _c("created_at"),
            ),
        ),
        Dataset(
            "matches", "Offers paired with needs, and their lifecycle",
            lambda: Match.objects.order_by("pk"),
            (
                _c("id"), _c("offer", "offer_id"), _c("need", "need_id"), _c("days"),
                _c("extra_days"), _c("status"), _c("proposed_by_side"), _c("score"),
                _c("note", personal=True), _c("accepted_at"), _c("completed_at"),
                _c("created_at"),
            ),
        ),
        Dataset(
            "match_events", "Every step of every match: who, which side, when",
            lambda: MatchEvent.objects.order_by("pk"),
            (
                _c("id"), _c("match", "match_id"), _c("action"),
                _c("actor", "actor__username", personal=True), _c("actor_side"),
                _c("from_status"), _c("to_status"), _c("note", personal=True), _c("at"),
            ),
        ),
        Dataset(
            "messages", "The messages written on each match's thread",
            lambda: MatchMessage.objects.order_by("pk"),
            (
                _c("id"), _c("match", "match_id"), _c("author", "author__username", personal=True),
                _c("author_side"), _c("text", personal=True), _c("at"),
            ),
        ),
        Dataset(
            "bookings", "Volunteers booked on matches and the leave they take",
            lambda: Assignment.objects.order_by("pk"),
            (
                _c("id"), _c("match", "match_id"), _c("volunteer", "volunteer_id"),
                _c("volunteer_name", "volunteer__user__username", personal=True),
                _c("first_day"), _c("last_day"), _c("days"), _c("leave_type"),
                _c("booked_hours"), _c("status"), _c("created_at"),
            ),
        ),
        Dataset(
            "time_entries", "Hours given, as logged and reviewed",
            lambda: TimeEntry.objects.order_by("pk"),
            (
                _c("id"), _c("match", "match_id"), _c("volunteer", "volunteer_id"),
                _c("volunteer_name", "volunteer__user__username", personal=True),
                _c("date"), _c("hours"), _c("leave_type"),
                _c("description", personal=True), _c("status"),
                _c("query_note", personal=True), _c("logged_at"), _c("reviewed_at"),
            ),
        ),
        Dataset(
            "valuations", "Confirmed time with its TOMs measure, £ and contract",
            lambda: TimeEntry.objects.filter(status=TimeEntry.Status.CONFIRMED).order_by("pk"),
            (
                _c("time_entry", "id"), _c("match", "match_id"),
                _c("business", "match__offer__organisation_id"), _c("date"), _c("hours"),
                _c("measure", "measure__code"), _c("rate", "measure__rate"),
                _c("value"), _c("contract", "contract_id"),
            ),
        ),
        Dataset(
            "contributions", "Equipment and money given, with its measure, £ and contract",
            lambda: Contribution.objects.order_by("pk"),
            (
                _c("id"), _c("organisation", "organisation_id"),
                _c("measure", "measure__code"), _c("amount"), _c("value"), _c("date"),
                _c("description"), _c("contract", "contract_id"), _c("recorded_at"),
            ),
        ),
        Dataset(
            "feedback", "Each side's rating, outcomes and story of a completed match",
            lambda: Feedback.objects.order_by("pk"),
            (
                _c("id"), _c("match", "match_id"), _c("side"), _c("rating"), _c("outcomes"),
                _c("story", personal=True), _c("consent_to_publish"), _c("given_at"),
            ),
        ),
    ]
}  # fmt: skip


def _rows(dataset: Dataset, areas: Collection[str]) -> Iterator[tuple]:
    queryset: QuerySet = dataset.rows()
    queryset = queryset.filter(access.in_areas(queryset.model, areas))
    return queryset.values_list(*(c.path for c in dataset.columns)).iterator(chunk_size=CHUNK)


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class _Line:
    """A file-like object whose write returns the text, for csv.writer to stream through."""

    def write(self, text: str) -> str:
        return text


def stream_csv(dataset: Dataset, areas: Collection[str]) -> Iterator[str]:
    """The rows of `areas` (a broker's: `access.in_areas`) as CSV, written as they arrive."""
    writer = csv.writer(_Line())
    yield writer.writerow([c.name for c in dataset.columns])
    for row in _rows(dataset, areas):
        yield writer.writerow(
            [";".join(v) if isinstance(v, list) else _plain(v) for v in map(_plain, row)]
        )


def stream_json(dataset: Dataset, areas: Collection[str]) -> Iterator[str]:
    """A JSON array of objects, one per row of `areas`, written as the rows arrive."""
    names = [c.name for c in dataset.columns]
    yield "["
    first = True
    for row in _rows(dataset, areas):
        yield ("" if first else ",") + json.dumps(
            dict(zip(names, map(_plain, row), strict=True)), ensure_ascii=False
        )
        first = False
    yield "]"
