"""Every page's title says what the page is, then the service, with a separator between:
browser tabs, history and screen readers announce it first."""

import re

import pytest
from django.test import Client

from brokerage.datasets.demo import seed_demo
from brokerage.models import User
from tests.browser.conftest import main_pages
from tests.reference import load_reference_data

SERVICE = "Coventry volunteering and skills"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo seeds only in the embedded mode
    load_reference_data()
    seed_demo(password="correct horse battery staple")
    settings.DEBUG = False


def test_every_main_page_title_is_the_page_then_the_service(demo):
    seen = 0
    for username, paths in main_pages().items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        for path in paths:
            if path.startswith("/admin/"):
                continue  # Django's admin has its own titles
            html = client.get(path).content.decode()
            (title,) = re.findall(r"<title>(.*?)</title>", html, re.S)
            page, separator, service = title.strip().rpartition(" – ")
            assert (separator, service) == (" – ", SERVICE), (username, path, title)
            assert page.strip(), (username, path, title)
            seen += 1
    assert seen > 20
