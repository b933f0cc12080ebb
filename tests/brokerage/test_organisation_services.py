"""Registering organisations and a broker's verification."""

import pytest

from brokerage import access, errors
from brokerage.models import Membership, Organisation
from brokerage.services.organisations import (
    register_organisation,
    reject_organisation,
    verify_organisation,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def served_council():
    """The service's first council, where an organisation naming no home ward is based."""
    return factories.AuthorityFactory()


def _register(user, **overrides):
    values = {"kind": "vcs", "name": "Coventry Refugee Welcome", "contact_email": "hi@crw.org.uk"}
    return register_organisation(by=user, **(values | overrides))


def test_registration_is_pending_and_makes_the_user_its_admin():
    user = factories.UserFactory()

    organisation = _register(user, charity_number="1123456")

    assert organisation.verification_status == "pending"
    assert organisation.slug == "coventry-refugee-welcome"
    assert Membership.objects.get(user=user, organisation=organisation).role == "admin"


def test_same_name_gets_a_distinct_slug():
    first = _register(factories.UserFactory())
    second = _register(factories.UserFactory())

    assert (first.slug, second.slug) == ("coventry-refugee-welcome", "coventry-refugee-welcome-2")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"charity_number": "12345"}, "charity_number"),
        ({"charity_number": "SC12345X"}, "charity_number"),
        ({"company_number": "1234567"}, "company_number"),
        ({"company_number": "AB12345Z"}, "company_number"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"name": ""}, "name"),
    ],
)
def test_registration_rejects_malformed_details_and_saves_nothing(overrides, field):
    with pytest.raises(errors.InvalidInput) as raised:
        _register(factories.UserFactory(), **overrides)
    assert field in raised.value.fields
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("overrides"), [{"company_number": "SC123456"}, {"charity_number": "NIC100123"}]
)
def test_registration_accepts_scottish_and_northern_irish_numbers(overrides):
    assert _register(factories.UserFactory(), **overrides)


def test_nobody_registers_a_council_through_the_service():
    with pytest.raises(errors.InvalidInput):
        _register(factories.UserFactory(), kind="council")


def test_registered_numbers_are_unique():
    _register(factories.UserFactory(), company_number="01234567", kind="business")
    with pytest.raises(errors.InvalidInput):
        _register(factories.UserFactory(), company_number="01234567", kind="business", name="B")


def test_broker_verifies_a_pending_organisation(broker):
    organisation = factories.VcsFactory(pending=True)

    organisation = verify_organisation(organisation=organisation, by=broker)

    assert organisation.is_verified
    assert (organisation.verified_by, organisation.verified_at is not None) == (broker, True)


def test_only_brokers_verify(business_member):
    organisation = factories.VcsFactory(pending=True)

    with pytest.raises(errors.NotAllowed):
        verify_organisation(organisation=organisation, by=business_member)
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"


def test_member_of_an_unverified_council_is_not_a_broker():
    council = factories.CouncilFactory(pending=True)
    user = factories.MembershipFactory(organisation=council).user

    assert not access.is_broker(user)


def test_rejection_needs_a_reason(broker):
    organisation = factories.VcsFactory(pending=True)

    with pytest.raises(errors.InvalidInput, match="Say why"):
        reject_organisation(organisation=organisation, by=broker, reason="  ")
    organisation = reject_organisation(
        organisation=organisation, by=broker, reason="Not based in Coventry"
    )
    assert (organisation.verification_status, organisation.rejection_reason) == (
        "rejected",
        "Not based in Coventry",
    )


def test_rejected_organisation_can_later_be_verified(broker):
    organisation = factories.VcsFactory(pending=True)
    reject_organisation(organisation=organisation, by=broker, reason="Missing charity number")

    assert verify_organisation(organisation=organisation, by=broker).is_verified


def test_verified_organisation_cannot_be_verified_or_rejected_again(broker):
    organisation = factories.VcsFactory()

    with pytest.raises(errors.InvalidTransition):
        verify_organisation(organisation=organisation, by=broker)
    with pytest.raises(errors.InvalidTransition):
        reject_organisation(organisation=organisation, by=broker, reason="Changed my mind")
