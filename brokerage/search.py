"""Finding skills, needs and offers by what people type: a skill's name, one of its
synonyms ("xero", "paye"), a word of its category ("finance"), or a near form of any of
those ("accounting" finds "accounts"). The taxonomy is small (tens of skills), so skills are
matched here in Python the same way on every database; listing text is searched with
PostgreSQL's full-text search (English stemming), or a plain substring match on SQLite.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from brokerage.models import Need, NeedSkill, Offer, OfferSkill, Skill

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "for", "in", "a", "an", "to", "with", "or", "our"})
_MIN_WORD = 4  # shorter words must be typed exactly


@dataclass(frozen=True)
class Found:
    skill: Skill
    score: int  # 3: the name, slug or a synonym itself; 2: their words; 1: the category's
    because: str  # what matched, for people: "synonym 'xero'"


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def _near(a: str, b: str) -> bool:
    """Two words are forms of one word: equal, or (four letters or more) sharing all but
    the last three letters of the shorter ("accounting", "accounts")."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return shorter >= _MIN_WORD and shared >= max(_MIN_WORD, shorter - 3)


def _covers(query: list[str], words: list[str]) -> bool:
    """Every word typed is (a form of) one of the words."""
    return bool(query) and all(any(_near(q, w) for w in words) for q in query)


def find_skills(text: str) -> list[Found]:
    """Skills matching what was typed, best first (then by name)."""
    typed = " ".join(_words(text))
    query = typed.split()
    if not query:
        return []
    found = []
    for skill in Skill.objects.select_related("category"):
        terms = {skill.name.lower(): "name", skill.slug.replace("-", " "): "name"}
        terms |= {synonym.lower(): f"synonym '{synonym}'" for synonym in skill.synonyms}
        exact = next((how for term, how in terms.items() if " ".join(_words(term)) == typed), None)
        if exact:
            found.append(Found(skill, 3, exact))
            continue
        worded = next((how for term, how in terms.items() if _covers(query, _words(term))), None)
        if worded:
            found.append(Found(skill, 2, worded))
        elif _covers(query, _words(skill.category.name)):
            found.append(Found(skill, 1, f"category '{skill.category.name}'"))
    return sorted(found, key=lambda f: (-f.score, f.skill.name))


def resolve_skill(text: str) -> Skill | None:
    """The one skill a term names: its slug, its name or one of its synonyms (any case);
    None if no skill is named by it exactly, or more than one is."""
    exact = [f for f in find_skills(text) if f.score == 3]
    slug = [f for f in exact if f.skill.slug == text.strip().lower()]
    if slug:
        return slug[0].skill
    return exact[0].skill if len(exact) == 1 else None


def _text_match(model, text: str) -> Q:
    if connection.vendor == "postgresql":
        ids = model.objects.annotate(
            document=SearchVector("title", "description", config="english")
        ).filter(document=SearchQuery(text, config="english", search_type="websearch"))
        return Q(pk__in=ids.values("pk"))
    return Q(title__icontains=text) | Q(description__icontains=text)


def listings_matching(queryset: QuerySet, text: str) -> QuerySet:
    """Needs or offers whose skills match what was typed, or whose title or description
    does."""
    model = queryset.model
    link, owner = {Need: (NeedSkill, "need"), Offer: (OfferSkill, "offer")}[model]
    skills = [f.skill.pk for f in find_skills(text)]
    has_skill = Exists(link.objects.filter(**{owner: OuterRef("pk"), "skill__in": skills}))
    return queryset.filter(Q(has_skill) | _text_match(model, text))
