"""Open needs as a Volunteering Data Standard (JSON-LD) feed."""

import pytest

from brokerage.models import ListingStatus
from tests import factories

pytestmark = pytest.mark.django_db

# The standard's published field list (standard.volunteeringdata.io: ontology and
# "Publishing Opportunities Data"): what each class may carry.
FEED_KEYS = {"@context", "conformsTo", "license", "publisher", "modified", "graph"}
ORGANISATION_KEYS = {
    "type", "id", "name", "description", "website", "charityNumber", "image", "cause", "activity",
}  # fmt: skip
ACTIVITY_KEYS = {
    "type", "id", "title", "description", "role", "session", "publishStartDate", "publishEndDate",
}  # fmt: skip
ROLE_KEYS = {
    "type", "title", "description", "commitment", "applyLink", "allowsRemoteParticipation",
    "minimumAge", "maximumAge", "requirement", "reward", "skill",
}  # fmt: skip
SESSION_KEYS = {"type", "location", "time"}
LOCATION_KEYS = {"type", "name", "address", "latitude", "longitude", "geometry"}
TIME_KEYS = {"type", "hasBeginning", "hasEnd"}


@pytest.fixture
def feed(api):
    charity = factories.VcsFactory(name="Open Door Coventry", charity_number="1190002")
    photography = factories.SkillFactory(slug="photography-video", open_data_term="Photography")
    payroll = factories.SkillFactory(slug="payroll")
    ward = factories.WardFactory(name="St Michael's", centroid_lat=52.408, centroid_lon=-1.502)
    factories.NeedFactory(organisation=charity, ward=ward, skills=[photography, payroll])
    factories.NeedFactory(organisation=charity, status=ListingStatus.DRAFT)
    factories.NeedFactory(organisation=factories.VcsFactory(pending=True))
    response = api.get("/open-data/volunteering.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def test_feed_has_licence_and_publisher_metadata(feed):
    assert set(feed) == FEED_KEYS
    assert feed["@context"] == "https://api.volunteeringdata.io/context/v1"
    assert feed["conformsTo"] == "https://ns.volunteeringdata.io/"
    assert feed["license"] == "OGL-UK-3.0"
    assert feed["publisher"].startswith("https://")


def test_feed_follows_the_standards_field_list(feed):
    (organisation,) = feed["graph"]
    assert organisation["type"] == "Organisation"
    assert set(organisation) <= ORGANISATION_KEYS
    assert organisation["charityNumber"] == "1190002"
    (activity,) = organisation["activity"]  # drafts and unverified charities are left out
    assert set(activity) <= ACTIVITY_KEYS
    (role,) = activity["role"]
    assert set(role) <= ROLE_KEYS
    (session,) = activity["session"]
    assert set(session) <= SESSION_KEYS
    assert set(session["location"]) <= LOCATION_KEYS
    assert session["location"]["geometry"] == "POINT(-1.502 52.408)"
    assert all(set(time) <= TIME_KEYS for time in session["time"])


def test_skills_use_the_standards_terms_where_they_exist(feed):
    skills = feed["graph"][0]["activity"][0]["role"][0]["skill"]

    assert "https://ns.volunteeringdata.io/Photography" in skills
    assert any(s.endswith("/api/v1/skills/payroll/") for s in skills)  # ours, dereferenceable
