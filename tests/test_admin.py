"""The Django admin (registered from `brokerage.config.admin`) serves the service's models."""

import pytest
from django.test import Client

from brokerage.models import User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["organisation", "need", "offer", "match", "user"])
def test_a_superuser_can_open_each_main_model_in_the_admin(model):
    factories.OrganisationFactory()
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))

    assert client.get(f"/admin/brokerage/{model}/").status_code == 200


def test_someone_who_is_not_staff_is_sent_to_sign_in():
    client = Client()
    client.force_login(factories.UserFactory())

    assert client.get("/admin/brokerage/organisation/").status_code == 302
