"""Who may do what on a match, as one table (actor × match state → allowed) that the rule
(`brokerage.access.MatchAffordances`), the service, the API and the match's page must all
agree on. Each row is checked four times, once per layer, from the same table.

Bad standing is refused without a change: the service raises (`NotAllowed` or
`InvalidTransition`), the API answers 403, 404 (a match not yours to see) or 409 (the state
forbids it), and the page offers no button."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from brokerage import access
from brokerage.errors import DomainError
from brokerage.models import (
    Assignment,
    LeavePolicy,
    Match,
    MatchStatus,
    Membership,
    Side,
    TimeEntry,
)
from brokerage.services import assignments, hours, match_delivery, matches
from tests import factories

pytestmark = pytest.mark.django_db

ACTORS = ("business_admin", "volunteer", "vcs", "broker", "outsider")
PARTIES = {"business_admin", "volunteer", "vcs", "broker"}
BUSINESS = {"business_admin", "volunteer"}

# (action, state of the match) → the actors allowed. "volunteer" is a plain member of the
# business who volunteers (not an administrator).
MATCH_RULES = {
    ("accept", "proposed"): {"vcs", "broker"},  # the business proposed, so it has accepted
    ("accept", "accepted"): set(),
    ("decline", "proposed"): {"vcs", "broker"},
    ("decline", "accepted"): set(),
    ("cancel", "proposed"): PARTIES,
    ("cancel", "completed"): set(),
    ("close", "in_progress"): PARTIES,
    ("close", "closed_by_business"): {"vcs", "broker"},
    ("close", "accepted"): set(),
    ("extend", "accepted"): PARTIES,
    ("extend", "completed"): set(),
    ("feedback", "completed"): BUSINESS | {"vcs"},  # the two sides rate it, not brokers
    ("feedback", "in_progress"): set(),
}
# What MatchAffordances calls each action.
FLAG = {
    "accept": "can_accept",
    "decline": "can_decline",
    "cancel": "can_cancel",
    "close": "can_close",
    "extend": "can_extend",
    "feedback": "can_give_feedback",
}
# The page's button for each action (None: the page does not offer it; the API does).
PAGE_URL = {
    "accept": "frontend:accept",
    "decline": "frontend:decline",
    "cancel": None,
    "close": "frontend:match-close",
    "extend": "frontend:extend",
    "feedback": "frontend:feedback",
}
# The API's body for each action.
BODY = {"extend": {"days": 1}, "feedback": {"rating": 5}}

# Delivery: (action, variant) → the actors allowed, on an agreed match with a pending entry
# logged by the volunteer and a booking of theirs.
DELIVERY_RULES = {
    ("confirm_time", "pending"): {"vcs"},  # only the charity confirms time given to it
    ("withdraw_time", "pending"): {"volunteer", "business_admin", "broker"},
    ("cancel_booking", "admins_book"): {"business_admin", "broker"},
    ("cancel_booking", "volunteers_sign_up"): {"business_admin", "broker", "volunteer"},
}


def _rows(rules: dict) -> list:
    return [
        pytest.param(action, state, actor, actor in allowed, id=f"{action}-{state}-{actor}")
        for (action, state), allowed in rules.items()
        for actor in ACTORS
    ]


@pytest.fixture
def people(business, vcs, broker, outsider):
    admin = factories.MembershipFactory(organisation=business, role=Membership.Role.ADMIN).user
    volunteer = factories.VolunteerFactory(organisation=business)
    vcs_member = factories.MembershipFactory(organisation=vcs).user
    return {
        "business_admin": admin,
        "volunteer": volunteer.user,
        "vcs": vcs_member,
        "broker": broker,
        "outsider": outsider,
        "_volunteer": volunteer,
    }


def _match(state: str, business, vcs) -> Match:
    offer = factories.OfferFactory(organisation=business)
    need = factories.NeedFactory(organisation=vcs)
    if state == "proposed":
        return factories.MatchFactory(offer=offer, need=need)
    status = {
        "accepted": MatchStatus.ACCEPTED,
        "in_progress": MatchStatus.IN_PROGRESS,
        "closed_by_business": MatchStatus.IN_PROGRESS,
        "completed": MatchStatus.COMPLETED,
    }[state]
    return factories.AcceptedMatchFactory(
        offer=offer,
        need=need,
        status=status,
        closed_by_business=state in ("closed_by_business", "completed"),
        closed_by_vcs=state == "completed",
        completed_at=timezone.now() if state == "completed" else None,
    )


def _call_service(action: str, match: Match, user) -> None:
    if action == "accept":
        side = Side.VCS if access.is_broker(user) else None
        matches.accept_match(match=match, by=user, side=side)
    elif action == "decline":
        matches.decline_match(match=match, by=user)
    elif action == "cancel":
        matches.cancel_match(match=match, by=user)
    elif action == "close":
        match_delivery.close_match(match=match, by=user)
    elif action == "extend":
        match_delivery.extend_match(match=match, days=1, by=user)
    elif action == "feedback":
        hours.give_feedback(match=match, by=user, rating=5)


def _service_allows(call) -> bool:
    """Whether the service does it (inside a savepoint that is rolled back, so each layer
    starts from the same state)."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return True
    except DomainError:
        return False


class _RolledBack(Exception):
    pass


def _page(user, match: Match) -> str:

    client = Client()
    client.force_login(user)
    return client.get(reverse("frontend:match", args=[match.pk])).content.decode()


def _api(user, path: str, body: dict | None = None) -> int:
    client = APIClient()
    client.force_authenticate(user)
    return client.post(path, body or {}, format="json").status_code


@pytest.mark.parametrize(("action", "state", "actor", "allowed"), _rows(MATCH_RULES))
def test_the_rule_says_who_may_act_on_a_match(people, business, vcs, action, state, actor, allowed):
    match = _match(state, business, vcs)
    affordances = access.match_affordances(people[actor], match)
    assert getattr(affordances, FLAG[action]) is allowed


@pytest.mark.parametrize(("action", "state", "actor", "allowed"), _rows(MATCH_RULES))
def test_the_service_agrees(people, business, vcs, action, state, actor, allowed):
    match = _match(state, business, vcs)
    assert _service_allows(lambda: _call_service(action, match, people[actor])) is allowed


@pytest.mark.parametrize(("action", "state", "actor", "allowed"), _rows(MATCH_RULES))
def test_the_api_agrees(people, business, vcs, action, state, actor, allowed):
    match = _match(state, business, vcs)
    body = dict(BODY.get(action, {}))
    if action == "accept" and actor == "broker":
        body["side"] = "vcs"  # a broker accepts on a side's behalf, naming it
    status = _api(people[actor], f"/api/v1/matches/{match.pk}/{action}/", body)
    if allowed:
        assert 200 <= status < 300
    else:
        assert status in (403, 404, 409)


@pytest.mark.parametrize(("action", "state", "actor", "allowed"), _rows(MATCH_RULES))
def test_the_page_agrees(people, business, vcs, action, state, actor, allowed):
    if PAGE_URL[action] is None:
        pytest.skip(f"the match page offers no {action}; the API does")
    match = _match(state, business, vcs)
    # The page's Accept and Decline are a side's answer; a broker answers for a side through
    # the API, naming it (the page would have to ask which side).
    offered = allowed and not (action in ("accept", "decline") and actor == "broker")
    url = reverse(PAGE_URL[action], args=[match.pk])
    assert (f'action="{url}"' in _page(people[actor], match)) is offered


def _delivery(variant: str, people, business, vcs) -> tuple[Match, TimeEntry, Assignment]:
    match = _match("accepted", business, vcs)
    volunteer = people["_volunteer"]
    if variant == "volunteers_sign_up":
        LeavePolicy.objects.create(organisation=business, volunteers_sign_up=True)
    day = timezone.localdate() - dt.timedelta(days=1)
    booking = assignments.book(
        match=match,
        volunteer=volunteer,
        first_day=day,
        last_day=day,
        days=1,
        leave_type="paid",
        by=people["business_admin"],
    )
    entry = hours.log_time(
        match=match,
        volunteer=volunteer,
        date=day,
        hours=3,
        leave_type="paid",
        description="Sorted the stock room",
        by=volunteer.user,
    )
    match.refresh_from_db()
    return match, entry, booking


def _delivery_flag(affordances, action: str, entry: TimeEntry, booking: Assignment) -> bool:
    return {
        "confirm_time": lambda: affordances.may_review(entry),
        "withdraw_time": lambda: affordances.may_amend(entry),
        "cancel_booking": lambda: affordances.may_cancel_booking(booking),
    }[action]()


@pytest.mark.parametrize(("action", "variant", "actor", "allowed"), _rows(DELIVERY_RULES))
def test_delivery_rules_agree_in_rule_service_api_and_page(
    people, business, vcs, action, variant, actor, allowed
):
    match, entry, booking = _delivery(variant, people, business, vcs)
    user = people[actor]
    # The rule.
    flag = _delivery_flag(access.match_affordances(user, match), action, entry, booking)
    assert flag is allowed
    # The service.
    call = {
        "confirm_time": lambda: hours.confirm_time(entry=entry, by=user),
        "withdraw_time": lambda: hours.withdraw_time(entry=entry, by=user),
        "cancel_booking": lambda: assignments.cancel(assignment=booking, by=user),
    }[action]
    assert _service_allows(call) is allowed
    # The page: the button (a checkbox to confirm) is shown exactly when allowed.
    marker = {
        "confirm_time": f'id="entry-{entry.pk}"',
        "withdraw_time": reverse("frontend:time-withdraw", args=[match.pk, entry.pk]),
        "cancel_booking": reverse("frontend:booking-cancel", args=[match.pk, booking.pk]),
    }[action]
    assert (marker in _page(user, match)) is allowed
    # The API (last: it commits).
    path = {
        "confirm_time": f"/api/v1/time-entries/{entry.pk}/confirm/",
        "withdraw_time": f"/api/v1/time-entries/{entry.pk}/withdraw/",
        "cancel_booking": f"/api/v1/assignments/{booking.pk}/cancel/",
    }[action]
    status = _api(user, path)
    assert (200 <= status < 300) is allowed
    if not allowed:
        assert status in (403, 404, 409)
