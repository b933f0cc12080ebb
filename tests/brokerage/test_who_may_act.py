"""Who may act for an organisation or a volunteer: one named rule each, shared by services,
the API's permissions and the pages."""

import pytest
from django.contrib.auth.models import AnonymousUser

from brokerage import access
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(business, broker, outsider):
    admin = factories.MembershipFactory(organisation=business, role="admin").user
    member = factories.MembershipFactory(organisation=business, role="member").user
    volunteer = factories.VolunteerFactory(organisation=business, user=member)
    colleague = factories.MembershipFactory(organisation=business, role="member").user
    return {
        "admin": admin,
        "member": member,
        "colleague": colleague,
        "broker": broker,
        "outsider": outsider,
        "volunteer": volunteer,
    }


# actor → (may act for the business, may administer it, may act for the member's volunteering)
RULES = {
    "admin": (True, True, True),
    "member": (True, False, True),  # the volunteer themself
    "colleague": (True, False, False),
    "broker": (True, True, True),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize(("actor", "expected"), RULES.items())
def test_who_may_act_for_administer_and_act_for_a_volunteer(people, business, actor, expected):
    user = people[actor]

    assert (
        access.can_act_for(user, business),
        access.can_administer(user, business),
        access.can_act_for_volunteer(user, people["volunteer"]),
    ) == expected


def test_a_signed_out_visitor_may_do_none_of_it(people, business):
    nobody = AnonymousUser()
    assert not access.can_act_for(nobody, business)
    assert not access.can_administer(nobody, business)
    assert not access.can_act_for_volunteer(nobody, people["volunteer"])
