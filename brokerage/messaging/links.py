"""Where things are on the web: the one module that knows the page and API paths of what a
notification is about.

The domain stores *what* a notification concerns (`subject_type`, `subject_id`); the paths
are built here with `reverse()` when it is shown, pushed or e-mailed, so a route can move
without rewriting stored rows, and no service writes a path.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from brokerage.models import Assignment, Notification, TimeEntry, Volunteer

# Subject type → (page route, API route). A booking or a time entry has no page of its own:
# people see it on its match's page.
ROUTES: dict[str, tuple[str, str]] = {
    "match": ("frontend:match", "v1:match-detail"),
    "offer": ("frontend:offer", "v1:offer-detail"),
    "need": ("frontend:need", "v1:need-detail"),
    "organisation": ("frontend:organisation", "v1:organisation-detail"),
    "assignment": ("frontend:match", "v1:assignment-detail"),
    "timeentry": ("frontend:match", "v1:time-entry-detail"),
    "gapcase": ("frontend:gap-case", "v1:gap-case-detail"),
    "volunteer": ("frontend:volunteers", "v1:volunteer-detail"),
}
# Subjects shown on another object's page: the model and the field naming that page's id (a
# booking or a time entry on its match's page, a volunteer on their business's volunteers).
_SHOWN_ON_PAGE_OF = {
    "assignment": (Assignment, "match_id"),
    "timeentry": (TimeEntry, "match_id"),
    "volunteer": (Volunteer, "organisation_id"),
}


@dataclass(frozen=True)
class Links:
    page: str  # a path on this site
    api: str


def for_notifications(rows: Iterable[Notification]) -> dict[int, Links]:
    """The links of each notification, by id: one query per subject type that is shown on its
    match's page, whatever the number of rows."""
    rows = list(rows)
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.subject_type in _SHOWN_ON_PAGE_OF:
            wanted[row.subject_type].add(row.subject_id)
    match_of: dict[tuple[str, int], int] = {}
    for subject_type, ids in wanted.items():
        model, field = _SHOWN_ON_PAGE_OF[subject_type]
        for pk, page_id in model.objects.filter(pk__in=ids).values_list("pk", field):
            match_of[subject_type, pk] = page_id
    found = {}
    for row in rows:
        page_route, api_route = ROUTES[row.subject_type]
        page_id = match_of.get((row.subject_type, row.subject_id), row.subject_id)
        found[row.pk] = Links(page=_path(page_route, page_id), api=_path(api_route, row.subject_id))
    return found


_PLACEHOLDER = 987654321  # an id no route reads as anything but an id


@functools.cache
def _template(route: str) -> tuple[str, str]:
    """A route's path around its id, reversed once: a push to hundreds of people builds
    hundreds of links, and `reverse()` walks the whole URL configuration each time."""
    before, after = reverse(route, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return before, after


def _path(route: str, pk: int) -> str:
    before, after = _template(route)
    return f"{before}{pk}{after}"


def for_notification(row: Notification) -> Links:
    return for_notifications([row])[row.pk]


def match_page(pk: int) -> str:
    return _path("frontend:match", pk)


def calendar_feed(token: str) -> str:
    return reverse("frontend:calendar-feed", args=[token])


def invitation_page(token: str) -> str:
    return reverse("frontend:invitation", args=[token])


def password_reset_page(uidb64: str, token: str) -> str:
    return reverse("frontend:password-reset-confirm", args=[uidb64, token])


def email_confirmation_page(token: str) -> str:
    return reverse("frontend:email-confirm", args=[token])


def account_page() -> str:
    return reverse("frontend:account")


def password_reset_request_page() -> str:
    return reverse("frontend:password-reset")


def preferences_page(token: str) -> str:
    return reverse("frontend:email-preferences", args=[token])


def inbox_page() -> str:
    return reverse("frontend:inbox")


def absolute(path: str) -> str:
    """A path as a full address, for e-mails (read away from the site)."""
    return f"{settings.SITE_URL}{path}"
