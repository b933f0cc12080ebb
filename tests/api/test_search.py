"""Search by what people type: skills by name, synonym, category word or a near form, in
the API and on the needs page; `?skill=` takes a synonym and says which skill it named;
a term naming no skill is a 400 that says where to look. Reference data and demo market."""

import pytest

from brokerage.datasets.demo import seed_demo
from brokerage.models import Need, Skill
from tests.reference import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_reference_data()
    seed_demo(password="x")


def _slugs(client, query: str) -> list[str]:
    return [s["slug"] for s in client.get(f"/api/v1/skills/?{query}").json()["results"]]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("xero", "bookkeeping"),
        ("sage", "bookkeeping"),
        ("PAYE", "payroll"),
        ("accounting", "accounts-audit"),
        ("finance", "financial-planning"),  # "financial" in its name, then the category
        ("electrician", "electrical"),
    ],
)
def test_skills_are_found_by_what_people_type(demo, client, typed, first):
    found = _slugs(client, f"search={typed}")
    assert found and found[0].startswith(first), found


def test_a_category_word_finds_the_whole_category_and_nonsense_finds_nothing(demo, client):
    finance = set(
        Skill.objects.filter(category__name="Finance and fundraising").values_list(
            "slug", flat=True
        )
    )
    assert set(_slugs(client, "search=fundraising&page_size=100")) >= finance
    assert _slugs(client, "search=qwertyuiop") == []
    assert len(_slugs(client, "search=&page_size=100")) == Skill.objects.count()  # no filter


def test_skill_filter_takes_a_synonym_and_says_what_it_resolved_to(demo, client):
    by_slug = client.get("/api/v1/needs/?skill=payroll").json()
    by_synonym = client.get("/api/v1/needs/?skill=paye").json()

    assert by_synonym["resolved"] == {"skill": {"paye": "payroll"}}
    assert "resolved" in by_slug and by_slug["results"] == by_synonym["results"]
    both = client.get("/api/v1/needs/?skill=xero&skill=Payroll").json()
    assert both["resolved"] == {"skill": {"xero": "bookkeeping", "Payroll": "payroll"}}
    assert "resolved" not in client.get("/api/v1/needs/").json()


@pytest.mark.parametrize("term", ["nonsense", "account", "%00"])
def test_a_skill_term_naming_no_one_skill_is_a_400_saying_where_to_look(demo, client, term):
    answer = client.get(f"/api/v1/needs/?skill={term}")
    assert answer.status_code == 400
    assert "/api/v1/skills/?search=" in answer.json()["fields"]["skill"][0]


def _open_need_and_a_synonym():
    """An open need of the demo and a synonym of one of its skills (e.g. 'allotment')."""
    for need in Need.objects.filter(status="open").prefetch_related("skills"):
        for skill in need.skills.all():
            if skill.synonyms:
                return need, skill, skill.synonyms[0]
    raise AssertionError("the demo has no open need with a skill that has synonyms")


def test_listings_are_found_by_skill_words_and_by_their_own_text(demo, client):
    need, skill, synonym = _open_need_and_a_synonym()
    found = client.get(f"/api/v1/needs/?search={synonym}&page_size=100").json()["results"]
    assert need.pk in {n["id"] for n in found}
    assert all(skill.slug in {s["skill"] for s in n["skills"]} or synonym in
               (n["title"] + n["description"]).lower() for n in found)  # fmt: skip
    word = max(need.title.split(), key=len)
    by_word = {n["id"] for n in client.get(f"/api/v1/needs/?search={word}").json()["results"]}
    assert need.pk in by_word


def test_the_needs_page_searches_the_same_way(demo, client):
    need, skill, synonym = _open_need_and_a_synonym()
    other = Need.objects.filter(status="open").exclude(skills=skill).first()

    page = client.get(f"/needs/?q={synonym}").content.decode()

    assert need.title in page and other.title not in page
