"""factory-boy factories for every model. Dates are relative to today so listings are live."""

import datetime as dt

import factory
from django.utils import timezone

from brokerage import models


def today() -> dt.date:
    return timezone.localdate()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class AuthorityFactory(factory.django.DjangoModelFactory):
    """A `Council` (a local authority; Coventry unless told): the area, not its broker team."""

    class Meta:
        model = models.Council
        django_get_or_create = ("gss_code",)

    gss_code = "E08000026"
    name = factory.LazyAttribute(lambda c: COUNCIL_NAMES.get(c.gss_code, c.gss_code))


COVENTRY = "E08000026"
SOLIHULL = "E08000029"
WEST_MIDLANDS = "E47000007"
COUNCIL_NAMES = {COVENTRY: "Coventry", SOLIHULL: "Solihull", WEST_MIDLANDS: "West Midlands"}


class WardSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.WardSet
        django_get_or_create = ("slug",)

    slug = "test-wards"
    name = "Test wards"
    council = factory.SubFactory(AuthorityFactory)
    valid_from = dt.date(2004, 6, 10)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Ward

    ward_set = factory.SubFactory(WardSetFactory)
    gss_code = factory.Sequence(lambda n: f"E05{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    council = factory.SelfAttribute("ward_set.council")
    centroid_lat = 52.41
    centroid_lon = -1.51
    imd_score = 25.0


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SkillCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skill
        django_get_or_create = ("slug",)

    category = factory.SubFactory(SkillCategoryFactory)
    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    kind = models.Organisation.Kind.BUSINESS
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"hello@{o.slug}.example.org")
    # Based where its home ward is, else in Coventry.
    council = factory.LazyAttribute(
        lambda o: o.home_ward.council if o.home_ward else AuthorityFactory(gss_code=COVENTRY)
    )
    home_ward = None
    verification_status = models.Organisation.Verification.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(
            verification_status=models.Organisation.Verification.PENDING, verified_at=None
        )


class BusinessFactory(OrganisationFactory):
    kind = models.Organisation.Kind.BUSINESS


class VcsFactory(OrganisationFactory):
    kind = models.Organisation.Kind.VCS


class CouncilFactory(OrganisationFactory):
    kind = models.Organisation.Kind.COUNCIL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.Membership.Role.ADMIN


class OfferFactory(factory.django.DjangoModelFactory):
    """An open offer of 10 days over the next 90 days, anywhere, with one skill."""

    class Meta:
        model = models.Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(BusinessFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    volunteers = 2
    days_offered = 10
    available_from = factory.LazyFunction(today)
    available_until = factory.LazyFunction(lambda: today() + dt.timedelta(days=90))
    status = models.ListingStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create:
            for skill in extracted if extracted is not None else [SkillFactory()]:
                models.OfferSkill.objects.create(offer=self, skill=skill)


class NeedFactory(factory.django.DjangoModelFactory):
    """An open need of 5 days, needed within 60 days, with one must-have skill."""

    class Meta:
        model = models.Need
        skip_postgeneration_save = True

    organisation = factory.SubFactory(VcsFactory)
    title = factory.Sequence(lambda n: f"Need {n}")
    ward = factory.SubFactory(WardFactory)
    days_needed = 5
    needed_by = factory.LazyFunction(lambda: today() + dt.timedelta(days=60))
    status = models.ListingStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create:
            for skill in extracted if extracted is not None else [SkillFactory()]:
                models.NeedSkill.objects.create(need=self, skill=skill)


class MatchFactory(factory.django.DjangoModelFactory):
    """A proposal made by the business (its side has accepted)."""

    class Meta:
        model = models.Match

    offer = factory.SubFactory(OfferFactory)
    need = factory.SubFactory(NeedFactory)
    days = 2
    proposed_by_side = models.Side.BUSINESS
    accepted_by_business = True


class MatchEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MatchEvent

    match = factory.SubFactory(MatchFactory)
    action = models.MatchEvent.Action.PROPOSED
    actor_side = models.Side.BUSINESS
    to_status = models.MatchStatus.PROPOSED


class OfferSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OfferSkill

    offer = factory.SubFactory(OfferFactory, skills=[])
    skill = factory.SubFactory(SkillFactory)
    level = models.OfferSkill.Level.EXPERIENCED


class NeedSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NeedSkill

    need = factory.SubFactory(NeedFactory, skills=[])
    skill = factory.SubFactory(SkillFactory)
    must_have = True


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An employee of a business (a member of it) who volunteers."""

    class Meta:
        model = models.Volunteer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(BusinessFactory)
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        # A plain member (the model's default role): a volunteer, not an administrator.
        if create:
            models.Membership.objects.get_or_create(user=self.user, organisation=self.organisation)


class AcceptedMatchFactory(MatchFactory):
    """A match both sides have accepted (days reserved on neither listing: tests of delivery
    do not look at listing capacity)."""

    status = models.MatchStatus.ACCEPTED
    accepted_by_vcs = True
    # Agreed two years ago, so tests may book and log time on days in the past.
    accepted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=730))
    days = 5
