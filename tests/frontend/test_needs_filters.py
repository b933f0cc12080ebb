"""The needs page and the API filter open needs with one filterset (`brokerage.filters.
NeedFilter`; the page's face is `frontend.filters.NeedPageFilter`): the same filters find the
same needs on screen and in JSON."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from brokerage.models import ListingStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    foleshill = factories.WardFactory(name="Foleshill", gss_code="E05001222")
    henley = factories.WardFactory(name="Henley", gss_code="E05001225")
    finance = factories.SkillCategoryFactory(slug="finance", name="Finance")
    trades = factories.SkillCategoryFactory(slug="trades", name="Trades")
    payroll = factories.SkillFactory(category=finance, name="Payroll", slug="payroll")
    plumbing = factories.SkillFactory(category=trades, name="Plumbing", slug="plumbing")
    homeless = factories.ThemeFactory(slug="homelessness", name="Homelessness")
    needs = [
        factories.NeedFactory(title="Payroll in Foleshill", ward=foleshill, skills=[payroll]),
        factories.NeedFactory(
            title="Remote payroll", ward=henley, skills=[payroll], remote_ok=True
        ),
        factories.NeedFactory(title="Leaking roof", ward=foleshill, skills=[plumbing]),
        factories.NeedFactory(
            title="Draft payroll", ward=foleshill, skills=[payroll], status=ListingStatus.DRAFT
        ),
    ]
    needs[2].themes.add(homeless)
    return needs


# (the page's query, the API's query): the same filters, in each one's names.
SAME_FILTERS = [
    ({}, {}),
    ({"ward": "E05001222"}, {"ward": "E05001222"}),
    ({"category": "finance"}, {"category": "finance"}),
    ({"theme": "homelessness"}, {"theme": "homelessness"}),
    ({"remote": "on"}, {"remote": "true"}),
    ({"q": "payroll"}, {"search": "payroll"}),
    ({"ward": "E05001222", "category": "finance"}, {"ward": "E05001222", "category": "finance"}),
]


TITLES = ("Payroll in Foleshill", "Remote payroll", "Leaking roof", "Draft payroll")


def _titles_in(html: str) -> set[str]:
    return {title for title in TITLES if title in html}


def _page_titles(query: dict) -> set[str]:
    return _titles_in(Client().get("/needs/", query).content.decode())


def _api_titles(query: dict) -> set[str]:
    answer = APIClient().get("/api/v1/needs/", query)
    assert answer.status_code == 200
    return {need["title"] for need in answer.json()["results"]}


@pytest.mark.parametrize(("page_query", "api_query"), SAME_FILTERS)
def test_the_page_and_the_api_find_the_same_open_needs(market, page_query, api_query):
    found = _page_titles(page_query)

    assert found == _api_titles(api_query)
    assert "Draft payroll" not in found


def test_filters_narrow_as_a_reader_expects(market):
    assert _page_titles({"ward": "E05001222", "category": "finance"}) == {"Payroll in Foleshill"}
    assert _page_titles({"remote": "on"}) == {"Remote payroll"}


def test_an_unknown_ward_is_explained_and_the_list_is_not_narrowed(market):
    html = Client().get("/needs/", {"ward": "E99999999"}).content.decode()

    assert "Select a valid choice" in html
    assert (
        _titles_in(html)
        == _page_titles({})
        == {
            "Payroll in Foleshill",
            "Remote payroll",
            "Leaking roof",
        }
    )


def _options(html: str, name: str) -> list[str]:
    """The labels of the `name` select's options, in order."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_chosen_filters_stay_chosen_and_the_options_are_escaped(market):
    factories.ThemeFactory(slug="arts", name="Arts & <culture>")
    html = Client().get("/needs/", {"ward": "E05001222", "theme": "arts"}).content.decode()

    assert '<option value="E05001222" selected>Foleshill (Coventry)</option>' in html
    assert '<option value="arts" selected>Arts &amp; &lt;culture&gt;</option>' in html
    assert _options(html, "ward")[0] == "All wards"


def test_the_filters_offer_changed_reference_data_on_the_next_view(market):
    before = Client().get("/needs/").content.decode()
    assert "Health inequalities" not in _options(before, "theme")

    theme = factories.ThemeFactory(slug="health", name="Health inequalities")
    factories.WardFactory(name="Earlsdon", gss_code="E05001223")
    after = Client().get("/needs/").content.decode()
    assert "Health inequalities" in _options(after, "theme")
    assert "Earlsdon (Coventry)" in _options(after, "ward")  # two councils served: whose

    theme.is_active = False
    theme.save()
    assert "Health inequalities" not in _options(Client().get("/needs/").content.decode(), "theme")


def test_the_filters_choices_are_read_once_and_not_per_ward(market):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert Client().get("/needs/").status_code == 200
        return len(seen)

    first, repeat = queries(), queries()
    assert repeat < first  # the choices are kept: not read again
    factories.WardFactory.create_batch(10)
    assert queries() == first  # reference data changed: read again, in as many queries
    assert queries() == repeat
