"""One filterset per list (django-filter), shared by the API and the pages: a list filters
the same way in JSON and on screen. The API documents each as query parameters (its schema
annotations are added in `api.filters`); a page renders the filterset's form (the needs page
through `frontend.filters.NeedPageFilter`, the audit log and the unmet needs directly)."""

import django_filters as filters
from django import forms
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from brokerage import access, search
from brokerage.models import (
    AuditEntry,
    Council,
    GapCase,
    ListingStatus,
    Match,
    MatchStatus,
    Need,
    NeedSkill,
    Offer,
    OfferSkill,
    Organisation,
    Skill,
    SkillCategory,
    Theme,
    Ward,
)
from brokerage.selectors import current_wards


class CodesFilter(filters.ModelMultipleChoiceFilter):
    """Several slugs or GSS codes (repeat the parameter); matches any of them."""


class CodeFilter(filters.ModelChoiceFilter):
    """One slug or code."""


class SkillTermsField(forms.Field):
    """Skills named by slug, name or synonym ("paye"), repeated for several: cleaned to
    (what was typed, the skill it names) pairs; a term naming no skill is refused."""

    widget = forms.MultipleHiddenInput

    def clean(self, value) -> list[tuple[str, Skill]]:
        terms = [v for v in (value or []) if v.strip()]
        resolved, unknown = [], []
        for term in terms:
            skill = search.resolve_skill(term)
            (resolved.append((term, skill)) if skill else unknown.append(term))
        if unknown:
            # The terms go in as a parameter: a term is what anyone typed ("%" included),
            # and django-filter formats the message with its parameters.
            raise forms.ValidationError(
                "No skill is called %(terms)s; find skills by what people call them at "
                "/api/v1/skills/?search=…",
                params={"terms": ", ".join(repr(t) for t in unknown)},
            )
        return resolved


class SkillTermsFilter(filters.Filter):
    field_class = SkillTermsField


def _many(value) -> list | QuerySet:
    """The API's filters take several codes (a list); a page's select takes one."""
    return value if isinstance(value, list | tuple | QuerySet) else [value]


class CouncilFilterSet(filters.FilterSet):
    """A list that can be scoped to councils' areas (`access.places`: a need is in its ward's
    council, an offer in its business's and in every council it serves)."""

    council = CodesFilter(
        queryset=Council.objects.all(),
        method="filter_councils",
        help_text="A council's GSS code (e.g. E08000029, Solihull); repeat for any of several.",
    )

    def filter_councils(self, queryset: QuerySet, name: str, councils) -> QuerySet:
        if not councils:
            return queryset
        codes = [council.pk for council in _many(councils)]
        return queryset.filter(access.in_areas(queryset.model, codes))


class ListingFilter(CouncilFilterSet):
    """Filters offers and needs share. Filters across a many-to-many use EXISTS subqueries,
    so a listing never appears twice and no DISTINCT is needed."""

    skill = SkillTermsFilter(
        method="filter_skills",
        help_text="A skill's slug, name or synonym (e.g. paye, xero); repeat for any of "
        "several. The list's `resolved` says which skill each term named.",
    )
    search = filters.CharFilter(
        method="filter_search",
        help_text="What people type: matches skills by name, synonym or category word "
        "(e.g. accounting, finance), and the title and description.",
    )
    category = CodesFilter(
        to_field_name="slug",
        queryset=SkillCategory.objects.all(),
        method="filter_categories",
        help_text="Skill category slug; repeat for any of several.",
    )
    status = filters.MultipleChoiceFilter(choices=ListingStatus.choices)
    remote = filters.BooleanFilter(field_name="remote_ok", help_text="Remote possible.")
    organisation = filters.ModelChoiceFilter(queryset=Organisation.objects.all())

    # The model linking a listing to its skills, and its foreign key to the listing.
    skill_link: type[models.Model]
    skill_owner: str

    def _has_skill(self, queryset: QuerySet, **condition) -> QuerySet:
        link = self.skill_link.objects.filter(**{self.skill_owner: OuterRef("pk")})
        return queryset.filter(Exists(link.filter(**condition)))

    def filter_skills(self, queryset: QuerySet, name: str, terms: list) -> QuerySet:
        if not terms:
            return queryset
        if self.request is not None:  # the list says what each term resolved to
            self.request.skill_terms = {term: skill.slug for term, skill in terms}
        return self._has_skill(queryset, skill__in=[skill for _, skill in terms])

    def filter_search(self, queryset: QuerySet, name: str, text: str) -> QuerySet:
        return search.listings_matching(queryset, text) if text.strip() else queryset

    def filter_categories(self, queryset: QuerySet, name: str, categories) -> QuerySet:
        if not categories:
            return queryset
        return self._has_skill(queryset, skill__category__in=_many(categories))


class NeedFilter(ListingFilter):
    ward = CodesFilter(
        to_field_name="gss_code",
        queryset=Ward.objects.all(),
        method="filter_wards",
        help_text="Ward GSS code; repeat for any of several.",
    )
    theme = CodesFilter(
        to_field_name="slug",
        queryset=Theme.objects.all(),
        method="filter_themes",
        help_text="Council priority theme slug; repeat for any of several.",
    )
    needed_by = filters.DateFromToRangeFilter(
        help_text="needed_by_after / needed_by_before (YYYY-MM-DD, inclusive)."
    )

    skill_link, skill_owner = NeedSkill, "need"

    class Meta:
        model = Need
        fields = [
            "council", "ward", "skill", "category", "theme", "status", "remote", "organisation",
        ]  # fmt: skip

    def filter_wards(self, queryset: QuerySet, name: str, wards) -> QuerySet:
        return queryset.filter(ward__in=_many(wards)) if wards else queryset

    def filter_themes(self, queryset: QuerySet, name: str, themes) -> QuerySet:
        if not themes:
            return queryset
        links = Need.themes.through.objects.filter(need=OuterRef("pk"), theme__in=_many(themes))
        return queryset.filter(Exists(links))


class OfferFilter(ListingFilter):
    ward = CodesFilter(
        to_field_name="gss_code",
        queryset=Ward.objects.all(),
        method="filter_serves_ward",
        help_text="Offers that can serve this ward (listed, or no ward limit).",
    )
    available_on = filters.DateFilter(
        method="filter_available_on", help_text="Available on this date (YYYY-MM-DD)."
    )
    available_from = filters.DateFromToRangeFilter()
    available_until = filters.DateFromToRangeFilter()
    leave_type = filters.ChoiceFilter(choices=Offer.LeaveType.choices)

    skill_link, skill_owner = OfferSkill, "offer"

    class Meta:
        model = Offer
        fields = [
            "council", "ward", "skill", "category", "status", "remote", "organisation",
            "leave_type",
        ]  # fmt: skip

    def filter_serves_ward(self, queryset: QuerySet, name: str, wards: list[Ward]) -> QuerySet:
        if not wards:
            return queryset
        served = Offer.wards.through.objects.filter(offer=OuterRef("pk"))
        return queryset.filter(Exists(served.filter(ward__in=wards)) | ~Exists(served))

    def filter_available_on(self, queryset: QuerySet, name: str, day) -> QuerySet:
        return queryset.filter(available_from__lte=day, available_until__gte=day)


class MatchFilter(CouncilFilterSet):
    status = filters.MultipleChoiceFilter(choices=MatchStatus.choices)
    offer = filters.ModelChoiceFilter(queryset=Offer.objects.all())
    need = filters.ModelChoiceFilter(queryset=Need.objects.all())

    class Meta:
        model = Match
        fields = ["council", "status", "offer", "need"]


class OrganisationFilter(CouncilFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    verification_status = filters.ChoiceFilter(choices=Organisation.Verification.choices)
    works_in = CodesFilter(
        queryset=Council.objects.all(),
        method="filter_works_in",
        help_text="A council's GSS code: organisations based in it or that say they work in it "
        "(`council` is where they are based); repeat for any of several.",
    )

    def filter_works_in(self, queryset: QuerySet, name: str, councils) -> QuerySet:
        if not councils:
            return queryset
        codes = [council.pk for council in _many(councils)]
        working = Organisation.works_in.through.objects.filter(
            organisation=OuterRef("pk"), council_id__in=codes
        )
        return queryset.filter(Q(council_id__in=codes) | Exists(working))

    class Meta:
        model = Organisation
        fields = ["council", "works_in", "kind", "verification_status"]


class WardFilter(filters.FilterSet):
    current = filters.BooleanFilter(method="filter_current", help_text="In force today.")
    lad_code = filters.CharFilter(field_name="council_id", help_text="The council's GSS code.")
    council = filters.CharFilter(field_name="council_id", help_text="The council's GSS code.")

    class Meta:
        model = Ward
        fields = ["current", "lad_code", "council"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        ids = current_wards().values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class SkillFilter(filters.FilterSet):
    category = CodeFilter(
        field_name="category__slug", to_field_name="slug", queryset=SkillCategory.objects.all()
    )
    search = filters.CharFilter(
        method="filter_search",
        help_text="What people type: a name, a synonym (xero, paye), a category word "
        "(finance) or a near form (accounting); best matches first.",
    )

    class Meta:
        model = Skill
        fields = ["category", "search"]

    def filter_search(self, queryset: QuerySet, name: str, text: str) -> QuerySet:
        ranked = [found.skill.pk for found in search.find_skills(text)]
        order = Case(
            *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)),
            output_field=IntegerField(),
        )
        return queryset.filter(pk__in=ranked).order_by(order) if ranked else queryset.none()


class AuditFilter(filters.FilterSet):
    action = filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="What was done")
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("name"), label="Organisation"
    )
    actor = filters.CharFilter(
        field_name="actor__username", lookup_expr="iexact", label="Done by (username)"
    )
    since = filters.DateFilter(field_name="at", lookup_expr="date__gte", label="From")
    until = filters.DateFilter(field_name="at", lookup_expr="date__lte", label="To")

    class Meta:
        model = AuditEntry
        fields = ["action", "organisation", "actor", "since", "until"]

    def __init__(self, data=None, queryset=None, **kwargs) -> None:
        super().__init__(data, queryset, **kwargs)
        # The organisations the reader's log names, not every organisation in the region:
        # a list a broker can choose from, and a page that does not grow with the market.
        self.filters["organisation"].queryset = (
            Organisation.objects.filter(pk__in=self.queryset.values("organisation_id"))
            .only("pk", "name")
            .order_by("name")
        )


class GapCaseFilter(CouncilFilterSet):
    status = filters.ChoiceFilter(choices=GapCase.Status.choices, label="Status")
    reason = filters.ChoiceFilter(choices=GapCase.Reason.choices, label="Why unmet")
    owner = filters.NumberFilter(field_name="owner_id", label="Owner (user id)")
    mine = filters.BooleanFilter(method="filter_mine", label="Mine only")
    unassigned = filters.BooleanFilter(field_name="owner", lookup_expr="isnull", label="No owner")

    class Meta:
        model = GapCase
        fields = ["council", "status", "reason", "owner", "mine", "unassigned"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(owner=user) if value and user is not None else queryset
